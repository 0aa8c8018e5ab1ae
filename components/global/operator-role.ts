import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DAY_INDEX_NAME } from "../../contracts/day-index";
import { DRILL_STATUS_ACTIONS } from "../takeover/drill-actions";
import { OPERATOR_SCRIPT_ACTIONS } from "../takeover/dr-script-actions";
import type { GlobalLayerScope } from "./global-layer-args";
import { trustPolicyJson } from "../shared/iam";
import { operatorPolicy } from "./operator-policy";
import { names, REGION_ROLES } from "../shared/naming";
import { operatorTrustPolicy } from "./operator-trust";
import { TAKEOVER_NAMESPACE } from "../../contracts/takeover-signal";

export interface OperatorTargets {
    /** Every health check the scripts read, in a stable order (both regions', then the takeover signal's). */
    readonly healthCheckIds: readonly pulumi.Input<string>[];
    readonly zoneId: pulumi.Input<string>;
    /** The takeover alarm: the only alarm the scripts read (scripts/dr/takeover.ts). */
    readonly takeoverAlarmArn: pulumi.Input<string>;
    readonly tableName: pulumi.Input<string>;
}

/** The DR operator role (MFA): what the runbook and the drill need, nothing else. */
export function createOperatorRole(scope: GlobalLayerScope, t: OperatorTargets): aws.iam.Role {
    const { name, a, inRegion, nameOf } = scope;
    const { stacks, providers } = a;
    const accountId = stacks.primary.accountId;
    const operatorPartition = aws.getPartitionOutput({}, { parent: scope.layer, provider: providers.primary });
    const trust = { principalArn: a.operatorPrincipalArn, envLabel: a.envLabel };
    const operatorRole = new aws.iam.Role(
        `${name}-operator-role`,
        {
            name: nameOf(names.operatorRole),
            description: "DR operator: failover, failback and reconcile from the standby region; reads health checks and records (MFA required)",
            // The named principal, or only the account's principals tagged as this stack's operators (operator-trust.ts).
            assumeRolePolicy: pulumi
                .all([accountId, operatorPartition.partition])
                .apply(([id, partition]) => trustPolicyJson(operatorTrustPolicy({ ...trust, accountId: id, partition }))),
            maxSessionDuration: 3600,
        },
        inRegion("primary"),
    );
    new aws.iam.RolePolicy(
        `${name}-operator-policy`,
        {
            role: operatorRole.id,
            policy: pulumi
                .all([
                    accountId,
                    pulumi.all([...t.healthCheckIds]),
                    t.zoneId,
                    pulumi.all([t.takeoverAlarmArn]),
                    t.tableName,
                    pulumi.all([stacks.primary.bucketArn, stacks.secondary.bucketArn]),
                    pulumi.all([stacks.primary.keyArn, stacks.secondary.keyArn]),
                    operatorPartition.partition,
                ])
                .apply(([id, healthCheckIds, zone, arns, tableName, bucketArns, keyArns, partition]) =>
                    JSON.stringify(
                        operatorPolicy({
                            healthCheckIds,
                            hostedZoneId: zone,
                            partition,
                            tableArns: REGION_ROLES.map((r) => `arn:${partition}:dynamodb:${stacks[r].region}:${id}:table/${tableName}`),
                            tableKeys: REGION_ROLES.map((r, i) => ({ region: stacks[r].region, keyArn: keyArns[i] })),
                            dayIndexName: DAY_INDEX_NAME,
                            alarmArns: arns,
                            bucketArns,
                            standbyBucketArn: bucketArns[1],
                            takeoverNamespace: TAKEOVER_NAMESPACE,
                            statusActions: DRILL_STATUS_ACTIONS,
                            scriptActions: OPERATOR_SCRIPT_ACTIONS,
                        }),
                    ),
                ),
        },
        inRegion("primary"),
    );
    return operatorRole;
}
