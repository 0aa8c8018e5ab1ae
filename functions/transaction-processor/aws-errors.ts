/**
 * Classifies errors from AWS SDK calls. After the SDK's own retries, a transient error becomes a
 * 503 ("retry later with the same Idempotency-Key"); anything else is a defect or misconfiguration.
 */

interface SdkErrorShape {
    name?: unknown;
    code?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
}

const TRANSIENT_NAMES = new Set([
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "SlowDown",
    "RequestTimeout",
    "RequestTimeoutException",
    "TimeoutError",
    "AbortError",
    "ConditionalRequestConflict",
]);
const TRANSIENT_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function shape(error: unknown): SdkErrorShape {
    return typeof error === "object" && error !== null ? (error as SdkErrorShape) : {};
}

/** HTTP status the service answered with, if the error came from a response. */
export function serviceStatus(error: unknown): number | undefined {
    const status = shape(error).$metadata?.httpStatusCode;
    return typeof status === "number" ? status : undefined;
}

export function errorName(error: unknown): string {
    const name = shape(error).name;
    return typeof name === "string" ? name : "UnknownError";
}

/** Throttling, 5xx, timeouts and network failures: worth retrying later. */
export function isTransient(error: unknown): boolean {
    const { name, code, $retryable } = shape(error);
    const status = serviceStatus(error);
    return (
        $retryable !== undefined ||
        (typeof name === "string" && TRANSIENT_NAMES.has(name)) ||
        (typeof code === "string" && TRANSIENT_CODES.has(code)) ||
        (status !== undefined && status >= 500)
    );
}

export function isConditionalCheckFailed(error: unknown): boolean {
    return errorName(error) === "ConditionalCheckFailedException";
}

/** S3 conditional write refused because the object already exists (`If-None-Match: *`). */
export function isPreconditionFailed(error: unknown): boolean {
    return errorName(error) === "PreconditionFailed" || serviceStatus(error) === 412;
}
