/**
 * Exponential backoff with full jitter: attempt n (1-based) waits a random time in [0, min(max, base × 2^(n-1))),
 * so callers that failed together do not come back together.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` in milliseconds: delta-seconds (`5`) or an HTTP date (RFC 9110 §10.2.3); undefined when absent
 * or unreadable. A date in the past is 0.
 */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
    if (value === null || value.trim() === "") {
        return undefined;
    }
    const text = value.trim();
    if (/^\d+$/.test(text)) {
        return Number(text) * 1000;
    }
    // HTTP dates start with the day's name ("Wed, 02 Dec 2026 10:00:07 GMT"); Date.parse alone would take "-3".
    const at = /^[A-Z][a-z]{2,8},? /.test(text) ? Date.parse(text) : NaN;
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait before retrying the same region: the server's `Retry-After` when it gave one, and never less than the backoff. */
export function retryDelayMs(
    attempt: number,
    retryAfter: number | undefined,
    settings: { backoffBaseMs: number; backoffMaxMs: number; random: () => number },
): number {
    const backoff = backoffMs(attempt, settings.backoffBaseMs, settings.backoffMaxMs, settings.random);
    return retryAfter === undefined ? backoff : Math.max(retryAfter, backoff);
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
