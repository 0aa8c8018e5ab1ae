import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, createAlarm } from "../shared/alerting";
import { BackupRegionCheck } from "./backup-region-settings";
import { Environment } from "../shared/environment";
import { PolicyDocument, policyDocument, trustPolicyJson } from "../shared/iam";
import { fitName, NameContext, NAME_LIMITS, names, otherRole, REGION_ROLES, RegionRole } from "../shared/naming";
import type { RegionalStack } from "../regional/regional-stack";
import { BackupSettings } from "./settings";

/** Backup vault names: 2-50 of letters, digits, hyphens and underscores. */
const VAULT_NAME_LIMIT = 50;

/**
 * AWS's managed policies for AWS Backup: create and restore DynamoDB backups (the general pair) and S3 backups
 * (the S3 pair). https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html
 */
export const BACKUP_MANAGED_POLICIES = [
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
] as const;

/** Hourly at minute 0, daily at 05:00 UTC (AWS Backup schedules are cron in UTC). */
export const BACKUP_SCHEDULES = { hourly: "cron(0 * ? * * *)", daily: "cron(0 5 ? * * *)" } as const;

/** A plan rule: starts within an hour, must finish within `completionWindow`; optionally copied to another vault. */
function backupRule(kind: keyof typeof BACKUP_SCHEDULES, vaultName: pulumi.Input<string>, retentionDays: number, copyTo?: pulumi.Input<string>) {
    const lifecycle = { deleteAfter: retentionDays };
    return {
        ruleName: kind,
        targetVaultName: vaultName,
        schedule: BACKUP_SCHEDULES[kind],
        startWindow: 60,
        completionWindow: kind === "hourly" ? 120 : 360,
        lifecycle,
        copyActions: copyTo === undefined ? undefined : [{ destinationVaultArn: copyTo, lifecycle }],
    };
}

/** AWS Backup assumes the role; its service-linked calls carry no source account, so the trust is plain. */
export function backupTrustPolicy(): PolicyDocument {
    return policyDocument({ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole", Resource: "*" });
}

/** The ARN of the global table's copy in `region`, from its ARN in the home region (same name everywhere). */
export function tableArnIn(homeArn: string, region: string): string {
    const parts = homeArn.split(":");
    parts[3] = region;
    return parts.join(":");
}

export interface BackupProtectionArgs {
    /** `dev`, `staging` or `prod`: prod protects what this component keeps. */
    readonly environment: Environment;
    /** The environment part of every physical name (e.g. `prod`, `dev-alice`). */
    readonly envLabel: string;
    readonly backup: BackupSettings;
    readonly nameSuffix: pulumi.Input<string>;
    readonly stacks: Readonly<Record<RegionRole, RegionalStack>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
    /** The global table's ARN in its home (primary) region. */
    readonly tableArn: pulumi.Input<string>;
    readonly partition: pulumi.Input<string>;
}

/**
 * AWS Backup for the system of record: in each region a vault on that region's key, a plan with an hourly and a
 * daily rule that backs up that region's copy of the table and its documents bucket, the daily points copied to
 * the other region's vault, a vault lock in prod, and alarms on failed backup and copy jobs. Replication copies a
 * corruption or a delete to the other region within seconds; these points in time do not change.
 */
export class BackupProtection extends pulumi.ComponentResource {
    public readonly vaultArns: Record<RegionRole, pulumi.Output<string>>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: BackupProtectionArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:index:BackupProtection (issue 22 moved it): the alias keeps existing stacks' resources.
        super(
            "payments-dr:safety-net:BackupProtection",
            name,
            {},
            { ...opts, aliases: [{ type: "payments-dr:index:BackupProtection" }, ...(opts?.aliases ?? [])] },
        );
        const { backup, stacks, providers } = args;
        const isProd = args.environment === "prod";
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: args.envLabel, suffix }));

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: nameOf((ctx) => fitName("aws-backup", ctx, NAME_LIMITS.iamRole)),
                description: "AWS Backup: back up and restore the transactions table and documents buckets",
                assumeRolePolicy: trustPolicyJson(backupTrustPolicy()),
            },
            { parent: this, provider: providers.primary },
        );
        const attachments = BACKUP_MANAGED_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-role-${policy.split("/").pop()}`,
                    { role: role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${policy}` },
                    { parent: this, provider: providers.primary },
                ),
        );
        this.roleArn = role.arn;

        // --- A vault per region, on that region's key; locked in prod.
        const vaults = {} as Record<RegionRole, aws.backup.Vault>;
        for (const r of REGION_ROLES) {
            vaults[r] = new aws.backup.Vault(
                `${name}-${r}-vault`,
                {
                    name: nameOf((ctx) => fitName(`payments-dr-${r}`, ctx, VAULT_NAME_LIMIT)),
                    kmsKeyArn: stacks[r].keyArn,
                    // Dev vaults may be emptied by `pulumi destroy`; prod recovery points outlive the stack.
                    forceDestroy: !isProd,
                },
                { parent: this, provider: providers[r], protect: isProd, retainOnDelete: isProd },
            );
            if (backup.vaultLock) {
                // Governance mode (no changeableForDays): nobody without the bypass permission deletes a recovery
                // point before the shortest retention, yet the lock can still be changed or removed.
                new aws.backup.VaultLockConfiguration(
                    `${name}-${r}-vault-lock`,
                    { backupVaultName: vaults[r].name, minRetentionDays: Math.min(backup.hourlyRetentionDays, backup.dailyRetentionDays) },
                    { parent: this, provider: providers[r] },
                );
            }
        }
        this.vaultArns = { primary: vaults.primary.arn, secondary: vaults.secondary.arn };

        // --- A plan per region for that region's resources; daily points copied to the other region.
        for (const r of REGION_ROLES) {
            const inRegion = { parent: this, provider: providers[r] };
            // The daily copies need AWS Backup's advanced DynamoDB features in this region (see BackupRegionCheck).
            const regionCheck = new BackupRegionCheck(`${name}-${r}-region-settings`, { region: stacks[r].region }, { parent: this });
            const plan = new aws.backup.Plan(
                `${name}-${r}-plan`,
                {
                    name: nameOf((ctx) => fitName(`payments-dr-${r}`, ctx, 50)),
                    rules: [
                        backupRule("hourly", vaults[r].name, backup.hourlyRetentionDays),
                        // Hourly copies would move the whole table across regions 24 times a day; one a day
                        // covers the loss of a region together with a corruption.
                        backupRule("daily", vaults[r].name, backup.dailyRetentionDays, vaults[otherRole(r)].arn),
                    ],
                },
                inRegion,
            );
            new aws.backup.Selection(
                `${name}-${r}-selection`,
                {
                    name: nameOf((ctx) => fitName(`payments-dr-${r}`, ctx, 50)),
                    planId: plan.id,
                    iamRoleArn: role.arn,
                    // Selected by ARN: no tag conditions, and no service opt-in needed for explicitly assigned resources.
                    resources: [
                        pulumi.output(args.tableArn).apply((arn) => tableArnIn(arn, stacks[r].region)),
                        ...(backup.documents ? [stacks[r].bucketArn] : []),
                    ],
                },
                { ...inRegion, dependsOn: [...attachments, regionCheck] },
            );

            // --- Alarms on failed jobs (metrics per vault: https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html).
            const specs: AlarmSpec[] = [
                { what: "backup-jobs-failed", metricName: "NumberOfBackupJobsFailed", description: `Backup jobs failing in the ${r} vault` },
                { what: "backup-copy-jobs-failed", metricName: "NumberOfCopyJobsFailed", description: `Cross-region copy jobs failing (${r} vault)` },
            ].map((a) => ({
                ...a,
                description: `${a.description} (${stacks[r].region})`,
                namespace: "AWS/Backup",
                dimensions: { BackupVaultName: vaults[r].name },
                statistic: "Sum",
                threshold: 1,
                periodSeconds: 300,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
            }));
            for (const spec of specs) {
                createAlarm(
                    `${name}-${r}-${spec.what}`,
                    spec,
                    nameOf((ctx) => names.alarm(ctx, spec.what, r)),
                    stacks[r].topicArn,
                    inRegion,
                );
            }
        }

        this.registerOutputs({ vaultArns: this.vaultArns, roleArn: this.roleArn });
    }
}
