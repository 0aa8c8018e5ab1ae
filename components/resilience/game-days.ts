import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAlarm } from "../shared/alerting";
// The S3 experiment selects the documents bucket by this tag (FIS targets `aws:s3:bucket` by tags only).
import { BUCKET_TARGET_TAG } from "../regional/documents";
import {
    GAME_DAY_DURATION_MINUTES,
    gameDayPolicy,
    INJECTED_DELAY_MS,
    isoMinutes,
    LAMBDA_INVOCATION_DELAY,
    LAMBDA_INVOCATION_ERROR,
    PAUSE_BUCKET_REPLICATION,
    PAUSE_TABLE_REPLICATION,
} from "./game-day-iam";
import { paymentsStillFailingAlarmSpec, StageRef } from "./game-day-stop-alarm";
import { createServiceRole } from "../shared/service-role";
import { NAME_LIMITS, REGION_ROLES, RegionRole } from "../shared/naming";
import { TwoRegionArgs, twoRegionHelpers } from "../shared/two-region-args";
import { namedLogGroup, RegionalLogGroups } from "../shared/log-groups";

/** Experiment ids of the stack output `gameDayExperiments`. */
export type GameDayExperiment = "pause-table-replication" | "pause-documents-replication" | "fail-primary-payments" | "slow-primary-payments";

/** Each experiment lives in the region whose resources it targets; `keyArns`: the experiment log groups' keys. */
export interface GameDaysArgs extends TwoRegionArgs {
    readonly logRetentionDays: number;
    /** The standby's table replica ARN: the DynamoDB experiment's only target. */
    readonly standbyReplicaArn: pulumi.Input<string>;
    /** The table is multi-Region strongly consistent (FIS then needs `dynamodb:InjectError` too). */
    readonly strongConsistency: boolean;
    /** The primary's documents bucket (name and ARN), source of the rule toward the standby; tagged `Name` = its name. */
    readonly primaryBucketName: pulumi.Input<string>;
    readonly primaryBucketArn: pulumi.Input<string>;
    readonly standbyBucketName: pulumi.Input<string>;
    /**
     * The primary's transaction processor (it carries the FIS extension: RegionalStack `faultInjection`), its
     * fault-configuration bucket, and the primary's alarm topic (for the Lambda experiments' stop alarm).
     */
    readonly primaryProcessor: {
        readonly functionArn: pulumi.Input<string>;
        readonly faultConfigBucketArn: pulumi.Input<string>;
        readonly topicArn: pulumi.Input<string>;
    };
    /** The primary's HTTP API stage: the Lambda faults' stop condition counts its 5xx (game-day-stop-alarm.ts). */
    readonly primaryStage: StageRef;
    /** Minutes of failing payments in the primary after which the failover clearly did not happen (game-day-stop-alarm.ts). */
    readonly failoverDrainMinutes: number;
    /** Alarm names (in their own region) the experiments stop on. */
    readonly alarms: {
        readonly primaryPaymentFailures: pulumi.Input<string>;
        readonly standbyPaymentFailures: pulumi.Input<string>;
        readonly standbyTakingPayments: pulumi.Input<string>;
    };
}

/**
 * Game days (`gameDays: true`): AWS FIS experiment templates that pause replication toward the standby, one for
 * the DynamoDB table (in the standby region, on its replica) and one for the documents (in the primary region, on
 * the primary's bucket), and two that fail or slow the primary's payments (FIS Lambda actions on its processor),
 * each with stop conditions on this stack's alarms, a fixed duration, logs in a log group encrypted with its
 * region's key, and one role allowed exactly these actions on exactly these resources. Nothing
 * runs until an operator starts an experiment (`aws fis start-experiment`, README runbook).
 */
export class GameDays extends pulumi.ComponentResource {
    /** Template id and region of each experiment (what `aws fis start-experiment` needs). */
    public readonly experiments: Record<GameDayExperiment, { templateId: pulumi.Output<string>; region: string }>;
    public readonly roleArn: pulumi.Output<string>;
    public readonly logGroupArns: Record<RegionRole, pulumi.Output<string>>;
    /** The experiments' log groups by region: what the log archive subscribes to. */
    public readonly logGroups: RegionalLogGroups;

    constructor(name: string, args: GameDaysArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:gamedays:GameDays (issue 22 moved it): the alias keeps existing stacks' resources.
        super("payments-dr:resilience:GameDays", name, {}, { ...opts, aliases: [{ type: "payments-dr:gamedays:GameDays" }, ...(opts?.aliases ?? [])] });
        const { regions } = args;
        const { nameOf, inRegion } = twoRegionHelpers(this, args);
        const partition = aws.getPartitionOutput({}, inRegion("primary")).partition;
        const alarmArn = (role: RegionRole, alarmName: pulumi.Input<string>) =>
            pulumi.interpolate`arn:${partition}:cloudwatch:${regions[role]}:${args.accountId}:alarm:${alarmName}`;

        // Vended logs (FIS delivers through CloudWatch Logs): the /aws/vendedlogs/ prefix is the one AWS recommends,
        // so the account's log resource policy keeps one entry for all of them.
        const logGroups = {} as Record<RegionRole, aws.cloudwatch.LogGroup>;
        for (const role of REGION_ROLES) {
            logGroups[role] = new aws.cloudwatch.LogGroup(
                `${name}-${role}-logs`,
                {
                    name: pulumi.interpolate`/aws/vendedlogs/fis/${nameOf(`game-days-${role}`, 200)}`,
                    retentionInDays: args.logRetentionDays,
                    kmsKeyId: args.keyArns[role],
                },
                inRegion(role),
            );
        }
        this.logGroupArns = { primary: logGroups.primary.arn, secondary: logGroups.secondary.arn };
        this.logGroups = {
            primary: [namedLogGroup(`${name}-primary-logs`, logGroups.primary)],
            secondary: [namedLogGroup(`${name}-secondary-logs`, logGroups.secondary)],
        };

        const { role, policy: rolePolicy } = createServiceRole(
            name,
            {
                roleName: nameOf("game-days", NAME_LIMITS.iamRole),
                description:
                    "AWS FIS game days: pause this stack's DynamoDB and S3 replication toward the standby, fail or slow its primary processor; nothing else",
                service: "fis.amazonaws.com",
                accountId: args.accountId,
                policy: pulumi
                    .all([
                        args.standbyReplicaArn,
                        args.primaryBucketArn,
                        args.primaryProcessor.functionArn,
                        args.primaryProcessor.faultConfigBucketArn,
                        args.keyArns.primary,
                    ])
                    .apply(([replicaArn, sourceBucketArn, functionArn, faultConfigBucketArn, keyArn]) =>
                        JSON.stringify(
                            gameDayPolicy({
                                replicaArn,
                                strongConsistency: args.strongConsistency,
                                sourceBucketArn,
                                destinationRegion: regions.secondary,
                                processor: { functionArn, faultConfigBucketArn, keyArn, region: regions.primary },
                            }),
                        ),
                    ),
            },
            inRegion("primary"),
        );
        this.roleArn = role.arn;

        const common = (experiment: GameDayExperiment, logRole: RegionRole) => ({
            roleArn: role.arn,
            logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: pulumi.interpolate`${logGroups[logRole].arn}:*` } },
            // A target that resolves to nothing (a renamed bucket) fails the experiment instead of skipping it silently.
            experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
            tags: { Name: nameOf(`game-day-${experiment}`, 128) },
        });

        // DynamoDB: the experiment runs in the standby region and targets its replica, which pauses replication into
        // and out of the standby (FIS User Guide, Cross-Region: Connectivity scenario). Stop conditions (alarms in the
        // experiment's own region): `standby-taking-payments`, i.e. traffic reached the standby whose table is now
        // behind (clients would miss their own transactions and replays could be answered twice), and the standby's
        // `payment-failures`. Either ends the pause at once, so replication catches up before customers depend on it.
        const table = new aws.fis.ExperimentTemplate(
            `${name}-pause-table-replication`,
            {
                description: `Pause DynamoDB replication into and out of the standby (${regions.secondary}) for ${GAME_DAY_DURATION_MINUTES.table} minutes`,
                targets: [{ name: "standby-replica", resourceType: "aws:dynamodb:global-table", resourceArns: [args.standbyReplicaArn], selectionMode: "ALL" }],
                actions: [
                    {
                        name: "pause-table-replication",
                        actionId: PAUSE_TABLE_REPLICATION,
                        parameters: [{ key: "duration", value: isoMinutes(GAME_DAY_DURATION_MINUTES.table) }],
                        target: { key: "Tables", value: "standby-replica" },
                    },
                ],
                stopConditions: [
                    { source: "aws:cloudwatch:alarm", value: alarmArn("secondary", args.alarms.standbyTakingPayments) },
                    { source: "aws:cloudwatch:alarm", value: alarmArn("secondary", args.alarms.standbyPaymentFailures) },
                ],
                ...common("pause-table-replication", "secondary"),
            },
            inRegion("secondary", { dependsOn: [rolePolicy] }),
        );

        // S3: the experiment runs in the primary region and pauses the primary bucket's rule toward the standby. The
        // bucket is selected by its Name tag (FIS supports only tags for this action). Stop condition: the primary's
        // `payment-failures`, the region customers are on: failing payments there precede a failover to a standby
        // that lacks the paused receipts, so the pause ends first.
        const bucket = new aws.fis.ExperimentTemplate(
            `${name}-pause-documents-replication`,
            {
                description: `Pause S3 replication of the documents toward the standby (${regions.secondary}) for ${GAME_DAY_DURATION_MINUTES.bucket} minutes`,
                targets: [
                    {
                        name: "primary-documents",
                        resourceType: "aws:s3:bucket",
                        resourceTags: [{ key: BUCKET_TARGET_TAG, value: args.primaryBucketName }],
                        selectionMode: "ALL",
                    },
                ],
                actions: [
                    {
                        name: "pause-documents-replication",
                        actionId: PAUSE_BUCKET_REPLICATION,
                        parameters: [
                            { key: "duration", value: isoMinutes(GAME_DAY_DURATION_MINUTES.bucket) },
                            { key: "region", value: regions.secondary },
                            { key: "destinationBuckets", value: args.standbyBucketName },
                        ],
                        target: { key: "Buckets", value: "primary-documents" },
                    },
                ],
                stopConditions: [{ source: "aws:cloudwatch:alarm", value: alarmArn("primary", args.alarms.primaryPaymentFailures) }],
                ...common("pause-documents-replication", "primary"),
            },
            inRegion("primary", { dependsOn: [rolePolicy] }),
        );

        // Lambda: fail, or slow, the primary's payments (the processor; /health is another function and stays green),
        // from the primary region. Failing payments are the "region up but cannot take payments" case: the
        // payment signal (API 5xx and Lambda Errors: the handler never runs) should move DNS to the standby within the
        // drain time. Stop condition: requests still failing in the primary after that time (API Gateway's 5xx, which
        // exists while the handler does not run), i.e. customers are not being moved (game-day-stop-alarm.ts).
        // Slow payments must NOT fail over: the same stop condition ends it if the delay turns into failures.
        const stillFailing = createAlarm(
            `${name}-payments-still-failing`,
            paymentsStillFailingAlarmSpec(regions.primary, args.failoverDrainMinutes, args.primaryStage),
            nameOf("game-day-payments-still-failing", 255),
            args.primaryProcessor.topicArn,
            inRegion("primary"),
        );
        // Both Lambda faults: every invocation of the primary's processor, for a fixed time, stopping on `stillFailing`.
        const processorFault = (
            experiment: GameDayExperiment,
            description: string,
            action: string,
            actionId: string,
            minutes: number,
            extra: Record<string, string>,
        ) =>
            new aws.fis.ExperimentTemplate(
                `${name}-${experiment}`,
                {
                    description,
                    targets: [
                        {
                            name: "primary-processor",
                            resourceType: "aws:lambda:function",
                            resourceArns: [args.primaryProcessor.functionArn],
                            selectionMode: "ALL",
                        },
                    ],
                    actions: [
                        {
                            name: action,
                            actionId,
                            parameters: [
                                { key: "duration", value: isoMinutes(minutes) },
                                { key: "invocationPercentage", value: "100" },
                                ...Object.entries(extra).map(([key, value]) => ({ key, value })),
                            ],
                            target: { key: "Functions", value: "primary-processor" },
                        },
                    ],
                    stopConditions: [{ source: "aws:cloudwatch:alarm", value: stillFailing.arn }],
                    ...common(experiment, "primary"),
                },
                inRegion("primary", { dependsOn: [rolePolicy] }),
            );
        const failMinutes = GAME_DAY_DURATION_MINUTES.processorErrors;
        const slowMinutes = GAME_DAY_DURATION_MINUTES.processorLatency;
        const failPayments = processorFault(
            "fail-primary-payments",
            `Fail every payment in the primary (${regions.primary}) for ${failMinutes} minutes: DNS should move to the standby`,
            "fail-processor-invocations",
            LAMBDA_INVOCATION_ERROR,
            failMinutes,
            // Fail before the handler runs: no transaction is written for a request that fails.
            { preventExecution: "true" },
        );
        const slowPayments = processorFault(
            "slow-primary-payments",
            `Add ${INJECTED_DELAY_MS} ms to every payment in the primary (${regions.primary}) for ${slowMinutes} minutes: latency alarms, no failover`,
            "delay-processor-invocations",
            LAMBDA_INVOCATION_DELAY,
            slowMinutes,
            { startupDelayMilliseconds: String(INJECTED_DELAY_MS) },
        );

        this.experiments = {
            "fail-primary-payments": { templateId: failPayments.id, region: regions.primary },
            "slow-primary-payments": { templateId: slowPayments.id, region: regions.primary },
            "pause-table-replication": { templateId: table.id, region: regions.secondary },
            "pause-documents-replication": { templateId: bucket.id, region: regions.primary },
        };
        this.registerOutputs({ experiments: this.experiments, roleArn: this.roleArn, logGroupArns: this.logGroupArns });
    }
}
