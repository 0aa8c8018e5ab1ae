import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../shared/alerting";

/**
 * The stop condition of the game days that fail the primary's payments (FIS Lambda errors and latency): payments
 * are still failing there long after DNS should have moved the traffic, i.e. the failover the game day rehearses
 * did not happen and customers keep failing. It lives in the experiment's own region, as the experiment's other
 * alarms do, and is OK outside a game day (failed payments are rare), so FIS can start the experiment.
 *
 * It watches API Gateway's `5xx` of the primary's stage, which API Gateway publishes for every request whatever the
 * function does: under `fail-primary-payments` (FIS `preventExecution`) the handler never runs and writes no
 * PaymentFailed, so an alarm on the handler's metric would never fire (HTTP API metrics,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html).
 */

/** Failed payments per minute that still count as "customers failing" rather than stale-DNS stragglers. */
export const STILL_FAILING_PAYMENTS_PER_MINUTE = 10;
/** The primary's HTTP API stage, whose `5xx` the stop condition counts. */
export interface StageRef {
    readonly apiId: pulumi.Input<string>;
    readonly stageName: pulumi.Input<string>;
}

export function paymentsStillFailingAlarmSpec(region: string, drainMinutes: number, stage: StageRef): AlarmSpec {
    return {
        what: "game-day-payments-still-failing",
        description:
            `Game day stop condition: ${STILL_FAILING_PAYMENTS_PER_MINUTE}+ requests a minute answered 5xx in ${region} for ` +
            `${drainMinutes} minutes, longer than a failover takes: traffic did not move; FIS stops the experiment`,
        namespace: "AWS/ApiGateway",
        metricName: "5xx",
        dimensions: { ApiId: stage.apiId, Stage: stage.stageName },
        // 0/1 per request: the Sum is the number of requests the primary failed in the minute.
        statistic: "Sum",
        unit: "Count",
        threshold: STILL_FAILING_PAYMENTS_PER_MINUTE,
        periodSeconds: 60,
        evaluationPeriods: drainMinutes,
        datapointsToAlarm: drainMinutes,
        treatMissingData: "notBreaching",
    };
}
