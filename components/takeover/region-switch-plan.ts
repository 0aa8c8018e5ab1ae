import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functionArchive, LAMBDA_RUNTIME } from "../shared/function-bundle";
import { policyDocument, serviceTrustPolicy, trustPolicyJson } from "../shared/iam";
import { fitName, NAME_LIMITS, NameContext, REGION_ROLES, RegionRole } from "../shared/naming";
import { ledgerRegionSwitchPolicy } from "../ledger/region-switch";
import { regionSwitchExecutionPolicy, regionSwitchOperatorPolicy, takeoverSwitchPolicy } from "./region-switch-iam";
import type { SignalMetric } from "../../contracts/takeover-signal";
import { NamedLogGroup, namedLogGroup, RegionalLogGroups } from "../shared/log-groups";

import { authorityWriteStatements, type TakeoverAuthorityOutput } from "../../contracts/takeover-authority";

/** ARC Region switch prices a plan at about this much a month (README, costs). */
export const REGION_SWITCH_PLAN_MONTHLY_USD = 70;
/** How long an approver has to approve a plan execution's switch step. */
export const APPROVAL_TIMEOUT_MINUTES = 60;

export type SwitchAction = "set" | "clear";
export const SWITCH_ACTIONS: readonly SwitchAction[] = ["set", "clear"];

export interface RegionSwitchPlanArgs {
    readonly regions: Readonly<Record<RegionRole, string>>;
    /** `{ parent, provider }` of each region, the functions' homes. */
    readonly inRegion: Readonly<Record<RegionRole, pulumi.CustomResourceOptions>>;
    /** Each region's key, for the functions' environment and log groups. */
    readonly keyArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    readonly signal: pulumi.Input<SignalMetric>;
    /** The takeover authority in the standby region: the switch sets or clears it with the metric. */
    readonly authority: pulumi.Input<TakeoverAuthorityOutput>;
    readonly nameContext: pulumi.Output<NameContext>;
    readonly accountId: pulumi.Input<string>;
    /** The role whose sessions may approve an execution (the DR operator role). */
    readonly approvalRoleArn: pulumi.Input<string>;
    /** The same role's name: it gets a policy to start, approve and follow executions of this plan only. */
    readonly approvalRoleName: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly recoveryTimeObjectiveMinutes: number;
    /**
     * The relational ledger's part of the plan (`Ledger.regionSwitchStep` and what the execution role needs for it).
     * @default - no ledger: the workflows end with the takeover signal
     */
    readonly ledger?: RegionSwitchLedger;
}

/** The ledger's Aurora step and the ARNs its permissions name (`components/ledger/region-switch.ts`). */
export interface RegionSwitchLedger {
    readonly step: aws.types.input.arcregionswitch.PlanWorkflowStep;
    readonly globalClusterArn: pulumi.Input<string>;
    readonly clusterArns: readonly pulumi.Input<string>[];
}

export interface RegionSwitchPlan {
    readonly planArn: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    /** The takeover-switch functions by action and region. */
    readonly functionArns: Readonly<Record<SwitchAction, Readonly<Record<RegionRole, pulumi.Output<string>>>>>;
    /** The functions' log groups by region: what the log archive subscribes to. */
    readonly logGroups: RegionalLogGroups;
}

/**
 * An ARC Region switch plan whose workflows activate either region: an approval, then a custom-action Lambda that
 * sets (activate the secondary) or clears (activate the primary) the takeover signal. ARC asks for the step's
 * function in each of the plan's regions, so each action has a copy in both; each copy writes to the standby
 * region's metric. The failback gates stay with `npm run failback` (run it, or `npm run reconcile`, before
 * approving an activation of the primary).
 */
/** A takeover-switch function's role name: the takeover authority's resource policy names these roles as writers. */
export function takeoverSwitchRoleName(ctx: NameContext, action: SwitchAction, role: RegionRole): string {
    return fitName(`takeover-${action}-${role}`, ctx, NAME_LIMITS.iamRole);
}

export function createRegionSwitchPlan(name: string, a: RegionSwitchPlanArgs): RegionSwitchPlan {
    const nameOf = (prefix: string, limit: number) => a.nameContext.apply((ctx) => fitName(prefix, ctx, limit));
    const functionArns = { set: {}, clear: {} } as Record<SwitchAction, Record<RegionRole, pulumi.Output<string>>>;
    const logGroups: Record<RegionRole, NamedLogGroup[]> = { primary: [], secondary: [] };
    for (const action of SWITCH_ACTIONS) {
        for (const role of REGION_ROLES) {
            const opts = a.inRegion[role];
            const id = `${name}-${action}-${role}`;
            const functionName = nameOf(`takeover-${action}-${role}`, NAME_LIMITS.lambdaFunction);
            const logGroup = new aws.cloudwatch.LogGroup(
                `${id}-logs`,
                { name: pulumi.interpolate`/aws/lambda/${functionName}`, retentionInDays: a.logRetentionDays, kmsKeyId: a.keyArns[role] },
                opts,
            );
            logGroups[role].push(namedLogGroup(`${id}-logs`, logGroup));
            const roleResource = new aws.iam.Role(
                `${id}-role`,
                {
                    name: a.nameContext.apply((ctx) => takeoverSwitchRoleName(ctx, action, role)),
                    description: `ARC Region switch custom action: ${action} the takeover signal (runs in ${a.regions[role]})`,
                    assumeRolePolicy: pulumi.output(a.accountId).apply((accountId) => trustPolicyJson(serviceTrustPolicy("lambda.amazonaws.com", accountId))),
                },
                opts,
            );
            const rolePolicy = new aws.iam.RolePolicy(
                `${id}-policy`,
                {
                    role: roleResource.id,
                    policy: pulumi
                        .all([logGroup.arn, a.signal])
                        .apply(([logGroupArn, signal]) => JSON.stringify(takeoverSwitchPolicy({ logGroupArn, namespace: signal.namespace }))),
                },
                opts,
            );
            // Set or clear the takeover authority (the table's resource policy names this role as a writer).
            const authorityPolicy = new aws.iam.RolePolicy(
                `${id}-authority-policy`,
                {
                    role: roleResource.id,
                    policy: pulumi
                        .all([a.authority, a.keyArns.secondary])
                        .apply(([authority, keyArn]) =>
                            JSON.stringify(policyDocument(...authorityWriteStatements({ tableArn: authority.tableArn, keyArn, region: authority.region }))),
                        ),
                },
                opts,
            );
            const fn = new aws.lambda.Function(
                id,
                {
                    name: functionName,
                    description: `payments-dr: ${action} the takeover signal (ARC Region switch custom action)`,
                    role: roleResource.arn,
                    runtime: LAMBDA_RUNTIME,
                    architectures: ["arm64"],
                    handler: "index.handler",
                    code: functionArchive("takeover-switch"),
                    memorySize: 256,
                    timeout: 30,
                    kmsKeyArn: a.keyArns[role],
                    environment: {
                        variables: {
                            TAKEOVER_VALUE: action === "set" ? "1" : "0",
                            TAKEOVER_SIGNAL: pulumi.output(a.signal).apply((s) => JSON.stringify(s)),
                            TAKEOVER_AUTHORITY: pulumi.output(a.authority).apply(({ region, tableName }) => JSON.stringify({ region, tableName })),
                        },
                    },
                    tracingConfig: { mode: "Active" },
                    loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
                },
                { ...opts, dependsOn: [logGroup, rolePolicy, authorityPolicy] },
            );
            functionArns[action][role] = fn.arn;
        }
    }

    const standbyOpts = a.inRegion.secondary;
    const executionRole = new aws.iam.Role(
        `${name}-execution-role`,
        {
            name: nameOf("region-switch", NAME_LIMITS.iamRole),
            description: "ARC Region switch plan execution: runs the takeover-switch functions",
            assumeRolePolicy: pulumi
                .output(a.accountId)
                .apply((accountId) => trustPolicyJson(serviceTrustPolicy("arc-region-switch.amazonaws.com", accountId))),
        },
        standbyOpts,
    );
    const step = (action: SwitchAction, regionToRun: string) => [
        {
            name: "approve",
            description:
                action === "set" ? "approve the takeover by the secondary" : "approve the failback (after npm run failback's gates or npm run reconcile)",
            executionBlockType: "ManualApproval",
            executionApprovalConfigs: [{ approvalRole: a.approvalRoleArn, timeoutMinutes: APPROVAL_TIMEOUT_MINUTES }],
        },
        {
            name: `${action}-takeover-signal`,
            description: `${action} the takeover signal in ${a.regions.secondary}`,
            executionBlockType: "CustomActionLambda",
            customActionLambdaConfigs: [
                { regionToRun, retryIntervalMinutes: 1, timeoutMinutes: 5, lambdas: REGION_ROLES.map((role) => ({ arn: functionArns[action][role] })) },
            ],
        },
        // The ledger's writer follows the signal: traffic is fenced or released first, then the ledger moves.
        ...(a.ledger ? [a.ledger.step] : []),
    ];
    // The plan is managed through the standby region's provider: the region that must work during the outage.
    const plan = new aws.arcregionswitch.Plan(
        `${name}-plan`,
        {
            name: nameOf("payments-dr", 32),
            description: "Activate either region of payments-dr: approval, then set or clear the takeover signal",
            executionRole: executionRole.arn,
            recoveryApproach: "activePassive",
            regions: [a.regions.primary, a.regions.secondary],
            primaryRegion: a.regions.primary,
            recoveryTimeObjectiveMinutes: a.recoveryTimeObjectiveMinutes,
            workflows: [
                // The signal lives in the secondary: activating it runs there; so does releasing it.
                { workflowTargetAction: "activate", workflowTargetRegion: a.regions.secondary, steps: step("set", "activatingRegion") },
                { workflowTargetAction: "activate", workflowTargetRegion: a.regions.primary, steps: step("clear", "deactivatingRegion") },
            ],
        },
        standbyOpts,
    );
    // After the plan, which names the role: the policy names the plan.
    new aws.iam.RolePolicy(
        `${name}-execution-policy`,
        {
            role: executionRole.id,
            policy: pulumi
                .all([pulumi.all(SWITCH_ACTIONS.flatMap((action) => REGION_ROLES.map((role) => functionArns[action][role]))), executionRole.arn, plan.arn])
                .apply(([arns, roleArn, planArn]) => JSON.stringify(regionSwitchExecutionPolicy({ functionArns: arns, roleArn, planArn }))),
        },
        standbyOpts,
    );
    if (a.ledger) {
        const { globalClusterArn, clusterArns } = a.ledger;
        new aws.iam.RolePolicy(
            `${name}-ledger-policy`,
            {
                role: executionRole.id,
                policy: pulumi
                    .all([globalClusterArn, pulumi.all([...clusterArns])])
                    .apply(([globalArn, arns]) => JSON.stringify(ledgerRegionSwitchPolicy({ globalClusterArn: globalArn, clusterArns: arns }))),
            },
            standbyOpts,
        );
    }
    new aws.iam.RolePolicy(
        `${name}-operator-policy`,
        {
            role: a.approvalRoleName,
            policy: plan.arn.apply((planArn) => JSON.stringify(regionSwitchOperatorPolicy(planArn))),
        },
        standbyOpts,
    );
    return { planArn: plan.arn, executionRoleArn: executionRole.arn, functionArns, logGroups };
}
