import type { Context } from "aws-lambda";

/** Time kept back from Lambda's timeout to turn an aborted AWS call into a JSON 503 and return it. */
export const DEADLINE_MARGIN_MS = 500;
/** Smallest budget handed to AWS calls, even when the invocation is already nearly out of time. */
const MIN_BUDGET_MS = 100;

/**
 * An AbortSignal that fires shortly before this invocation would time out. Every AWS call of the
 * request takes it, so a slow dependency ends in our 503 ("retry with the same Idempotency-Key")
 * rather than a Lambda timeout and API Gateway's bare 503.
 */
export function requestDeadline(context: Context): AbortSignal {
    const remaining = typeof context.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : 30_000;
    return AbortSignal.timeout(Math.max(remaining - DEADLINE_MARGIN_MS, MIN_BUDGET_MS));
}
