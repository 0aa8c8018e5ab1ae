import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../shared/alerting";
import { RegionRole } from "../shared/naming";

/** Alarm thresholds on replication lag: the alarms fire well before the RPO target is at risk. */
export const DYNAMODB_REPLICATION_LATENCY_ALARM_MS = 60_000;
/** DynamoDB publishes ReplicationLatency every five minutes (its alarm's period; a page at most 5 minutes late). */
export const DYNAMODB_REPLICATION_LATENCY_PERIOD_SECONDS = 300;

/** An alarm the GlobalLayer creates as `<name>-<role>-<id>` in that role's region, to its topic. */
export interface IdentifiedAlarm {
    readonly id: string;
    readonly spec: AlarmSpec;
}

/**
 * The table's alarms in one region: replication from it toward the other region (active in the primary, and in the
 * secondary after a failover), and its write and read throttles.
 *
 * ReplicationLatency is a five-minute metric ("For all other DynamoDB metrics, the aggregation granularity is five
 * minutes": DynamoDB Developer Guide, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html),
 * so a one-minute period would evaluate four empty periods in five. DynamoDB alarms ignore treatMissingData
 * (CloudWatch API reference, PutMetricAlarm: "Alarms that evaluate metrics in the AWS/DynamoDB namespace always ignore
 * missing data"): stated as `ignore`, which is what happens. AWS documents the metric for eventually consistent (MREC)
 * tables; we found no statement either way for MRSC replicas, whose writes are acknowledged only once a second Region
 * has them: prod's table is watched by the payment signal (a Region that cannot reach its write quorum answers 503)
 * and the throttle alarms.
 */
export function tableAlarmSpecs(a: { tableName: pulumi.Input<string>; region: string; receivingRegion: string }): IdentifiedAlarm[] {
    const throttles = (["write", "read"] as const).map((what): IdentifiedAlarm => ({
        id: `table-${what}-throttles`,
        spec: {
            what: `dynamodb-${what}-throttles`,
            description: `Transactions table ${what}s throttled in ${a.region}`,
            namespace: "AWS/DynamoDB",
            metricName: what === "write" ? "WriteThrottleEvents" : "ReadThrottleEvents",
            dimensions: { TableName: a.tableName },
            statistic: "Sum",
            unit: "Count",
            threshold: 1,
            periodSeconds: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
        },
    }));
    return [
        {
            id: "table-replication-alarm",
            spec: {
                what: "dynamodb-replication-latency",
                description: `Transactions written in ${a.region} reach ${a.receivingRegion} late (RPO at risk)`,
                namespace: "AWS/DynamoDB",
                metricName: "ReplicationLatency",
                dimensions: { TableName: a.tableName, ReceivingRegion: a.receivingRegion },
                statistic: "Average",
                unit: "Milliseconds",
                threshold: DYNAMODB_REPLICATION_LATENCY_ALARM_MS,
                periodSeconds: DYNAMODB_REPLICATION_LATENCY_PERIOD_SECONDS,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
                treatMissingData: "ignore",
            },
        },
        ...throttles,
    ];
}

/** One documents replication rule, and the dimensions its metrics carry (SourceBucket, DestinationBucket, RuleId). */
export interface ReplicationRuleRef {
    readonly from: RegionRole;
    readonly to: RegionRole;
    readonly sourceBucket: pulumi.Input<string>;
    readonly destinationBucket: pulumi.Input<string>;
    readonly ruleId: string;
}

/**
 * A rule's latency and failure alarms, in the source region. S3 publishes replication metrics while there is
 * replication to report ("Using S3 Replication metrics", https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html:
 * which metrics are still published when replication doesn't occur): `ignore` keeps an alarm in ALARM until data
 * shows recovery, instead of clearing it because a quiet bucket sends nothing.
 */
export function documentReplicationAlarmSpecs(r: ReplicationRuleRef): IdentifiedAlarm[] {
    const common = {
        namespace: "AWS/S3",
        dimensions: { SourceBucket: r.sourceBucket, DestinationBucket: r.destinationBucket, RuleId: r.ruleId },
        periodSeconds: 300,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "ignore",
    };
    return [
        {
            id: "s3-replication-latency",
            spec: {
                ...common,
                what: "s3-replication-latency",
                description: `Documents replicate ${r.from} → ${r.to} more than 15 minutes late`,
                metricName: "ReplicationLatency",
                statistic: "Maximum",
                unit: "Seconds",
                threshold: 900,
            },
        },
        {
            id: "s3-replication-failed",
            spec: {
                ...common,
                what: "s3-replication-failed",
                description: `Documents failing to replicate ${r.from} → ${r.to}`,
                metricName: "OperationsFailedReplication",
                statistic: "Sum",
                unit: "Count",
                threshold: 1,
            },
        },
    ];
}
