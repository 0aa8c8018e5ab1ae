import { METRICS_NAMESPACE, PAYMENT_FAILED_METRIC, REGION_DIMENSION } from "../functions/transaction-processor/metrics";
import { AlarmSpec } from "./alerting";
import { RecoveryObjectives } from "./objectives";
import { PAYMENT_FAILURE_EVALUATION_PERIODS, PAYMENT_FAILURE_PERIOD_SECONDS } from "./payment-alarm";

/**
 * The stop condition of the game days that fail the primary's payments (FIS Lambda errors and latency): payments
 * are still failing there long after DNS should have moved the traffic, i.e. the failover the game day rehearses
 * did not happen and customers keep failing. It lives in the experiment's own region, as the experiment's other
 * alarms do, and is OK outside a game day (failed payments are rare), so FIS can start the experiment.
 */

/** Failed payments per minute that still count as "customers failing" rather than stale-DNS stragglers. */
export const STILL_FAILING_PAYMENTS_PER_MINUTE = 10;
/** CloudWatch evaluates an alarm about a minute after the period it covers ends. */
const ALARM_EVALUATION_DELAY_SECONDS = 60;
/** Client retries, the standby's cold start and Route 53's CloudWatch-alarm check polling: room before we give up. */
const DRAIN_MARGIN_MINUTES = 3;

/**
 * Minutes after which failing payments in the primary mean the failover did not happen: the payment-failure
 * alarm's periods and its evaluation delay, Route 53's aggregation and the TTL clients cache (from the stack's
 * computed objectives), plus a margin.
 */
export function failoverDrainMinutes(o: RecoveryObjectives): number {
    const paymentAlarmSeconds = PAYMENT_FAILURE_EVALUATION_PERIODS * PAYMENT_FAILURE_PERIOD_SECONDS + ALARM_EVALUATION_DELAY_SECONDS;
    return Math.ceil((paymentAlarmSeconds + o.aggregationSeconds + o.dnsTtlSeconds) / 60) + DRAIN_MARGIN_MINUTES;
}

export function paymentsStillFailingAlarmSpec(region: string, drainMinutes: number): AlarmSpec {
    return {
        what: "game-day-payments-still-failing",
        description:
            `Game day stop condition: ${STILL_FAILING_PAYMENTS_PER_MINUTE}+ payments a minute failing in ${region} for ` +
            `${drainMinutes} minutes, longer than a failover takes: traffic did not move; FIS stops the experiment`,
        namespace: METRICS_NAMESPACE,
        metricName: PAYMENT_FAILED_METRIC,
        dimensions: { [REGION_DIMENSION]: region },
        // The metric is 0/1 per payment request: its Sum is the number of failed payments.
        statistic: "Sum",
        unit: "Count",
        threshold: STILL_FAILING_PAYMENTS_PER_MINUTE,
        periodSeconds: 60,
        evaluationPeriods: drainMinutes,
        datapointsToAlarm: drainMinutes,
        treatMissingData: "notBreaching",
    };
}
