import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dashboardBody } from "./dashboard";
import { REPLICATION_RULE_IDS } from "./document-replication";
import type { GlobalLayerScope } from "./global-layer-args";
import { names, RegionRole } from "../shared/naming";

export interface DashboardTargets {
    readonly tableName: pulumi.Output<string>;
    /** Each region's CALCULATED check (the one its failover record uses). */
    readonly failoverCheckIds: Readonly<Record<RegionRole, pulumi.Output<string>>>;
    /** Each region's HTTPS check of `/health`. */
    readonly endpointCheckIds: Readonly<Record<RegionRole, pulumi.Output<string>>>;
}

/** The CloudWatch dashboard showing both regions side by side (components/global/dashboard.ts lays it out). */
export function createGlobalDashboard(scope: GlobalLayerScope, t: DashboardTargets): aws.cloudwatch.Dashboard {
    const { name, a, inRegion, nameOf } = scope;
    const { stacks } = a;
    const dashboardName = nameOf(names.dashboard);
    return new aws.cloudwatch.Dashboard(
        `${name}-dashboard`,
        {
            dashboardName,
            dashboardBody: pulumi
                .all([
                    stacks.primary.functionName,
                    stacks.secondary.functionName,
                    stacks.primary.apiId,
                    stacks.secondary.apiId,
                    t.tableName,
                    t.failoverCheckIds.primary,
                    t.failoverCheckIds.secondary,
                    stacks.primary.bucketName,
                    stacks.secondary.bucketName,
                    t.endpointCheckIds.primary,
                    t.endpointCheckIds.secondary,
                ])
                .apply(([fnP, fnS, apiP, apiS, tableName, hcP, hcS, bucketP, bucketS, endpointP, endpointS]) =>
                    JSON.stringify(
                        dashboardBody({
                            regions: { primary: stacks.primary.region, secondary: stacks.secondary.region },
                            functionNames: { primary: fnP, secondary: fnS },
                            apiIds: { primary: apiP, secondary: apiS },
                            tableName,
                            healthCheckIds: { primary: hcP, secondary: hcS },
                            endpointHealthCheckIds: { primary: endpointP, secondary: endpointS },
                            buckets: { primary: bucketP, secondary: bucketS },
                            ruleId: REPLICATION_RULE_IDS.primary,
                        }),
                    ),
                ),
        },
        inRegion("primary"),
    );
}
