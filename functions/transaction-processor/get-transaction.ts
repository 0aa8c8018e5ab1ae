import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { isTransient } from "./aws-errors";
import { TRANSACTION_ID_PATTERN } from "./ids";
import { HttpError, jsonReply, type Reply } from "./responses";
import { retryAfterHeader } from "./retry-after";
import type { Runtime } from "./runtime";
import { tenantOf } from "./tenant";
import { toView } from "./transactions";

/**
 * `GET /transactions/{id}`: 200 with the transaction, 404 if absent or another tenant's (the same answer, so an
 * id reveals nothing about other merchants), 400 for a malformed id.
 */
export async function getTransaction(event: APIGatewayProxyEventV2, id: string, runtime: Runtime, deadline?: AbortSignal): Promise<Reply> {
    const tenant = tenantOf(event, runtime.config);
    if (!TRANSACTION_ID_PATTERN.test(id)) {
        throw new HttpError(400, "INVALID_TRANSACTION_ID", "transaction ids look like txn_ followed by 26 characters of a-z and 2-7", "id");
    }
    let item;
    try {
        item = await runtime.transactions.get(id, deadline);
    } catch (error) {
        if (isTransient(error)) {
            throw new HttpError(503, "SERVICE_UNAVAILABLE", "the transaction store is temporarily unavailable; retry later", undefined, retryAfterHeader());
        }
        throw error;
    }
    if (item === undefined || item.merchantId !== tenant) {
        throw new HttpError(404, "TRANSACTION_NOT_FOUND", `transaction ${id} does not exist`);
    }
    return jsonReply(200, toView(item));
}
