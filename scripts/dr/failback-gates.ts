import { GetMetricDataCommand, type CloudWatchClient, type Dimension } from "@aws-sdk/client-cloudwatch";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetBucketReplicationCommand } from "@aws-sdk/client-s3";
import type { RegionalClients } from "./clients";
import { callOf, DrCallError } from "./deadline";
import type { DrOutputs } from "./outputs";
import type { ReconcileReport } from "./reconciliation";

/**
 * What must hold before the primary takes traffic back: the standby's writes have reached it (table and
 * documents), and the two regions agree. Each gate reports instead of throwing: an AWS error (an unreachable
 * region) fails the gate with the reason.
 */

export const GATE_NAMES = ["dynamodb-replication", "s3-replication", "reconciliation"] as const;
export type GateName = (typeof GATE_NAMES)[number];

export interface GateResult {
    readonly gate: GateName;
    readonly passed: boolean;
    readonly detail: string;
    /** Not passed because the data to decide is missing (not because it says no); `--accept-unknown` lets it pass. */
    readonly unknown?: true;
}

/** What `--force` skips, in words. */
export const GATE_PURPOSES: Readonly<Record<GateName, string>> = {
    "dynamodb-replication": "table writes made in the standby region have replicated to the primary",
    "s3-replication": "documents written in the standby region are replicated (or copied) back",
    reconciliation: "both regions hold the same transactions, one version each, with both receipts",
};

/** Replication lag toward the returning region must be below this (ms) to fail back. */
export const DEFAULT_MAX_REPLICATION_LATENCY_MS = 1_000;
/** How far back the replication metrics are read. */
const METRIC_WINDOW_MS = 10 * 60_000;

async function latestDatapoint(
    client: CloudWatchClient,
    namespace: string,
    metricName: string,
    dimensions: Dimension[],
    now: Date,
): Promise<number | undefined> {
    const result = await client.send(
        new GetMetricDataCommand({
            MetricDataQueries: [
                { Id: "m", MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions }, Period: 60, Stat: "Maximum" } },
            ],
            StartTime: new Date(now.getTime() - METRIC_WINDOW_MS),
            EndTime: now,
            ScanBy: "TimestampDescending",
        }),
    );
    return result.MetricDataResults?.[0]?.Values?.[0];
}

const failed = (gate: GateName, error: unknown): GateResult => {
    const where = callOf(error);
    const text =
        error instanceof DrCallError
            ? error.message
            : `${error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error)}${where ? ` (${where.call} in ${where.region})` : ""}`;
    return { gate, passed: false, detail: `could not be checked: ${text}` };
};

/** The primary's replica is ACTIVE and ReplicationLatency toward it (published in the standby region) is low. */
export async function dynamodbReplicationGate(outputs: DrOutputs, clients: RegionalClients, now: Date, maxLatencyMs: number): Promise<GateResult> {
    const gate = "dynamodb-replication";
    try {
        const standby = outputs.secondaryRegion;
        const table = await clients.dynamodb(standby).send(new DescribeTableCommand({ TableName: outputs.transactionsTableName }));
        const replica = table.Table?.Replicas?.find((r) => r.RegionName === outputs.primaryRegion);
        if (replica?.ReplicaStatus !== "ACTIVE") {
            return { gate, passed: false, detail: `the table's replica in ${outputs.primaryRegion} is ${replica?.ReplicaStatus ?? "missing"}, not ACTIVE` };
        }
        const latency = await latestDatapoint(
            clients.cloudwatch(standby),
            "AWS/DynamoDB",
            "ReplicationLatency",
            [
                { Name: "TableName", Value: outputs.transactionsTableName },
                { Name: "ReceivingRegion", Value: outputs.primaryRegion },
            ],
            now,
        );
        if (latency === undefined) {
            // No datapoint is not "nothing in flight": a stalled replication publishes none either.
            return {
                gate,
                passed: false,
                unknown: true,
                detail:
                    `unknown: replica ACTIVE but no ReplicationLatency datapoint toward ${outputs.primaryRegion} in the last 10 minutes ` +
                    `(stalled, or nothing written in ${standby}); write a test payment in ${standby} and re-run, or --accept-unknown`,
            };
        }
        return latency < maxLatencyMs
            ? {
                  gate,
                  passed: true,
                  detail: `replica ACTIVE; ReplicationLatency toward ${outputs.primaryRegion} ${Math.round(latency)} ms < ${maxLatencyMs} ms`,
              }
            : {
                  gate,
                  passed: false,
                  detail: `ReplicationLatency toward ${outputs.primaryRegion} is ${Math.round(latency)} ms, not under ${maxLatencyMs} ms: writes are still draining`,
              };
    } catch (error) {
        return failed(gate, error);
    }
}

/**
 * Reverse replication (standby → primary) is on and has nothing pending; with it off, the reconciliation gate
 * checks every receipt of the window in both buckets (the documents must have been copied back).
 */
export async function s3ReplicationGate(outputs: DrOutputs, clients: RegionalClients, now: Date): Promise<GateResult> {
    const gate = "s3-replication";
    try {
        const standby = outputs.secondaryRegion;
        let rules: Array<{ Status?: string; Destination?: { Bucket?: string }; ID?: string }> = [];
        try {
            const config = await clients.s3(standby).send(new GetBucketReplicationCommand({ Bucket: outputs.secondaryBucketName }));
            rules = config.ReplicationConfiguration?.Rules ?? [];
        } catch (error) {
            if ((error as { name?: string }).name !== "ReplicationConfigurationNotFoundError") {
                throw error;
            }
        }
        // arn:<partition>:s3:::<bucket>, whatever the partition.
        const reverse = rules.find(
            (r) => r.Status === "Enabled" && /^arn:[^:]+:s3:::(.+)$/.exec(r.Destination?.Bucket ?? "")?.[1] === outputs.primaryBucketName,
        );
        if (reverse === undefined) {
            return outputs.reverseReplication
                ? {
                      gate,
                      passed: false,
                      detail: `reverseReplication is on in the stack, but ${outputs.secondaryBucketName} has no enabled rule to ${outputs.primaryBucketName}`,
                  }
                : {
                      gate,
                      passed: true,
                      detail: "reverse replication is off: documents written during the takeover must be copied back; the reconciliation gate checks every receipt in both buckets",
                  };
        }
        const pending = await latestDatapoint(
            clients.cloudwatch(standby),
            "AWS/S3",
            "OperationsPendingReplication",
            [
                { Name: "SourceBucket", Value: outputs.secondaryBucketName },
                { Name: "DestinationBucket", Value: outputs.primaryBucketName },
                { Name: "RuleId", Value: reverse.ID ?? outputs.replicationRuleIds.secondary },
            ],
            now,
        );
        if (pending === undefined) {
            return {
                gate,
                passed: false,
                unknown: true,
                detail:
                    `unknown: no OperationsPendingReplication datapoint toward ${outputs.primaryBucketName} in the last 10 minutes ` +
                    "(stalled, or nothing written); the reconciliation gate still checks every receipt of the window; re-run later, or --accept-unknown",
            };
        }
        if (pending === 0) {
            return { gate, passed: true, detail: "reverse replication on; 0 operations pending" };
        }
        return { gate, passed: false, detail: `${pending} replication operations pending toward ${outputs.primaryBucketName}` };
    } catch (error) {
        return failed(gate, error);
    }
}

/** The reconciliation report of the window is clean. */
export async function reconciliationGate(run: () => Promise<ReconcileReport>): Promise<GateResult & { report?: ReconcileReport }> {
    const gate = "reconciliation";
    try {
        const report = await run();
        if (report.clean) {
            return {
                gate,
                passed: true,
                detail: `clean (${report.counts.primary} transactions in the primary, ${report.counts.secondary} in the secondary)`,
                report,
            };
        }
        const kinds = [...new Set(report.findings.map((f) => f.kind))].join(", ");
        return {
            gate,
            passed: false,
            detail: `${report.findings.length} finding${report.findings.length === 1 ? "" : "s"} (${kinds}); see \`npm run reconcile -- --since ${report.since}\``,
            report,
        };
    } catch (error) {
        return failed(gate, error);
    }
}
