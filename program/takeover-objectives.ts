import type { StackSettings } from "./config";
import { computeRecoveryObjectives, ROUTE53_AGGREGATION_ALLOWANCE_SECONDS } from "./objectives";
import { TAKEOVER_PERIOD_SECONDS } from "../contracts/takeover-signal";

/**
 * Expected times of a takeover started with `npm run failover` (and of `npm run failback`, which takes the
 * same path back), from the stack's settings. Not the failure RTO: nothing has to be detected here.
 */

/** CloudWatch evaluates an alarm after its period closes; our allowance for that (AWS publishes no figure). */
export const ALARM_EVALUATION_ALLOWANCE_SECONDS = 60;
/** How long a function instance may serve a cached read of the takeover authority (functions/transaction-processor/fence.ts). */
export const FENCE_CACHE_SECONDS = 2;

/** The fence's one remaining fail-open window (functions/transaction-processor/fence-state.ts), as the output states it. */
export const FENCE_FAIL_OPEN_WINDOW =
    "a partition between the primary and the standby region's DynamoDB that begins before the primary has read the takeover: " +
    "the primary keeps accepting writes until a read succeeds (unless another of its instances recorded the takeover in the region); " +
    "a new instance that has read nothing refuses writes instead";

export interface TakeoverObjectives {
    /** PutMetricData until the takeover alarm is in ALARM: the metric's period plus the evaluation allowance. */
    readonly alarmSeconds: number;
    /**
     * Until the primary refuses new writes, from the takeover authority's write (failover's first change): the
     * fence's cache. The alarm plays no part in fencing.
     */
    readonly fencedSeconds: number;
    /**
     * Until no write of the primary can still land: a request that passed the fence check just before it took effect
     * may write until the processor's timeout ends it.
     */
    readonly inFlightWritesSeconds: number;
    /** What can still let the primary write after a takeover (none of it fails open after a takeover was read). */
    readonly failOpenWindow: string;
    /** Until Route 53 answers with the secondary: the alarm plus Route 53's aggregation allowance. */
    readonly route53Seconds: number;
    /** Until clients resolve the secondary: plus what clients cache (the record's TTL). */
    readonly clientsSeconds: number;
}

export function computeTakeoverObjectives(s: StackSettings): TakeoverObjectives {
    const alarmSeconds = TAKEOVER_PERIOD_SECONDS + ALARM_EVALUATION_ALLOWANCE_SECONDS;
    const route53Seconds = alarmSeconds + ROUTE53_AGGREGATION_ALLOWANCE_SECONDS;
    return {
        alarmSeconds,
        fencedSeconds: FENCE_CACHE_SECONDS,
        inFlightWritesSeconds: FENCE_CACHE_SECONDS + s.lambdaTimeoutSeconds,
        failOpenWindow: FENCE_FAIL_OPEN_WINDOW,
        route53Seconds,
        clientsSeconds: route53Seconds + computeRecoveryObjectives(s).dnsTtlSeconds,
    };
}
