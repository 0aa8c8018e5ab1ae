import { isTransaction, type Transaction } from "./transaction";

/**
 * What a call can end with besides a result. Every error names the region that answered; `GaveUpError` carries
 * every attempt, so a caller (or its operator) can see where the time went.
 */

/** One request sent (or tried) to one region. */
export interface Attempt {
    /** `primary`, `secondary` or `failover`: which configured endpoint was used. */
    readonly endpoint: string;
    /** The endpoint's AWS region, or the endpoint name when it has none (a failover name without `region`). */
    readonly region: string;
    /** When the request was sent (ISO-8601). */
    readonly at: string;
    readonly durationMs: number;
    /** The HTTP status; absent when no answer came (refused, reset, timed out). */
    readonly status?: number;
    /** The API's error code (`REGION_FENCED`, …) or the network failure (`timeout`, `ECONNREFUSED`, …). */
    readonly code?: string;
    /** The answer's `Retry-After`, in milliseconds, when it had one. */
    readonly retryAfterMs?: number;
}

/** The API's error body (`{ error: { code, message, field? } }`); API Gateway's own answers have only `message`. */
export interface ApiErrorBody {
    readonly error?: { readonly code?: string; readonly message?: string; readonly field?: string };
    readonly message?: string;
    readonly [name: string]: unknown;
}

/** An answer the API gave and the client does not retry: the status, the code and the whole body. */
export class PaymentsApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        /** The answer's body as sent (parsed JSON, or `{ message: text }` when it was not JSON). */
        readonly body: ApiErrorBody,
        readonly region: string,
        readonly attempts: readonly Attempt[],
        readonly requestId?: string,
    ) {
        super(message);
        this.name = new.target.name;
    }
}

/** 400, 413, 415: the request itself is wrong; sending it again cannot help. `field` names the culprit when known. */
export class ValidationError extends PaymentsApiError {
    get field(): string | undefined {
        return this.body.error?.field;
    }
}

/** 401, 403: the caller is not authenticated, or not allowed (wrong tenant, signature for another region). */
export class AuthError extends PaymentsApiError {}

/**
 * 409: this Idempotency-Key was already used with a different body. Never retried: the first request's
 * transaction stands. `body` is the API's answer as sent.
 */
export class ConflictError extends PaymentsApiError {
    /**
     * The transaction the key already created (only ever the caller's own), as `getTransaction` returns it, with
     * its `conflict` section when the key was accepted in two regions; undefined when the answer carried none.
     */
    get stored(): Transaction | undefined {
        return isTransaction(this.body.stored) ? this.body.stored : undefined;
    }
}

/** 404: no such transaction for this tenant (checked in both regions when two are configured). */
export class NotFoundError extends PaymentsApiError {}

/** Why the client stopped trying. */
export type GaveUpReason = "max-attempts" | "deadline";

/**
 * Every attempt failed in a way worth retrying (network, timeout, 429, 5xx) until `maxAttempts` or the overall
 * deadline ran out. The payment may or may not exist: retry later with the same `idempotencyKey` and body.
 */
export class GaveUpError extends Error {
    constructor(
        readonly reason: GaveUpReason,
        readonly attempts: readonly Attempt[],
        /** The key every attempt carried (create only): reuse it, with the same body, to find out. */
        readonly idempotencyKey?: string,
    ) {
        super(
            `gave up after ${attempts.length} attempt${attempts.length === 1 ? "" : "s"} (${reason}): ` +
                attempts.map((a) => `${a.region} ${a.status ?? "-"}${a.code ? ` ${a.code}` : ""} at ${a.at} (${a.durationMs} ms)`).join("; "),
        );
        this.name = "GaveUpError";
    }
}

/** The options given to the constructor are unusable: every problem, one per line. */
export class ClientConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`PaymentsClient options are invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ClientConfigError";
    }
}
