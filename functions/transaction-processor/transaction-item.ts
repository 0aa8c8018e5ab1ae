/**
 * The transaction item model, with no I/O: what receipts.ts, versions.ts and transactions.ts (the store) share,
 * so none of them imports another in a cycle.
 */

/*
 * The transaction record in DynamoDB (`pk = TXN#<id>`, `sk = TXN`) and its public view.
 * Transactions are the system of record: they never get an `expiresAt`.
 */

export type ReceiptStatus = "PENDING" | "STORED";

export interface TransactionItem {
    readonly pk: string;
    readonly sk: "TXN";
    readonly id: string;
    readonly status: "ACCEPTED";
    readonly amount: number;
    readonly currency: string;
    readonly merchantId: string;
    readonly reference?: string;
    readonly metadata?: Readonly<Record<string, string>>;
    readonly createdAt: string;
    /** Partition key of the `createdAt-by-day` index (day-index.ts); absent on items written before it existed. */
    readonly createdDayShard?: string;
    readonly region: string;
    readonly requestHash: string;
    readonly idempotencyKeyHash: string;
    readonly receiptKey: string;
    readonly receiptStatus: ReceiptStatus;
    readonly receiptStoredAt?: string;
}

/** What clients see: identical for the first response, every replay and GET. */
export interface TransactionView {
    readonly id: string;
    readonly status: "ACCEPTED";
    readonly amount: number;
    readonly currency: string;
    readonly merchantId: string;
    readonly reference: string | null;
    readonly metadata?: Readonly<Record<string, string>>;
    readonly createdAt: string;
    readonly region: string;
}

export const TRANSACTION_SORT_KEY = "TXN";

export function transactionKey(id: string): { pk: string; sk: "TXN" } {
    return { pk: `TXN#${id}`, sk: TRANSACTION_SORT_KEY };
}

/** Metadata with keys in a fixed order: DynamoDB does not preserve map order, replays must. */
function sortedMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
    const sorted: Record<string, string> = {};
    for (const key of Object.keys(metadata).sort()) {
        sorted[key] = metadata[key];
    }
    return sorted;
}

/** The public view, with a fixed field order so that equal items serialise to equal bytes. */
export function toView(item: TransactionItem): TransactionView {
    const view = {
        id: item.id,
        status: item.status,
        amount: item.amount,
        currency: item.currency,
        merchantId: item.merchantId,
        reference: item.reference ?? null,
        ...(item.metadata === undefined ? {} : { metadata: sortedMetadata(item.metadata) }),
        createdAt: item.createdAt,
        region: item.region,
    };
    return view;
}

/** A stored record failed its shape check: a defect or manual edit, reported as a 500. */
export class CorruptTransactionError extends Error {
    constructor(id: string, problem: string) {
        super(`stored transaction ${id} is malformed: ${problem}`);
        this.name = "CorruptTransactionError";
    }
}

function isStringMap(value: unknown): value is Record<string, string> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === "string");
}

/** Checks a raw DynamoDB item before anything is built from it. */
export function parseItem(id: string, raw: Record<string, unknown>): TransactionItem {
    const strings = ["id", "currency", "merchantId", "createdAt", "region", "requestHash", "idempotencyKeyHash", "receiptKey"];
    for (const name of strings) {
        if (typeof raw[name] !== "string") {
            throw new CorruptTransactionError(id, `${name} is not a string`);
        }
    }
    if (raw.id !== id || raw.sk !== TRANSACTION_SORT_KEY || raw.status !== "ACCEPTED") {
        throw new CorruptTransactionError(id, "id, sk or status does not match");
    }
    if (typeof raw.amount !== "number" || !Number.isSafeInteger(raw.amount)) {
        throw new CorruptTransactionError(id, "amount is not an integer");
    }
    if (raw.reference !== undefined && raw.reference !== null && typeof raw.reference !== "string") {
        throw new CorruptTransactionError(id, "reference is not a string");
    }
    if (raw.metadata !== undefined && !isStringMap(raw.metadata)) {
        throw new CorruptTransactionError(id, "metadata is not a map of strings");
    }
    if (raw.receiptStatus !== "PENDING" && raw.receiptStatus !== "STORED") {
        throw new CorruptTransactionError(id, "receiptStatus is neither PENDING nor STORED");
    }
    return raw as unknown as TransactionItem;
}
