import type { AppConfig } from "./env";
import { HttpError } from "./responses";

/**
 * Each merchant's share of this execution environment: a token bucket per tenant (`MERCHANT_RATE_LIMIT` requests
 * per second, `MERCHANT_BURST` at once), checked before the body is read, so a merchant over its limit is answered
 * 429 in well under a millisecond and the environment goes back to serving the others.
 *
 * The buckets live in one Lambda execution environment, which serves one request at a time: a merchant's regional
 * ceiling is the limit times the environments serving it (at most the function's reserved concurrency). That caps
 * how much of the function's concurrency, the table's and the bucket's capacity one merchant can take; it cannot
 * keep a flood from using up the HTTP API stage's own rate and burst, which API Gateway spends before the function
 * runs (README, "Per-merchant limits", for the REST API usage-plan alternative).
 */

interface Bucket {
    tokens: number;
    refilledAt: number;
}

/** Tenants remembered at most; the least recently seen is forgotten first (a forgotten bucket starts full). */
export const MAX_TRACKED_MERCHANTS = 10_000;

export class MerchantLimiter {
    private readonly buckets = new Map<string, Bucket>();

    constructor(
        private readonly ratePerSecond: number,
        private readonly burst: number,
        private readonly now: () => number = () => performance.now(),
    ) {}

    /** Takes one token of `tenant`'s bucket; answers the seconds to wait when there is none. */
    take(tenant: string): { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number } {
        const now = this.now();
        const bucket = this.buckets.get(tenant) ?? { tokens: this.burst, refilledAt: now };
        bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.ratePerSecond);
        bucket.refilledAt = now;
        // Re-inserted: Map keeps insertion order, so the first key is always the least recently seen tenant.
        this.buckets.delete(tenant);
        this.buckets.set(tenant, bucket);
        if (this.buckets.size > MAX_TRACKED_MERCHANTS) {
            this.buckets.delete(this.buckets.keys().next().value as string);
        }
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return { admitted: true };
        }
        return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond)) };
    }
}

export function createMerchantLimiter(config: Pick<AppConfig, "merchantLimit">): MerchantLimiter | undefined {
    return config.merchantLimit ? new MerchantLimiter(config.merchantLimit.ratePerSecond, config.merchantLimit.burst) : undefined;
}

/** Throws 429 `MERCHANT_RATE_LIMITED` (with Retry-After) when `tenant` is over its limit in this environment. */
export function admitMerchant(limiter: MerchantLimiter | undefined, tenant: string): void {
    const decision = limiter?.take(tenant);
    if (decision !== undefined && !decision.admitted) {
        throw new HttpError(
            429,
            "MERCHANT_RATE_LIMITED",
            "this merchant is over its request rate; retry after the number of seconds in Retry-After",
            undefined,
            { "retry-after": String(decision.retryAfterSeconds) },
        );
    }
}
