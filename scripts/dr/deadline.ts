import type { MiddlewareStack } from "@smithy/types";

/**
 * Bounds on every AWS call of the DR commands. A browned-out region often accepts TCP and never answers; the SDK's
 * `requestTimeout` alone only logs a warning then (@smithy/node-http-handler ≥ 4.4 needs `throwOnRequestTimeout`,
 * https://github.com/aws/aws-sdk-js-v3/blob/main/UPGRADING.md), so a command would wait forever. Here each attempt
 * throws after `requestTimeoutMs`, the SDK retries a bounded number of times, a middleware caps the whole call
 * (retries, pauses and credential lookups included) and the command's own deadline, and every failure names the
 * call and the region.
 */

export interface CallLimits {
    /** TCP (and TLS) connect time allowed per attempt. */
    readonly connectionTimeoutMs: number;
    /** Time allowed per attempt, from sending to the last byte of the answer (connect included). */
    readonly requestTimeoutMs: number;
    /** Attempts per call, the first included. */
    readonly maxAttempts: number;
}

export const DR_CALL_LIMITS: CallLimits = { connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000, maxAttempts: 3 };

/** Allowance for the SDK's pauses between attempts (standard mode: at most 0.1 s × 2^n, 0.5 s × 2^n when throttled). */
const RETRY_PAUSES_MS = 2_000;

/** The longest one call can take before it fails: every attempt timing out, plus the pauses between them. */
export function worstCallMs(limits: CallLimits): number {
    return limits.maxAttempts * limits.requestTimeoutMs + RETRY_PAUSES_MS;
}

/** The SDK client options that make each attempt throw on time. */
export function boundedClientOptions(limits: CallLimits) {
    return {
        maxAttempts: limits.maxAttempts,
        requestHandler: { connectionTimeout: limits.connectionTimeoutMs, requestTimeout: limits.requestTimeoutMs, throwOnRequestTimeout: true },
    };
}

/** The whole command's time budget; every call gets at most what is left of it. */
export class Deadline {
    private readonly expiresAt: number;

    constructor(
        readonly budgetMs: number,
        private readonly now: () => number = Date.now,
    ) {
        this.expiresAt = now() + budgetMs;
    }

    remainingMs(): number {
        return this.expiresAt - this.now();
    }
}

/** A call that did not complete: timed out, unreachable, or cut by the command's deadline. Names the call and region. */
export class DrCallError extends Error {
    constructor(
        readonly call: string,
        readonly region: string,
        message: string,
        readonly cause?: unknown,
    ) {
        super(message);
        this.name = "DrCallError";
    }
}

/** Network-level failures (no answer from AWS at all): reported as the region not answering. */
const UNANSWERED = new Set(["TimeoutError", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

function isUnanswered(error: unknown): boolean {
    const e = error as { name?: unknown; code?: unknown };
    return (typeof e?.name === "string" && UNANSWERED.has(e.name)) || (typeof e?.code === "string" && UNANSWERED.has(e.code));
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** The call and region an AWS error came from, when the bounds middleware saw it. */
export function callOf(error: unknown): { call: string; region: string } | undefined {
    const e = error as { drCall?: { call: string; region: string } } | null;
    return error instanceof DrCallError ? { call: error.call, region: error.region } : (e?.drCall ?? undefined);
}

/**
 * Adds the bounds middleware to a client: the call races the smaller of its worst case and the command's
 * remaining time. A network failure or timeout becomes a DrCallError; any other error keeps its identity (callers
 * test `name`, e.g. NotFound) and is only tagged with `drCall`.
 */
export function boundCalls<I extends object, O extends object>(
    client: { middlewareStack: MiddlewareStack<I, O> },
    service: string,
    region: string,
    limits: CallLimits,
    deadline?: Deadline,
): void {
    client.middlewareStack.add(
        (next, context) => async (args) => {
            const call = `${service}:${String(context.commandName ?? "call").replace(/Command$/, "")}`;
            const remaining = deadline?.remainingMs() ?? Infinity;
            const capMs = Math.min(worstCallMs(limits), remaining);
            const deadlineCut = remaining <= worstCallMs(limits);
            const cut = () =>
                deadlineCut
                    ? `${call} in ${region} not done when the command's ${seconds(deadline!.budgetMs)} deadline passed`
                    : `${call} in ${region} did not answer within ${seconds(capMs)}`;
            if (capMs <= 0) {
                throw new DrCallError(call, region, cut());
            }
            let timer: NodeJS.Timeout | undefined;
            try {
                return await Promise.race([
                    next(args),
                    new Promise<never>((_, reject) => {
                        timer = setTimeout(() => reject(new DrCallError(call, region, cut())), capMs);
                    }),
                ]);
            } catch (error) {
                if (error instanceof DrCallError) {
                    throw error;
                }
                if (isUnanswered(error)) {
                    const e = error as { name?: string; code?: string; message?: string };
                    throw new DrCallError(
                        call,
                        region,
                        `${call} in ${region} did not answer: ${e.code ?? e.name} after ${limits.maxAttempts} attempt${limits.maxAttempts === 1 ? "" : "s"} ` +
                            `of at most ${seconds(limits.requestTimeoutMs)} each`,
                        error,
                    );
                }
                if (typeof error === "object" && error !== null) {
                    Object.assign(error, { drCall: { call, region } });
                }
                throw error;
            } finally {
                clearTimeout(timer);
            }
        },
        { step: "initialize", name: "drCallBounds", override: true },
    );
}

/** Each command's hard deadline (exit 2 when it passes); stated in its --help and the runbook (docs/runbook.md). */
export const COMMAND_DEADLINE_MS = {
    failover: 15 * 60_000,
    failback: 20 * 60_000,
    reconcile: 30 * 60_000,
    "ledger:check": 30 * 60_000,
    "drill:status": 2 * 60_000,
} as const;

/** The --help line stating the worst case. */
export function worstCaseText(budgetMs: number, limits: CallLimits = DR_CALL_LIMITS): string {
    return (
        `Worst case: every AWS call gives up after ${seconds(worstCallMs(limits))} (${limits.maxAttempts} attempts of at most ` +
        `${seconds(limits.requestTimeoutMs)}), the whole command after ${budgetMs / 60_000} min; either way it exits 2 naming the call and region.`
    );
}
