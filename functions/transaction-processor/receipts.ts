import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isPreconditionFailed } from "./aws-errors";
import { toView, type TransactionItem } from "./transactions";

/**
 * `receipts/<shard>/YYYY/MM/DD/<id>.json`, dated by the transaction's `createdAt` (UTC). The shard (two
 * characters of the id's hash, 1,024 values) comes before the date so that each day's writes spread over the
 * whole key space: S3 serves about 3,500 PUTs per second per partition, and a date-first key would send every
 * write of a new day (10,000 per second at the target) into one cold partition at midnight.
 */
export function receiptKeyFor(id: string, createdAt: string): string {
    const [year, month, day] = createdAt.slice(0, 10).split("-");
    return `receipts/${receiptShard(id)}/${year}/${month}/${day}/${id}.json`;
}

/** The first two hash characters after `txn_`. */
export function receiptShard(id: string): string {
    return id.slice(4, 6);
}

export const RECEIPT_SCHEMA = "payments-dr/receipt/v1";

/** The receipt document: a pure function of the stored item, so a rewrite is byte-identical. */
export function receiptBody(item: TransactionItem): string {
    return JSON.stringify({ schema: RECEIPT_SCHEMA, transaction: toView(item) });
}

/** Writes receipts to this region's bucket under this region's CMK. */
export class ReceiptStore {
    constructor(
        private readonly client: S3Client,
        private readonly bucketName: string,
        private readonly kmsKeyId: string,
    ) {}

    /**
     * Stores the receipt once. `If-None-Match: *` makes the write conditional: when a concurrent or
     * earlier request already stored it, S3 answers 412 and the existing object (same bytes) stands,
     * so a versioned, replicated bucket gets one version per receipt, not one per retry.
     * The S3 Bucket Key keeps KMS calls off the per-object path at high request rates.
     */
    async put(item: TransactionItem, abortSignal?: AbortSignal): Promise<void> {
        try {
            await this.client.send(
                new PutObjectCommand({
                    Bucket: this.bucketName,
                    Key: item.receiptKey,
                    Body: receiptBody(item),
                    ContentType: "application/json",
                    ServerSideEncryption: "aws:kms",
                    SSEKMSKeyId: this.kmsKeyId,
                    BucketKeyEnabled: true,
                    IfNoneMatch: "*",
                }),
                { abortSignal },
            );
        } catch (error) {
            if (!isPreconditionFailed(error)) {
                throw error;
            }
        }
    }
}
