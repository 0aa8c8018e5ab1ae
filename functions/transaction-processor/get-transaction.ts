import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { isTransient } from "./aws-errors";
import { authorize } from "./caller";
import { TRANSACTION_ID_PATTERN } from "./ids";
import { HttpError, jsonReply, type Reply } from "./responses";
import { retryAfterHeader } from "./retry-after";
import type { Runtime } from "./runtime";
import { conflictSection, reportConflict, type ConflictSection } from "./conflicts";
import { toView, type TransactionRecord, type TransactionView } from "./transactions";
import { versionAnswers } from "./versions";

/**
 * `GET /transactions/{id}`: 200 with the transaction, 404 if absent or another tenant's (the same answer, so an
 * id reveals nothing about other merchants), 400 for a malformed id.
 */
export async function getTransaction(event: APIGatewayProxyEventV2, id: string, runtime: Runtime, deadline?: AbortSignal): Promise<Reply> {
    const tenant = authorize(event, runtime, "read");
    if (!TRANSACTION_ID_PATTERN.test(id)) {
        throw new HttpError(400, "INVALID_TRANSACTION_ID", "transaction ids look like txn_ followed by 26 characters of a-z and 2-7", "id");
    }
    let record: TransactionRecord;
    try {
        record = await runtime.transactions.read(id, deadline);
    } catch (error) {
        if (isTransient(error)) {
            throw new HttpError(503, "SERVICE_UNAVAILABLE", "the transaction store is temporarily unavailable; retry later", undefined, retryAfterHeader());
        }
        throw error;
    }
    // Normally the transaction item; a version alone only while replication of the item itself is still under way.
    const owner = record.item?.merchantId ?? record.versions[0]?.merchantId;
    if (owner === undefined || owner !== tenant) {
        throw new HttpError(404, "TRANSACTION_NOT_FOUND", `transaction ${id} does not exist`);
    }
    return jsonReply(200, getTransactionAnswer(record, reportConflict(record, runtime.config)));
}

/**
 * What GET answers for a record (also the `stored` part of a 409): the transaction, or the first version while the
 * item itself has not replicated yet, with the `conflict` section when the key was accepted in two Regions.
 */
export function getTransactionAnswer(record: TransactionRecord, conflicted: boolean): TransactionView | (TransactionView & { conflict: ConflictSection }) {
    const view: TransactionView = record.item !== undefined ? toView(record.item) : versionAnswers(record.versions)[0];
    return conflicted ? { ...view, conflict: conflictSection(record) } : view;
}
