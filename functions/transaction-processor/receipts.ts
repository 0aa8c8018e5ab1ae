import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { errorName, isPreconditionFailed, serviceStatus } from "./aws-errors";
import { log } from "./log";
import { toView, type TransactionItem, type TransactionView } from "./transaction-item";

export { receiptKeyFor, receiptShard } from "./receipt-key";

export const RECEIPT_SCHEMA = "payments-dr/receipt/v1";

/** The receipt document: a pure function of the stored item, so a rewrite is byte-identical. */
export function receiptBody(item: TransactionItem): string {
    return receiptBodyOf(toView(item));
}

/** The receipt of a view (a version's answer parses back to the same view, in the same field order). */
export function receiptBodyOf(view: TransactionView): string {
    return JSON.stringify({ schema: RECEIPT_SCHEMA, transaction: view });
}

/** What storing a receipt found: written now, already there (same bytes), or there but different and replaced. */
export type ReceiptOutcome = "written" | "present" | "replaced";

/** S3 answered a conditional write that raced another one for the same key (409 `ConditionalRequestConflict`). */
export function isConditionalConflict(error: unknown): boolean {
    return errorName(error) === "ConditionalRequestConflict" || serviceStatus(error) === 409;
}

/** Attempts of the conditional PUT while S3 reports a concurrent conditional write of the same key. */
export const CONFLICT_ATTEMPTS = 3;
const CONFLICT_BACKOFF_MS = 50;

/** Writes receipts to this region's bucket under this region's CMK. */
export class ReceiptStore {
    constructor(
        private readonly client: S3Client,
        private readonly bucketName: string,
        private readonly kmsKeyId: string,
    ) {}

    /**
     * Makes sure this region's bucket holds exactly this item's receipt; called on every create and every replay,
     * so a replay repairs a receipt the region is missing (the item replicated, the object did not).
     * `If-None-Match: *` keeps one version per receipt in the versioned, replicated bucket: an existing object
     * answers 412, and is then read and compared, never assumed to be right. A different object is replaced,
     * conditionally on exactly the version that was compared (`If-Match`): the table is the system of record.
     * Real S3 answers the loser of two concurrent conditional PUTs with 409 `ConditionalRequestConflict`: retried.
     * The S3 Bucket Key keeps KMS calls off the per-object path at high request rates.
     */
    async put(item: TransactionItem, abortSignal?: AbortSignal): Promise<ReceiptOutcome> {
        return this.putDocument({ id: item.id, receiptKey: item.receiptKey, body: receiptBody(item) }, abortSignal);
    }

    /** `put` for any receipt document (a version's, in eventual mode). */
    async putDocument(
        receipt: { readonly id: string; readonly receiptKey: string; readonly body: string },
        abortSignal?: AbortSignal,
    ): Promise<ReceiptOutcome> {
        const { id, receiptKey, body } = receipt;
        for (let attempt = 1; ; attempt += 1) {
            try {
                await this.write(receiptKey, body, { IfNoneMatch: "*" }, abortSignal);
                return "written";
            } catch (error) {
                if (isConditionalConflict(error) && attempt < CONFLICT_ATTEMPTS) {
                    await new Promise((resolve) => setTimeout(resolve, CONFLICT_BACKOFF_MS * attempt));
                    continue;
                }
                if (!isPreconditionFailed(error)) {
                    throw error;
                }
                break;
            }
        }
        const existing = await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: receiptKey }), { abortSignal });
        if ((await existing.Body?.transformToString("utf8")) === body) {
            return "present";
        }
        log("error", "stored receipt differs from its transaction; replacing it", { transactionId: id, receiptKey });
        await this.write(receiptKey, body, { IfMatch: existing.ETag }, abortSignal);
        return "replaced";
    }

    private async write(key: string, body: string, condition: { IfNoneMatch?: string; IfMatch?: string }, abortSignal?: AbortSignal): Promise<void> {
        await this.client.send(
            new PutObjectCommand({
                Bucket: this.bucketName,
                Key: key,
                Body: body,
                ContentType: "application/json",
                ServerSideEncryption: "aws:kms",
                SSEKMSKeyId: this.kmsKeyId,
                BucketKeyEnabled: true,
                ...condition,
            }),
            { abortSignal },
        );
    }
}
