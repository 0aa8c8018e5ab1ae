import type { AttributeValue, DynamoDBRecord } from "aws-lambda";

/**
 * Turns a DynamoDB stream record of the transactions table into a ledger entry. Pure and strict: anything
 * that is not a well-formed transaction is `skip` (another item type, a removal) or `malformed` (a
 * transaction item that fails its shape check), never a guess.
 */

export type ReceiptStatus = "PENDING" | "STORED";

/**
 * Monotonic version of a transaction's state: a transaction is created PENDING and only ever moves to STORED.
 * Replicated and replayed records may arrive late or twice; the ledger keeps the highest version.
 */
export const RECEIPT_STATUS_VERSION: Readonly<Record<ReceiptStatus, number>> = { PENDING: 1, STORED: 2 };

export interface LedgerEntry {
    readonly transactionId: string;
    readonly amountMinor: number;
    readonly currency: string;
    readonly merchantId: string;
    readonly reference: string | null;
    readonly metadata: Readonly<Record<string, string>> | null;
    readonly createdAt: string;
    /** The region that accepted the transaction (the item's `region`). */
    readonly originRegion: string;
    readonly receiptStatus: ReceiptStatus;
    readonly version: number;
    /** SHA-256 of the request: two regions accepting different bodies for one id is a conflict, not an update. */
    readonly requestHash: string;
}

export type ParsedRecord =
    | { readonly kind: "entry"; readonly entry: LedgerEntry }
    | { readonly kind: "skip"; readonly reason: string }
    | { readonly kind: "malformed"; readonly reason: string };

const TRANSACTION_ID = /^txn_[a-z2-7]{26}$/;
const CURRENCY = /^[A-Z]{3}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function stringOf(image: Record<string, AttributeValue>, name: string): string | undefined {
    const value = image[name];
    return value && typeof value.S === "string" ? value.S : undefined;
}

export function parseStreamRecord(record: DynamoDBRecord): ParsedRecord {
    const keys = record.dynamodb?.Keys;
    if (keys?.sk?.S !== "TXN" || !keys.pk?.S?.startsWith("TXN#")) {
        return { kind: "skip", reason: "not a transaction item" };
    }
    if (record.eventName === "REMOVE") {
        // Transactions are never deleted by the application; the ledger keeps what it recorded.
        return { kind: "skip", reason: "removal" };
    }
    if (record.eventName !== "INSERT" && record.eventName !== "MODIFY") {
        return { kind: "malformed", reason: `unknown event name ${String(record.eventName)}` };
    }
    const image = record.dynamodb?.NewImage;
    if (!image) {
        return { kind: "malformed", reason: "no NewImage (the stream must be NEW_IMAGE or NEW_AND_OLD_IMAGES)" };
    }
    const id = stringOf(image, "id");
    if (id === undefined || !TRANSACTION_ID.test(id) || keys.pk.S !== `TXN#${id}`) {
        return { kind: "malformed", reason: "id is missing, malformed or does not match the key" };
    }
    const amountText = image.amount?.N;
    const amount = amountText === undefined ? NaN : Number(amountText);
    if (!/^\d+$/.test(amountText ?? "") || !Number.isSafeInteger(amount) || amount < 1) {
        return { kind: "malformed", reason: "amount is not a positive integer" };
    }
    const currency = stringOf(image, "currency");
    if (currency === undefined || !CURRENCY.test(currency)) {
        return { kind: "malformed", reason: "currency is not a three-letter code" };
    }
    const required = ["merchantId", "region", "requestHash"].map((name) => [name, stringOf(image, name)] as const);
    const missing = required.filter(([, value]) => value === undefined || value === "").map(([name]) => name);
    if (missing.length > 0) {
        return { kind: "malformed", reason: `missing ${missing.join(", ")}` };
    }
    const createdAt = stringOf(image, "createdAt");
    if (createdAt === undefined || !ISO_TIMESTAMP.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
        return { kind: "malformed", reason: "createdAt is not an ISO-8601 UTC timestamp" };
    }
    const status = stringOf(image, "receiptStatus");
    if (status !== "PENDING" && status !== "STORED") {
        return { kind: "malformed", reason: "receiptStatus is neither PENDING nor STORED" };
    }
    const referenceValue = image.reference;
    let reference: string | null = null;
    if (referenceValue !== undefined && referenceValue.NULL !== true) {
        if (typeof referenceValue.S !== "string") {
            return { kind: "malformed", reason: "reference is not a string" };
        }
        reference = referenceValue.S;
    }
    let metadata: Record<string, string> | null = null;
    if (image.metadata !== undefined) {
        const map = image.metadata.M;
        if (!map || !Object.values(map).every((v) => typeof v.S === "string")) {
            return { kind: "malformed", reason: "metadata is not a map of strings" };
        }
        metadata = Object.fromEntries(
            Object.keys(map)
                .sort()
                .map((k) => [k, map[k].S as string]),
        );
    }
    const get = (name: string) => required.find(([n]) => n === name)![1]!;
    return {
        kind: "entry",
        entry: {
            transactionId: id,
            amountMinor: amount,
            currency,
            merchantId: get("merchantId"),
            reference,
            metadata,
            createdAt,
            originRegion: get("region"),
            receiptStatus: status,
            version: RECEIPT_STATUS_VERSION[status],
            requestHash: get("requestHash"),
        },
    };
}
