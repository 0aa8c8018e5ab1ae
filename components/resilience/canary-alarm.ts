import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../shared/alerting";

/**
 * A canary's paging alarm: `SuccessPercent` of namespace CloudWatchSynthetics, dimension `CanaryName` ("CloudWatch
 * metrics published by canaries", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_metrics.html),
 * one run per period, so the Average is 100 or 0. Two failed runs in a row page the topic of the region that runs
 * the canary (an alarm's action must be a topic in its own region).
 */

/** The period of one run: the schedule's rate (config accepts rate(1 minute) to rate(1 hour)). */
export function canaryPeriodSeconds(schedule: string): number {
    const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(schedule);
    if (!match) {
        throw new Error(`canary schedule ${JSON.stringify(schedule)} is not a rate expression`);
    }
    return Number(match[1]) * (match[2].startsWith("hour") ? 3600 : 60);
}

/** Runs in a row that must fail before the alarm pages (one failed run can be a passing network blip). */
export const CANARY_FAILED_RUNS_TO_ALARM = 2;

export function canaryAlarmSpec(targetId: string, canaryName: pulumi.Input<string>, schedule: string): AlarmSpec {
    return {
        what: `canary-failing-${targetId}`,
        description: `The ${targetId} canary's customer journey (create, replay, read) failed ${CANARY_FAILED_RUNS_TO_ALARM} runs in a row: see its run log`,
        namespace: "CloudWatchSynthetics",
        metricName: "SuccessPercent",
        dimensions: { CanaryName: canaryName },
        statistic: "Average",
        unit: "Percent",
        comparison: "LessThanThreshold",
        threshold: 100,
        periodSeconds: canaryPeriodSeconds(schedule),
        evaluationPeriods: CANARY_FAILED_RUNS_TO_ALARM,
        datapointsToAlarm: CANARY_FAILED_RUNS_TO_ALARM,
        // A canary that publishes nothing is not running: the journey is unchecked, which pages too.
        treatMissingData: "breaching",
    };
}
