import type { StackSettings } from "./config";
import { computeRecoveryObjectives, ROUTE53_AGGREGATION_ALLOWANCE_SECONDS } from "./objectives";
import { TAKEOVER_PERIOD_SECONDS } from "./takeover-signal";

/**
 * Expected times of a takeover started with `npm run failover` (and of `npm run failback`, which takes the
 * same path back), from the stack's settings. Not the failure RTO: nothing has to be detected here.
 */

/** CloudWatch evaluates an alarm after its period closes; our allowance for that (AWS publishes no figure). */
export const ALARM_EVALUATION_ALLOWANCE_SECONDS = 60;
/** How long a function instance may serve a cached signal (functions/transaction-processor/fence.ts). */
export const FENCE_CACHE_SECONDS = 2;

export interface TakeoverObjectives {
    /** PutMetricData until the takeover alarm is in ALARM: the metric's period plus the evaluation allowance. */
    readonly alarmSeconds: number;
    /** Until the primary refuses writes: the alarm plus the fence's cache. */
    readonly fencedSeconds: number;
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
        fencedSeconds: alarmSeconds + FENCE_CACHE_SECONDS,
        route53Seconds,
        clientsSeconds: route53Seconds + computeRecoveryObjectives(s).dnsTtlSeconds,
    };
}
