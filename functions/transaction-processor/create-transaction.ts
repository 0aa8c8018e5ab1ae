import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { isTransient } from "./aws-errors";
import { conflictHeaders, reportConflict } from "./conflicts";
import { createdDayShardFor } from "../../contracts/day-index";
import { authorize } from "./caller";
import { canonicalJson, idempotencyKeyHash, sha256Hex, transactionIdFor } from "./ids";
import { legacyTransactionFor } from "./legacy-ids";
import { receiptBodyOf, receiptKeyFor } from "./receipts";
import { getTransactionAnswer } from "./get-transaction";
import { HttpError, headerValue, jsonReply, type ErrorBody, type Reply } from "./responses";
import { retryAfterHeader } from "./retry-after";
import type { Runtime } from "./runtime";
import { toView, transactionKey, type TransactionItem, type TransactionRecord, type TransactionView } from "./transactions";
import {
    checkContentType,
    decodeBody,
    parseCreateTransactionBody,
    parseIdempotencyKey,
    parseJson,
    type CreateTransactionBody,
    type CreateTransactionInput,
} from "./validation";
import { versionOf, versionReceiptKey, type VersionItem } from "./versions";
import { isReplicatedWriteConflict } from "./write-conflicts";

export const IDEMPOTENT_REPLAY_HEADER = "Idempotent-Replay";
const RETRY_SAME_KEY = "retry the request with the same Idempotency-Key and body";

/** 503 for a transient table failure (a persisting cross-Region write conflict included); anything else is a 500. */
async function withTable<T>(operation: () => Promise<T>): Promise<T> {
    try {
        return await operation();
    } catch (error) {
        if (isReplicatedWriteConflict(error)) {
            throw new HttpError(
                503,
                "WRITE_CONFLICT",
                `another Region is writing this transaction at the same moment; ${RETRY_SAME_KEY}`,
                undefined,
                retryAfterHeader(),
            );
        }
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

/** `perVersionReceipt` (eventual mode): the receipt key names the accepting Region, one receipt per accepted version. */
function newItem(
    id: string,
    input: CreateTransactionInput,
    requestHash: string,
    keyHash: string,
    region: string,
    createdAt: string,
    perVersionReceipt: boolean,
): TransactionItem {
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
        receiptKey: receiptKeyFor(id, createdAt, perVersionReceipt ? region : undefined),
        receiptStatus: "PENDING",
    };
}

/** 503 (retry) or 502 for a receipt that could not be stored: the client retries and the replay repairs it. */
function receiptFailure(id: string, error: unknown): HttpError {
    const transient = isTransient(error);
    return new HttpError(
        transient ? 503 : 502,
        transient ? "RECEIPT_STORAGE_UNAVAILABLE" : "RECEIPT_STORAGE_FAILED",
        `transaction ${id} was recorded but its receipt could not be stored; ${RETRY_SAME_KEY}`,
        undefined,
        retryAfterHeader(),
    );
}

/**
 * Makes sure this region's bucket holds the receipt and marks the item STORED (unless it already is). A 2xx is
 * only ever sent once both happened, so a client that got an error retries, and the retry repairs whatever is
 * missing: also a receipt missing in this region although the item, replicated from the other, says STORED.
 */
async function ensureReceipt(runtime: Runtime, item: TransactionItem, deadline?: AbortSignal): Promise<void> {
    try {
        await runtime.receipts.put(item, deadline);
    } catch (error) {
        throw receiptFailure(item.id, error);
    }
    if (item.receiptStatus !== "STORED") {
        await withTable(() => runtime.transactions.markReceiptStored(item.id, new Date().toISOString(), deadline));
    }
}

/** `ensureReceipt` for a version the table's item is not (eventual mode): the receipt of what that Region answered. */
async function ensureVersionReceipt(runtime: Runtime, version: VersionItem, deadline?: AbortSignal): Promise<void> {
    const receipt = { id: version.id, receiptKey: versionReceiptKey(version), body: receiptBodyOf(JSON.parse(version.answer) as TransactionView) };
    try {
        await runtime.receipts.putDocument(receipt, deadline);
    } catch (error) {
        throw receiptFailure(version.id, error);
    }
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
 * Checks in this order: tenant (401/403), scope (403), the merchant's limit (429), content type (415), size (413,
 * before decoding), Idempotency-Key (400), JSON (400), fields (400), merchantId against the tenant (403).
 */
function parseRequest(event: APIGatewayProxyEventV2, runtime: Runtime) {
    const tenant = authorize(event, runtime, "write");
    checkContentType(headerValue(event.headers, "content-type"));
    const bytes = decodeBody(event.body, event.isBase64Encoded);
    const idempotencyKey = parseIdempotencyKey(headerValue(event.headers, "idempotency-key"));
    const input = forTenant(parseCreateTransactionBody(runtime.bodySchema, parseJson(bytes)), tenant);
    return { tenant, idempotencyKey, input };
}

/** `POST /transactions`: exactly-once creation keyed by the tenant and its Idempotency-Key. */
export async function createTransaction(event: APIGatewayProxyEventV2, runtime: Runtime, deadline?: AbortSignal): Promise<Reply> {
    const { tenant, idempotencyKey, input } = parseRequest(event, runtime);
    const requestHash = requestHashOf(input);
    // A key first used before ids were keyed (v3) replays the transaction stored under its old id (legacy-ids.ts).
    const legacy = await withTable(() => legacyTransactionFor(runtime, tenant, idempotencyKey, deadline));
    if (legacy !== undefined) {
        return replay(legacy.record, { tenant, keyHash: legacy.keyHash, requestHash }, runtime, deadline);
    }
    const { transactionIdKey } = runtime.config;
    const id = transactionIdFor(transactionIdKey, tenant, idempotencyKey);
    const keyHash = idempotencyKeyHash(transactionIdKey, tenant, idempotencyKey);
    const eventual = runtime.config.consistencyMode === "eventual";
    const item = newItem(id, input, requestHash, keyHash, runtime.config.appRegion, new Date().toISOString(), eventual);

    if (await withTable(() => runtime.transactions.putIfAbsent(item, deadline))) {
        const view = toView(item);
        if (runtime.config.consistencyMode === "eventual") {
            await withTable(() => runtime.transactions.putVersion(versionOf(item, view), deadline));
        }
        await ensureReceipt(runtime, item, deadline);
        return jsonReply(201, view);
    }
    const record = await withTable(() => runtime.transactions.read(id, deadline));
    return replay(record, { tenant, keyHash, requestHash }, runtime, deadline);
}

/**
 * The key was used before. Same body: 200 with the transaction as stored (after repairing a missing receipt or,
 * in eventual mode, this Region's missing version). A body only another Region's version has (the key was
 * accepted in two Regions, differently): 200 with exactly what that Region answered, flagged as a conflict.
 * Any other body: 409.
 */
async function replay(
    record: TransactionRecord,
    request: { readonly tenant: string; readonly keyHash: string; readonly requestHash: string },
    runtime: Runtime,
    deadline?: AbortSignal,
): Promise<Reply> {
    const { item: existing, versions } = record;
    const flagged = reportConflict(record, runtime.config);
    const sameRequest = (stored: { idempotencyKeyHash: string; requestHash: string }) =>
        stored.idempotencyKeyHash === request.keyHash && stored.requestHash === request.requestHash;
    if (existing !== undefined && sameRequest(existing)) {
        const { appRegion } = runtime.config;
        if (runtime.config.consistencyMode === "eventual" && existing.region === appRegion && !versions.some((v) => v.region === appRegion)) {
            await withTable(() => runtime.transactions.putVersion(versionOf(existing, toView(existing)), deadline));
        }
        // Every replay repairs this Region's receipt, STORED or not: the item may have replicated without its object.
        await ensureReceipt(runtime, existing, deadline);
        return jsonReply(200, toView(existing), { [IDEMPOTENT_REPLAY_HEADER]: "true", ...conflictHeaders(flagged) });
    }
    const version = versions.find(sameRequest);
    if (version !== undefined) {
        // Another Region's version (the table kept this Region's, or the other way round): its own receipt, repaired here too.
        await ensureVersionReceipt(runtime, version, deadline);
        return jsonReply(200, JSON.parse(version.answer) as object, { [IDEMPOTENT_REPLAY_HEADER]: "true", ...conflictHeaders(flagged) });
    }
    if (existing === undefined) {
        // Transactions are never deleted; this can only be a replica catching up. Let the client retry.
        throw new HttpError(503, "SERVICE_UNAVAILABLE", `the transaction store is catching up; ${RETRY_SAME_KEY}`, undefined, retryAfterHeader());
    }
    return idempotencyConflict(record, request.tenant, flagged);
}

/** A 409 `IDEMPOTENCY_CONFLICT` body: the error and, in `stored`, the key's transaction as GET answers it. */
export interface IdempotencyConflictBody extends ErrorBody {
    readonly stored?: ReturnType<typeof getTransactionAnswer>;
}

/**
 * 409 with what the key already created, so the client can show it. The record was read under the caller's own
 * tenant-scoped id (ids.ts), so it is the caller's; the owner check only keeps a corrupt or hand-edited item of
 * another merchant out of the answer (the 409 then carries no `stored`).
 */
function idempotencyConflict(record: TransactionRecord, tenant: string, conflicted: boolean): Reply {
    const body: IdempotencyConflictBody = {
        error: {
            code: "IDEMPOTENCY_CONFLICT",
            message: "this Idempotency-Key was already used with a different request body; use a new key for a new transaction",
            field: "Idempotency-Key",
        },
        ...(record.item?.merchantId === tenant ? { stored: getTransactionAnswer(record, conflicted) } : {}),
    };
    return jsonReply(409, body, conflictHeaders(conflicted));
}
