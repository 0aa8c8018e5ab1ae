import * as pulumi from "@pulumi/pulumi";
import { createAlarm } from "../shared/alerting";
import { LedgerLagThresholds } from "./objectives";
import { NameContext, names, RegionRole } from "../shared/naming";

export interface LedgerLagAlarmsArgs {
    readonly role: RegionRole;
    readonly region: string;
    /** This region's cluster: the metrics are published by whichever cluster is the secondary at the time. */
    readonly clusterIdentifier: pulumi.Input<string>;
    readonly thresholds: LedgerLagThresholds;
    readonly topicArn: pulumi.Input<string>;
    readonly nameOf: (f: (ctx: NameContext) => string) => pulumi.Output<string>;
}

/**
 * Replication-lag alarms of one regional cluster, in milliseconds (the metrics' unit). Both regions get them:
 * the secondary cluster publishes the metrics, and after a switchover or failover the other one does, so the
 * alarms need no change when the writer moves (an alarm on the current writer sees no data: not breaching).
 */
export function createLedgerLagAlarms(name: string, a: LedgerLagAlarmsArgs, opts: pulumi.CustomResourceOptions): void {
    const common = {
        namespace: "AWS/RDS",
        dimensions: { DBClusterIdentifier: a.clusterIdentifier },
        statistic: "Maximum",
        unit: "Milliseconds",
        periodSeconds: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
    };
    const specs = [
        {
            ...common,
            what: "ledger-rpo-lag",
            description: `Ledger RPO lag above ${a.thresholds.rpoLagMs} ms (half the RPO target) for the ${a.role} cluster in ${a.region}`,
            metricName: "AuroraGlobalDBRPOLag",
            threshold: a.thresholds.rpoLagMs,
        },
        {
            ...common,
            what: "ledger-replication-lag",
            description: `Ledger storage replication lag above ${a.thresholds.replicationLagMs} ms for the ${a.role} cluster in ${a.region}`,
            metricName: "AuroraGlobalDBReplicationLag",
            threshold: a.thresholds.replicationLagMs,
        },
    ];
    for (const spec of specs) {
        createAlarm(
            `${name}-${spec.what}`,
            spec,
            a.nameOf((ctx) => names.alarm(ctx, spec.what, a.role)),
            a.topicArn,
            opts,
        );
    }
}
