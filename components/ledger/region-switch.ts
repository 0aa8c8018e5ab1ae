/**
 * The ledger's part of an ARC Region switch plan: an Aurora global database execution block and the
 * permissions the plan's execution role needs for it. Pure; the plan itself (optional) belongs to the failover
 * component, which adds this step when the stack has a ledger (`Ledger.regionSwitchStep`).
 *
 * AWS (ARC Region switch API, GlobalAuroraConfiguration): `behavior: switchoverOnly` calls
 * SwitchoverGlobalCluster (RPO 0) in a graceful execution; `ungraceful: failover` calls FailoverGlobalCluster
 * with AllowDataLoss in an ungraceful one.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, policyDocument } from "../shared/iam";

/** Long enough for a switchover of a busy cluster; ARC fails the step after it. */
export const LEDGER_SWITCH_TIMEOUT_MINUTES = 30;

export interface LedgerRegionSwitchArgs {
    readonly globalClusterIdentifier: pulumi.Input<string>;
    /** Both regional clusters' ARNs. */
    readonly clusterArns: readonly pulumi.Input<string>[];
}

export function ledgerRegionSwitchStep(a: LedgerRegionSwitchArgs): aws.types.input.arcregionswitch.PlanWorkflowStep {
    return {
        name: "ledger-aurora-global-database",
        description: "Move the ledger's Aurora global database writer to the target region (switchover; failover with data loss when ungraceful)",
        executionBlockType: "AuroraGlobalDatabase",
        globalAuroraConfigs: [
            {
                behavior: "switchoverOnly",
                ungracefuls: [{ ungraceful: "failover" }],
                globalClusterIdentifier: a.globalClusterIdentifier,
                databaseClusterArns: [...a.clusterArns],
                timeoutMinutes: LEDGER_SWITCH_TIMEOUT_MINUTES,
            },
        ],
    };
}

/** What the plan's execution role needs for the step (ARC's "Aurora Global Database execution block" sample policy, scoped to this stack). */
export function ledgerRegionSwitchPolicy(a: { globalClusterArn: string; clusterArns: readonly string[] }): PolicyDocument {
    const all = [a.globalClusterArn, ...a.clusterArns];
    return policyDocument(
        { Sid: "ReadLedgerGlobalCluster", Effect: "Allow", Action: "rds:DescribeGlobalClusters", Resource: a.globalClusterArn },
        { Sid: "ReadLedgerClusters", Effect: "Allow", Action: "rds:DescribeDBClusters", Resource: [...a.clusterArns] },
        { Sid: "MoveLedgerWriter", Effect: "Allow", Action: ["rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster"], Resource: all },
    );
}
