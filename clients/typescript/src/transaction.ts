/** A transaction as the API answers it (POST, GET, and the `stored` part of a 409). */
export interface Transaction {
    readonly id: string;
    readonly status: string;
    readonly amount: number;
    readonly currency: string;
    readonly merchantId: string;
    readonly reference: string | null;
    readonly metadata?: Readonly<Record<string, string>>;
    readonly createdAt: string;
    /** The region that accepted it. */
    readonly region: string;
    readonly [field: string]: unknown;
}

/** Whether an answer's JSON is a transaction (the fields every answer carries, with their types). */
export function isTransaction(value: unknown): value is Transaction {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return false;
    }
    const fields = value as Record<string, unknown>;
    return (
        ["id", "status", "currency", "merchantId", "createdAt", "region"].every((name) => typeof fields[name] === "string") &&
        typeof fields.amount === "number" &&
        (fields.reference === null || typeof fields.reference === "string")
    );
}
