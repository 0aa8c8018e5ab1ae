import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, createAlarm } from "../shared/alerting";
import { NameContext, names, otherRole, REGION_ROLES, RegionRole } from "../shared/naming";
import { archiveReplicationRuleId } from "./log-archive-replication";

/** Period of both alarms: Firehose delivers an object per region at least every 300 s buffering interval. */
export const ARCHIVE_REPLICATION_PERIOD_SECONDS = 300;
/**
 * Without S3 RTC, AWS gives no replication-time bound, so 15 minutes (the RTC target) would page on ordinary delays;
 * an hour behind means the other region lacks an hour of audit logs, worth a look the same day.
 */
export const ARCHIVE_REPLICATION_LATENCY_ALARM_SECONDS = 3600;

/** One archive replication rule, with the dimensions its S3 replication metrics carry. */
export interface ArchiveReplicationRule {
    readonly from: RegionRole;
    readonly to: RegionRole;
    readonly sourceBucket: pulumi.Input<string>;
    readonly destinationBucket: pulumi.Input<string>;
}

/**
 * The failure and latency alarms of one archive rule (AWS/S3 replication metrics, dimensions SourceBucket,
 * DestinationBucket and RuleId: https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html).
 *
 * Missing data, chosen per metric. Logs always flow in each region (health checks and probes log every few seconds,
 * Firehose writes an object at least every buffering interval), so a rule always has replication to report:
 * - latency: `breaching` over 3 periods. Fifteen minutes without a datapoint means replication or its metrics
 *   stopped (rule or metrics disabled, bucket gone), which is as bad as a late copy.
 * - failures: `notBreaching`. OperationsFailedReplication counts failed operations; a period without a datapoint
 *   reports none, and the alarm returns to OK once failures stop (the latency alarm catches silence).
 */
export function archiveReplicationAlarmSpecs(r: ArchiveReplicationRule): AlarmSpec[] {
    const common = {
        namespace: "AWS/S3",
        dimensions: { SourceBucket: r.sourceBucket, DestinationBucket: r.destinationBucket, RuleId: archiveReplicationRuleId(r.from) },
        periodSeconds: ARCHIVE_REPLICATION_PERIOD_SECONDS,
    };
    return [
        {
            ...common,
            what: "log-archive-replication-failed",
            description: `Audit logs failing to replicate ${r.from} → ${r.to} (the log archive's copy in the other region is incomplete)`,
            metricName: "OperationsFailedReplication",
            statistic: "Sum",
            unit: "Count",
            // ≥ 1 of a count: pages on any failed operation (> 0).
            threshold: 1,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
        },
        {
            ...common,
            what: "log-archive-replication-latency",
            description: `Audit logs replicate ${r.from} → ${r.to} more than an hour late, or no replication reported for 15 minutes`,
            metricName: "ReplicationLatency",
            statistic: "Maximum",
            unit: "Seconds",
            threshold: ARCHIVE_REPLICATION_LATENCY_ALARM_SECONDS,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: "breaching",
        },
    ];
}

export interface ArchiveReplicationAlarmArgs {
    readonly bucketNames: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    /** Each region's alarm topic: a rule's alarms live in its source region and notify that region's topic. */
    readonly alarmTopicArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
    readonly nameOf: (f: (ctx: NameContext) => string) => pulumi.Output<string>;
}

/** Both rules' alarms, each in the rule's source region (S3 publishes a rule's metrics there). */
export function alarmArchiveReplication(name: string, a: ArchiveReplicationAlarmArgs, parent: pulumi.Resource): void {
    for (const from of REGION_ROLES) {
        const to = otherRole(from);
        const rule = { from, to, sourceBucket: a.bucketNames[from], destinationBucket: a.bucketNames[to] };
        for (const spec of archiveReplicationAlarmSpecs(rule)) {
            createAlarm(
                `${name}-${from}-${spec.what.slice("log-archive-".length)}`,
                spec,
                a.nameOf((ctx) => names.alarm(ctx, spec.what, from)),
                a.alarmTopicArns[from],
                { parent, provider: a.providers[from] },
            );
        }
    }
}
