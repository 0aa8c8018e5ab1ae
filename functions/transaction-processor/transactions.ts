import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailed } from "./aws-errors";
import { parseVersion, VERSION_SORT_KEY_PREFIX, type VersionItem } from "./versions";
import { retryWriteConflicts, type ConflictRetryOptions } from "./write-conflicts";

// The item model (transaction-item.ts), re-exported: the store and its callers keep one import.
export * from "./transaction-item";
import { parseItem, transactionKey, TRANSACTION_SORT_KEY, type TransactionItem } from "./transaction-item";

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
