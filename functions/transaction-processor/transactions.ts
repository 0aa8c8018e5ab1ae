import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailed } from "./aws-errors";
import { parseVersion, VERSION_SORT_KEY_PREFIX, type VersionItem } from "./versions";
import { retryWriteConflicts, type ConflictRetryOptions } from "./write-conflicts";

/**
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

/** Everything stored under one transaction id: the transaction and, in eventual mode, each Region's version. */
export interface TransactionRecord {
    readonly item?: TransactionItem;
    readonly versions: readonly VersionItem[];
}

/**
 * DynamoDB access for transactions: exactly the actions the function's IAM policy grants (GetItem, PutItem,
 * UpdateItem, Query). Every call takes the request's deadline signal; every write is retried a few times on a
 * multi-Region strong consistency write conflict (write-conflicts.ts).
 */
export class TransactionStore {
    constructor(
        private readonly client: DynamoDBDocumentClient,
        private readonly tableName: string,
        private readonly conflictRetry: ConflictRetryOptions = {},
    ) {}

    /** Conditional put: true if this call created the item, false if the id already existed. */
    async putIfAbsent(item: TransactionItem, abortSignal?: AbortSignal): Promise<boolean> {
        return retryWriteConflicts(() => this.putIfAbsentOnce(item, abortSignal), this.conflictRetry);
    }

    private async putIfAbsentOnce(item: TransactionItem, abortSignal?: AbortSignal): Promise<boolean> {
        try {
            await this.client.send(
                new PutCommand({
                    TableName: this.tableName,
                    Item: item,
                    ConditionExpression: "attribute_not_exists(pk)",
                }),
                { abortSignal },
            );
            return true;
        } catch (error) {
            if (isConditionalCheckFailed(error)) {
                return false;
            }
            throw error;
        }
    }

    /**
     * This Region's version of a transaction (eventual mode). Only this Region ever writes it, so replication
     * never overwrites it with another Region's; an unconditional put, as a repeat writes the same version again.
     */
    async putVersion(version: VersionItem, abortSignal?: AbortSignal): Promise<void> {
        await retryWriteConflicts(() => this.client.send(new PutCommand({ TableName: this.tableName, Item: version }), { abortSignal }), this.conflictRetry);
    }

    /** The transaction and its Regions' versions: one strongly consistent Query of the id's partition. */
    async read(id: string, abortSignal?: AbortSignal): Promise<TransactionRecord> {
        const result = await this.client.send(
            new QueryCommand({
                TableName: this.tableName,
                KeyConditionExpression: "pk = :pk",
                ExpressionAttributeValues: { ":pk": transactionKey(id).pk },
                ConsistentRead: true,
            }),
            { abortSignal },
        );
        let item: TransactionItem | undefined;
        const versions: VersionItem[] = [];
        for (const raw of result.Items ?? []) {
            if (raw.sk === TRANSACTION_SORT_KEY) {
                item = parseItem(id, raw);
            } else if (typeof raw.sk === "string" && raw.sk.startsWith(VERSION_SORT_KEY_PREFIX)) {
                versions.push(parseVersion(id, raw));
            }
        }
        return { item, versions };
    }

    /** Strongly consistent read (this region's replica), so a retry always sees its own first write. */
    async get(id: string, abortSignal?: AbortSignal): Promise<TransactionItem | undefined> {
        const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: transactionKey(id), ConsistentRead: true }), { abortSignal });
        return result.Item === undefined ? undefined : parseItem(id, result.Item);
    }

    /**
     * Marks the receipt as stored. The condition stops UpdateItem from ever creating a stray item;
     * `receiptStoredAt` keeps the first time it was marked.
     */
    async markReceiptStored(id: string, storedAt: string, abortSignal?: AbortSignal): Promise<void> {
        await retryWriteConflicts(() => this.markReceiptStoredOnce(id, storedAt, abortSignal), this.conflictRetry);
    }

    private async markReceiptStoredOnce(id: string, storedAt: string, abortSignal?: AbortSignal): Promise<void> {
        await this.client.send(
            new UpdateCommand({
                TableName: this.tableName,
                Key: transactionKey(id),
                UpdateExpression: "SET receiptStatus = :stored, receiptStoredAt = if_not_exists(receiptStoredAt, :now)",
                ConditionExpression: "attribute_exists(pk)",
                ExpressionAttributeValues: { ":stored": "STORED", ":now": storedAt },
            }),
            { abortSignal },
        );
    }
}
