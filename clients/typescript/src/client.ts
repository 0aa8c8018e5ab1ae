import { randomUUID } from "crypto";
import { createAuthenticator, type Authenticator } from "./auth";
import { retryAfterMs, retryDelayMs, sleep } from "./backoff";
import { type Attempt, AuthError, ConflictError, GaveUpError, NotFoundError, PaymentsApiError, ValidationError, type ApiErrorBody } from "./errors";
import { type Endpoint, type PaymentsClientOptions, regionSwitchBoundMs, resolveSettings, type Settings } from "./options";
import { RegionRouter } from "./region-router";
import type { Transaction } from "./transaction";
import { type Answer, checkHealth, type PlannedRequest, sendOnce } from "./transport";

/** `POST /transactions` body (see the API reference in the README). */
export interface CreateTransactionInput {
    readonly amount: number;
    readonly currency: string;
    readonly merchantId?: string;
    readonly reference?: string | null;
    readonly metadata?: Readonly<Record<string, string>>;
}

export interface CallResult {
    readonly transaction: Transaction;
    /** The region that answered (an AWS region, or the endpoint's name when its region is not known). */
    readonly region: string;
    /** `primary`, `secondary` or `failover`. */
    readonly endpoint: string;
    /** Every attempt of this call, the successful one last. */
    readonly attempts: readonly Attempt[];
}

export interface CreateResult extends CallResult {
    /** The key was used before with this body: the transaction is the one created then (no new charge). */
    readonly replayed: boolean;
    /** The key every attempt carried. */
    readonly idempotencyKey: string;
    /** The API flagged the key as accepted in two regions with different bodies (`Transaction-Conflict: true`). */
    readonly crossRegionConflict: boolean;
}

const ERRORS: ReadonlyArray<[readonly number[], typeof PaymentsApiError]> = [
    [[400, 413, 415], ValidationError],
    [[401, 403], AuthError],
    [[409], ConflictError],
    [[404], NotFoundError],
];

/** Retried: the request may not have been processed, and the same key makes a second try safe. */
function retryable(status: number): boolean {
    return status === 429 || status >= 500;
}

/**
 * The payments API from code. Every call is retried with the same Idempotency-Key and the same body bytes, in
 * whichever region answers, so a payment is made at most once; see the README, "Using the API from code".
 */
export class PaymentsClient {
    /** The longest a dead region holds a call before it goes to the other region (ms). */
    readonly regionSwitchBoundMs: number;
    private readonly settings: Settings;
    private readonly authenticate: Authenticator;
    private readonly router: RegionRouter;

    constructor(options: PaymentsClientOptions) {
        this.settings = resolveSettings(options);
        this.authenticate = createAuthenticator(options.auth);
        this.router = new RegionRouter(this.settings, async (endpoint) => (await checkHealth(this.settings, endpoint)) === true);
        this.regionSwitchBoundMs = regionSwitchBoundMs(this.settings);
    }

    /** Creates a transaction exactly once per key: a new key when none is given, reused on every retry. */
    async createTransaction(body: CreateTransactionInput, options: { readonly idempotencyKey?: string } = {}): Promise<CreateResult> {
        const idempotencyKey = options.idempotencyKey ?? randomUUID();
        const request: PlannedRequest = {
            method: "POST",
            path: "/transactions",
            headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
            body: JSON.stringify(body),
        };
        const { answer, endpoint, attempts } = await this.execute(request, idempotencyKey);
        return {
            ...this.result(answer, endpoint, attempts),
            replayed: answer.status === 200 && answer.headers.get("idempotent-replay") === "true",
            idempotencyKey,
            crossRegionConflict: answer.headers.get("transaction-conflict") === "true",
        };
    }

    /**
     * Reads a transaction. With two regions, a 404 is checked in the other region before it is believed: a
     * transaction just created in one may not have replicated yet.
     */
    async getTransaction(id: string): Promise<CallResult> {
        const request: PlannedRequest = { method: "GET", path: `/transactions/${encodeURIComponent(id)}`, headers: { accept: "application/json" } };
        try {
            const { answer, endpoint, attempts } = await this.execute(request);
            return this.result(answer, endpoint, attempts);
        } catch (error) {
            const answeredBy = error instanceof NotFoundError ? this.settings.endpoints.find((e) => e.name === error.attempts.at(-1)?.endpoint) : undefined;
            const elsewhere = answeredBy === undefined ? undefined : this.router.other(answeredBy);
            if (elsewhere === undefined) {
                throw error;
            }
            const attempts = [...(error as NotFoundError).attempts];
            const answer = await this.attempt(elsewhere, request, attempts, this.settings.timeoutMs);
            if (answer?.status === 200) {
                return this.result(answer, elsewhere, attempts);
            }
            // Not there either: the error names both answers. Anything else there: the first region's 404 stands.
            throw answer?.status === 404 ? this.finalError(answer, elsewhere, attempts) : error;
        }
    }

    private result(answer: Answer, endpoint: Endpoint, attempts: readonly Attempt[]): CallResult {
        const transaction = answer.json as Transaction | undefined;
        if (typeof transaction?.id !== "string") {
            throw new PaymentsApiError(
                answer.status,
                "INVALID_RESPONSE",
                `a ${answer.status} without a transaction`,
                { message: answer.text.slice(0, 500) },
                endpoint.region,
                attempts,
            );
        }
        return { transaction, region: endpoint.region, endpoint: endpoint.name, attempts };
    }

    /** One attempt, recorded; undefined when no answer came. */
    private async attempt(endpoint: Endpoint, request: PlannedRequest, attempts: Attempt[], timeoutMs: number): Promise<Answer | undefined> {
        const startedAt = Date.now();
        const outcome = await sendOnce(this.settings, endpoint, request, this.authenticate, timeoutMs);
        const at = new Date(startedAt).toISOString();
        const durationMs = Date.now() - startedAt;
        if (outcome.kind === "network") {
            attempts.push({ endpoint: endpoint.name, region: endpoint.region, at, durationMs, code: outcome.code });
            return undefined;
        }
        const retryAfter = retryAfterMs(outcome.headers.get("retry-after"));
        attempts.push({
            endpoint: endpoint.name,
            region: endpoint.region,
            at,
            durationMs,
            status: outcome.status,
            ...(outcome.code ? { code: outcome.code } : {}),
            ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
        });
        return outcome;
    }

    /** The retry loop: returns the first 2xx, throws a typed error for a final answer, or `GaveUpError`. */
    private async execute(request: PlannedRequest, idempotencyKey?: string): Promise<{ answer: Answer; endpoint: Endpoint; attempts: Attempt[] }> {
        const { settings, router } = this;
        const deadline = Date.now() + settings.deadlineMs;
        const attempts: Attempt[] = [];
        /** Regions this call already had a failure from: going back to one waits, so two bad regions do not spin. */
        const failedHere = new Set<string>();
        for (let n = 1; ; n++) {
            const endpoint = router.current();
            // A region already failing gets only what is left of its failover budget (never nothing).
            const timeoutMs = Math.max(1, Math.min(settings.timeoutMs, deadline - Date.now(), router.boundLeftMs(endpoint) ?? Infinity));
            const startedAt = Date.now();
            const answer = await this.attempt(endpoint, request, attempts, timeoutMs);
            let delayMs: number;
            if (answer === undefined) {
                const budgetLeft = router.networkFailure(endpoint, startedAt);
                delayMs = budgetLeft > 0 ? Math.min(retryDelayMs(n, undefined, settings), budgetLeft) : this.switchDelay(n, failedHere);
            } else {
                router.answered(endpoint);
                if (answer.status >= 200 && answer.status < 300) {
                    return { answer, endpoint, attempts };
                }
                if (!retryable(answer.status)) {
                    throw this.finalError(answer, endpoint, attempts);
                }
                const retryAfter = retryAfterMs(answer.headers.get("retry-after"));
                if (router.twoRegions && answer.status === 503 && answer.code === "REGION_FENCED") {
                    router.fenced(endpoint);
                    delayMs = this.switchDelay(n, failedHere, retryAfter);
                } else if (router.twoRegions && answer.status >= 500 && (await checkHealth(settings, endpoint)) === false) {
                    router.leave(endpoint);
                    delayMs = this.switchDelay(n, failedHere, retryAfter);
                } else {
                    delayMs = retryDelayMs(n, retryAfter, settings);
                }
            }
            failedHere.add(endpoint.name);
            if (n >= settings.maxAttempts) {
                throw new GaveUpError("max-attempts", attempts, idempotencyKey);
            }
            if (delayMs > 0) {
                if (Date.now() + delayMs >= deadline) {
                    throw new GaveUpError("deadline", attempts, idempotencyKey);
                }
                await sleep(delayMs);
            }
        }
    }

    /** The wait after leaving a region: none, unless this call already failed in the region it goes to. */
    private switchDelay(attempt: number, failedHere: ReadonlySet<string>, retryAfter?: number): number {
        return failedHere.has(this.router.current().name) ? retryDelayMs(attempt, retryAfter, this.settings) : 0;
    }

    private finalError(answer: Answer, endpoint: Endpoint, attempts: readonly Attempt[]): PaymentsApiError {
        const body = (answer.json ?? { message: answer.text.slice(0, 500) }) as ApiErrorBody;
        const code = answer.code ?? `HTTP_${answer.status}`;
        const message = `${answer.status} ${code} from ${endpoint.region}: ${body.error?.message ?? body.message ?? ""}`;
        const requestId = answer.headers.get("x-request-id") ?? answer.headers.get("apigw-requestid") ?? undefined;
        const ErrorType = ERRORS.find(([statuses]) => statuses.includes(answer.status))?.[1] ?? PaymentsApiError;
        return new ErrorType(answer.status, code, message, body, endpoint.region, attempts, requestId);
    }
}
