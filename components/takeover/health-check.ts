import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAlarm } from "../shared/alerting";
import {
    TAKEOVER_ALARM_STATE,
    TAKEOVER_CLEAR,
    TAKEOVER_DIMENSION,
    TAKEOVER_INSUFFICIENT_DATA_STATUS,
    TAKEOVER_METRIC,
    TAKEOVER_NAMESPACE,
    TAKEOVER_PERIOD_SECONDS,
    TAKEOVER_SET,
    TAKEOVER_STATISTIC,
    TAKEOVER_TREAT_MISSING_DATA,
} from "../../contracts/takeover-signal";

export interface TakeoverSignalArgs {
    /** The standby region, where the metric and its alarm live. */
    readonly region: string;
    readonly alarmName: pulumi.Input<string>;
    readonly dimensionValue: pulumi.Input<string>;
    /** The standby region's alarm topic (an alarm's action must be a topic in its own region). */
    readonly topicArn: pulumi.Input<string>;
    readonly envLabel: string;
    /** `{ parent, provider }` of the standby region. */
    readonly standby: pulumi.CustomResourceOptions;
    /** `{ parent, provider }` for Route 53. */
    readonly route53: pulumi.CustomResourceOptions;
}

export interface TakeoverSignal {
    readonly alarm: aws.cloudwatch.MetricAlarm;
    /** Healthy unless the takeover alarm is in ALARM: a child of the primary's failover health check. */
    readonly healthCheck: aws.route53.HealthCheck;
}

/** The takeover alarm in the standby region and the Route 53 health check that follows it. */
export function createTakeoverSignal(name: string, a: TakeoverSignalArgs): TakeoverSignal {
    const alarm = createAlarm(
        `${name}-alarm`,
        {
            what: "takeover-signal",
            description:
                `Takeover signal: ${a.region} has taken over (npm run failover). Route 53 treats the primary as unhealthy ` +
                `and the primary refuses writes (REGION_FENCED) until npm run failback publishes ${TAKEOVER_CLEAR}.`,
            namespace: TAKEOVER_NAMESPACE,
            metricName: TAKEOVER_METRIC,
            dimensions: { [TAKEOVER_DIMENSION]: a.dimensionValue },
            statistic: TAKEOVER_STATISTIC,
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: TAKEOVER_SET,
            periodSeconds: TAKEOVER_PERIOD_SECONDS,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: TAKEOVER_TREAT_MISSING_DATA,
        },
        a.alarmName,
        a.topicArn,
        a.standby,
    );
    const healthCheck = new aws.route53.HealthCheck(
        `${name}-health`,
        {
            type: "CLOUDWATCH_METRIC",
            cloudwatchAlarmName: alarm.name,
            cloudwatchAlarmRegion: a.region,
            insufficientDataHealthStatus: TAKEOVER_INSUFFICIENT_DATA_STATUS,
            tags: { Name: `payments-dr-${a.envLabel}-takeover-signal`, UnhealthyWhen: `alarm ${TAKEOVER_ALARM_STATE}` },
        },
        a.route53,
    );
    return { alarm, healthCheck };
}
