import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { isTransient } from "./aws-errors";
import { createdDayShardFor } from "./day-index";
import { canonicalJson, idempotencyKeyHash, sha256Hex, transactionIdFor } from "./ids";
import { receiptKeyFor } from "./receipts";
import { HttpError, headerValue, jsonReply, type Reply } from "./responses";
import { retryAfterHeader } from "./retry-after";
import type { Runtime } from "./runtime";
import { tenantOf } from "./tenant";
import { toView, transactionKey, type TransactionItem } from "./transactions";
import {
    checkContentType,
    decodeBody,
    parseCreateTransactionBody,
    parseIdempotencyKey,
    parseJson,
    type CreateTransactionBody,
    type CreateTransactionInput,
} from "./validation";

export const IDEMPOTENT_REPLAY_HEADER = "Idempotent-Replay";
const RETRY_SAME_KEY = "retry the request with the same Idempotency-Key and body";

/** 503 for a transient table failure; anything else propagates to the generic 500. */
async function withTable<T>(operation: () => Promise<T>): Promise<T> {
    try {
        return await operation();
    } catch (error) {
        if (isTransient(error)) {
            throw new HttpError(
                503,
                "SERVICE_UNAVAILABLE",
                `the transaction store is temporarily unavailable; ${RETRY_SAME_KEY}`,
                undefined,
                retryAfterHeader(),
            );
        }
        throw error;
    }
}

/** The hash that decides "same body": canonical JSON of the validated input (key order, `reference: null` vs absent do not matter). */
export function requestHashOf(input: CreateTransactionInput): string {
    return sha256Hex(canonicalJson({ ...input, metadata: input.metadata ?? null }));
}

function newItem(id: string, input: CreateTransactionInput, requestHash: string, keyHash: string, region: string, createdAt: string): TransactionItem {
    return {
        ...transactionKey(id),
        id,
        status: "ACCEPTED",
        amount: input.amount,
        currency: input.currency,
        merchantId: input.merchantId,
        ...(input.reference === null ? {} : { reference: input.reference }),
        ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
        createdAt,
        createdDayShard: createdDayShardFor(id, createdAt),
        region,
        requestHash,
        idempotencyKeyHash: keyHash,
        receiptKey: receiptKeyFor(id, createdAt),
        receiptStatus: "PENDING",
    };
}

/**
 * Stores the receipt and marks the item STORED. A 2xx is only ever sent once both happened, so a
 * client that got an error retries, and the retry repairs whatever is missing.
 */
async function ensureReceipt(runtime: Runtime, item: TransactionItem, deadline?: AbortSignal): Promise<void> {
    try {
        await runtime.receipts.put(item, deadline);
    } catch (error) {
        const transient = isTransient(error);
        throw new HttpError(
            transient ? 503 : 502,
            transient ? "RECEIPT_STORAGE_UNAVAILABLE" : "RECEIPT_STORAGE_FAILED",
            `transaction ${item.id} was recorded but its receipt could not be stored; ${RETRY_SAME_KEY}`,
            undefined,
            retryAfterHeader(),
        );
    }
    await withTable(() => runtime.transactions.markReceiptStored(item.id, new Date().toISOString(), deadline));
}

/** The body's merchant must be the caller's tenant, or be omitted; the stored merchant is always the tenant. */
function forTenant(body: CreateTransactionBody, tenant: string): CreateTransactionInput {
    if (body.merchantId !== undefined && body.merchantId !== tenant) {
        throw new HttpError(
            403,
            "MERCHANT_MISMATCH",
            "merchantId must be the authenticated merchant (or be omitted); a caller can only create its own transactions",
            "merchantId",
        );
    }
    return { ...body, merchantId: tenant };
}

/**
 * Checks in this order: tenant (401/403), content type (415), size (413), Idempotency-Key (400), JSON (400),
 * fields (400), merchantId against the tenant (403).
 */
function parseRequest(event: APIGatewayProxyEventV2, runtime: Runtime) {
    const tenant = tenantOf(event, runtime.config);
    checkContentType(headerValue(event.headers, "content-type"));
    const bytes = decodeBody(event.body, event.isBase64Encoded);
    const idempotencyKey = parseIdempotencyKey(headerValue(event.headers, "idempotency-key"));
    const input = forTenant(parseCreateTransactionBody(runtime.bodySchema, parseJson(bytes)), tenant);
    return { tenant, idempotencyKey, input };
}

/** `POST /transactions`: exactly-once creation keyed by the tenant and its Idempotency-Key. */
export async function createTransaction(event: APIGatewayProxyEventV2, runtime: Runtime, deadline?: AbortSignal): Promise<Reply> {
    const { tenant, idempotencyKey, input } = parseRequest(event, runtime);
    const id = transactionIdFor(tenant, idempotencyKey);
    const keyHash = idempotencyKeyHash(tenant, idempotencyKey);
    const requestHash = requestHashOf(input);
    const item = newItem(id, input, requestHash, keyHash, runtime.config.appRegion, new Date().toISOString());

    if (await withTable(() => runtime.transactions.putIfAbsent(item, deadline))) {
        await ensureReceipt(runtime, item, deadline);
        return jsonReply(201, toView(item));
    }

    const existing = await withTable(() => runtime.transactions.get(id, deadline));
    if (existing === undefined) {
        // Transactions are never deleted; this can only be a replica catching up. Let the client retry.
        throw new HttpError(503, "SERVICE_UNAVAILABLE", `the transaction store is catching up; ${RETRY_SAME_KEY}`, undefined, retryAfterHeader());
    }
    if (existing.idempotencyKeyHash !== keyHash || existing.requestHash !== requestHash) {
        throw new HttpError(
            409,
            "IDEMPOTENCY_CONFLICT",
            "this Idempotency-Key was already used with a different request body; use a new key for a new transaction",
            "Idempotency-Key",
        );
    }
    if (existing.receiptStatus !== "STORED") {
        await ensureReceipt(runtime, existing, deadline);
    }
    return jsonReply(200, toView(existing), { [IDEMPOTENT_REPLAY_HEADER]: "true" });
}
