import { AlarmSpec } from "../shared/alerting";
import { METRICS_NAMESPACE, PAYMENT_FAILED_METRIC, REGION_DIMENSION } from "../../contracts/payment-metrics";
import { RegionRole } from "../shared/naming";

/** Share of payment requests a region fails (5xx) at which it counts as unable to take payments. */
export const PAYMENT_FAILURE_SHARE_THRESHOLD = 0.5;
/** One-minute periods, all of which must breach: a short burst of failures does not move traffic. */
export const PAYMENT_FAILURE_PERIOD_SECONDS = 60;
export const PAYMENT_FAILURE_EVALUATION_PERIODS = 2;

/**
 * The alarm behind each region's CloudWatch-alarm health check. Route 53 accepts only an alarm on one
 * standard-resolution metric with Average, Minimum, Maximum, Sum or SampleCount (no metric math, no percentiles),
 * so it is the Average of the handler's 0/1 `PaymentFailed` value: the region's failure share. An idle region
 * has no data points, which counts as not breaching (and as healthy in the health check), so it is never judged.
 */
export function paymentFailureAlarmSpec(role: RegionRole, region: string): AlarmSpec {
    return {
        what: "payment-failures",
        description:
            `Payments failing in the ${role} region (${region}): at least ${PAYMENT_FAILURE_SHARE_THRESHOLD * 100}% of ` +
            `POST /transactions answered 5xx for ${PAYMENT_FAILURE_EVALUATION_PERIODS} minutes; Route 53 fails the region's health check`,
        namespace: METRICS_NAMESPACE,
        metricName: PAYMENT_FAILED_METRIC,
        dimensions: { [REGION_DIMENSION]: region },
        statistic: "Average",
        unit: "Count",
        threshold: PAYMENT_FAILURE_SHARE_THRESHOLD,
        periodSeconds: PAYMENT_FAILURE_PERIOD_SECONDS,
        evaluationPeriods: PAYMENT_FAILURE_EVALUATION_PERIODS,
        datapointsToAlarm: PAYMENT_FAILURE_EVALUATION_PERIODS,
    };
}

/** Payments per minute in the passive region that page: more than stray clients with stale DNS answers. */
export const STANDBY_PAYMENTS_PER_MINUTE = 10;

/**
 * The secondary region serving payments: traffic has moved to the standby. The SampleCount of `PaymentFailed` is the
 * number of payment requests the region answered (whatever the outcome); it is published in the secondary region
 * itself, so this alarm, and the secondary's topic it notifies, work while the primary region is down.
 */
export function standbyTakingPaymentsAlarmSpec(region: string): AlarmSpec {
    return {
        what: "standby-taking-payments",
        description:
            `Payments are arriving in the standby region ${region} (${STANDBY_PAYMENTS_PER_MINUTE}+ per minute for 2 minutes): traffic failed over ` +
            "or the primary stopped serving. Pages through the standby's own topic, so it works while the primary region is down.",
        namespace: METRICS_NAMESPACE,
        metricName: PAYMENT_FAILED_METRIC,
        dimensions: { [REGION_DIMENSION]: region },
        statistic: "SampleCount",
        threshold: STANDBY_PAYMENTS_PER_MINUTE,
        periodSeconds: 60,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
    };
}
