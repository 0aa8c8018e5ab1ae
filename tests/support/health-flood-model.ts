/**
 * A model of what a flood of requests does to Route 53's verdict on a region, from the stack's own settings:
 * - API Gateway throttles with token buckets (rate per second, burst = bucket size), one per route and one for the
 *   account in the region; a request without a token gets 429
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html). Conservatively, every
 *   request takes an account token first, even one its route then refuses.
 * - A function with reserved concurrency refuses an invocation beyond it (the checker sees a 5xx).
 * - Each Route 53 checker calls every `intervalSeconds`, needs a 2xx/3xx, and changes its verdict after
 *   `failureThreshold` consecutive contrary results; the endpoint is healthy while more than 18% of the checkers
 *   say so (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
 * Deterministic: flood streams are evenly spaced; checkers start at seeded pseudo-random offsets and drift by seeded
 * response times (without the drift a checker keeps one phase against the flood and the verdict is an artefact).
 */

export interface Bucket {
    readonly rate: number;
    readonly burst: number;
}

export interface ModelRoute {
    readonly bucket: Bucket;
    /** The function behind the route; its reserved concurrency (undefined: the account's pool, unbounded here). */
    readonly functionId: string;
    readonly reservedConcurrency?: number;
    /** How long one invocation holds an execution environment. */
    readonly durationMs: number;
}

export interface FloodScenario {
    /** Route key (`GET /health`, `$default`, ...) to its throttle and function. */
    readonly routes: Readonly<Record<string, ModelRoute>>;
    readonly account: Bucket;
    /** The path the checkers request, its interval, failure threshold, and how many checkers. */
    readonly check: { readonly path: string; readonly intervalSeconds: number; readonly failureThreshold: number; readonly checkers: number };
    /** Floods: requests per second on a path (`GET`), all through the simulated time. */
    readonly floods: readonly { readonly path: string; readonly rps: number }[];
    readonly seconds: number;
}

export interface FloodOutcome {
    /** Whether the endpoint was unhealthy (≤ 18% of checkers healthy) at any checker request. */
    readonly everUnhealthy: boolean;
    /** The lowest share of healthy checkers seen. */
    readonly minHealthyShare: number;
    /** Share of the checkers' requests that got a 2xx. */
    readonly checkerSuccessShare: number;
    /** Share of the flood's requests that got a 2xx. */
    readonly floodSuccessShare: number;
}

/** Route 53: healthy when more than 18% of the checkers report healthy. */
export const ROUTE53_HEALTHY_SHARE = 0.18;

class TokenBucket {
    private tokens: number;
    private atMs = 0;
    constructor(private readonly b: Bucket) {
        this.tokens = b.burst;
    }
    take(nowMs: number): boolean {
        this.tokens = Math.min(this.b.burst, this.tokens + ((nowMs - this.atMs) / 1000) * this.b.rate);
        this.atMs = nowMs;
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return true;
        }
        return false;
    }
}

function seeded(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return (x >>> 0) / 2 ** 32;
    };
}

export function simulateFlood(s: FloodScenario): FloodOutcome {
    const account = new TokenBucket(s.account);
    const buckets = new Map(Object.keys(s.routes).map((key) => [key, new TokenBucket(s.routes[key].bucket)]));
    const inFlight = new Map<string, number[]>();
    const routeOf = (path: string) => (s.routes[`GET ${path}`] !== undefined ? `GET ${path}` : "$default");

    /** One request at `nowMs`: true for a 2xx. */
    const serve = (path: string, nowMs: number): boolean => {
        if (!account.take(nowMs)) {
            return false;
        }
        const key = routeOf(path);
        const route = s.routes[key];
        if (route === undefined || !buckets.get(key)!.take(nowMs)) {
            return false;
        }
        if (route.reservedConcurrency !== undefined) {
            const busy = (inFlight.get(route.functionId) ?? []).filter((endMs) => endMs > nowMs);
            if (busy.length >= route.reservedConcurrency) {
                inFlight.set(route.functionId, busy);
                return false;
            }
            busy.push(nowMs + route.durationMs);
            inFlight.set(route.functionId, busy);
        }
        return true;
    };

    const random = seeded(27);
    const intervalMs = s.check.intervalSeconds * 1000;
    const checkers = Array.from({ length: s.check.checkers }, () => ({ nextMs: random() * intervalMs, healthy: true, streak: 0 }));
    const floods = s.floods.map((f) => ({ ...f, periodMs: 1000 / f.rps, nextMs: 0 }));
    const endMs = s.seconds * 1000;
    let minHealthyShare = 1;
    let everUnhealthy = false;
    let checks = 0;
    let checkOk = 0;
    let floodTotal = 0;
    let floodOk = 0;
    for (;;) {
        const flood = floods.reduce<(typeof floods)[number] | undefined>((a, f) => (a === undefined || f.nextMs < a.nextMs ? f : a), undefined);
        const checker = checkers.reduce((a, c) => (c.nextMs < a.nextMs ? c : a));
        const nowMs = Math.min(flood?.nextMs ?? Infinity, checker.nextMs);
        if (nowMs >= endMs) {
            break;
        }
        if (flood !== undefined && flood.nextMs === nowMs) {
            floodTotal += 1;
            floodOk += serve(flood.path, nowMs) ? 1 : 0;
            flood.nextMs += flood.periodMs;
            continue;
        }
        const ok = serve(s.check.path, nowMs);
        checks += 1;
        checkOk += ok ? 1 : 0;
        // A checker changes its verdict after `failureThreshold` consecutive contrary results.
        checker.streak = ok === checker.healthy ? 0 : checker.streak + 1;
        if (checker.streak >= s.check.failureThreshold) {
            checker.healthy = ok;
            checker.streak = 0;
        }
        // The interval runs from the response: each checker drifts by its own response times (0-100 ms here).
        checker.nextMs += intervalMs + random() * 100;
        const share = checkers.filter((c) => c.healthy).length / checkers.length;
        minHealthyShare = Math.min(minHealthyShare, share);
        everUnhealthy ||= share <= ROUTE53_HEALTHY_SHARE;
    }
    return {
        everUnhealthy,
        minHealthyShare,
        checkerSuccessShare: checks === 0 ? 1 : checkOk / checks,
        floodSuccessShare: floodTotal === 0 ? 1 : floodOk / floodTotal,
    };
}
