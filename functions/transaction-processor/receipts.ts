import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isPreconditionFailed } from "./aws-errors";
import { toView, type TransactionItem } from "./transactions";

/** `receipts/YYYY/MM/DD/<id>.json`, dated by the transaction's `createdAt` (UTC). */
export function receiptKeyFor(id: string, createdAt: string): string {
    const [year, month, day] = createdAt.slice(0, 10).split("-");
    return `receipts/${year}/${month}/${day}/${id}.json`;
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
