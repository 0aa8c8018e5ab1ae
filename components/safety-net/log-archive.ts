import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../shared/environment";
import { keyOnlyBucketPolicy } from "../shared/bucket-key-policy";
import { policyDocument, PolicyDocument, trustPolicyJson } from "../shared/iam";
import { alarmArchiveReplication } from "./log-archive-alarms";
import { lockArchiveBucket } from "./log-archive-lock";
import type { NamedLogGroup } from "../shared/log-groups";
import { ArchiveBucketEnd, replicateArchives, sourceLogsPrefix } from "./log-archive-replication";
import { fitName, NameContext, NAME_LIMITS, REGION_ROLES, RegionRole } from "../shared/naming";
import { LogArchiveSettings } from "./settings";

/** A log group to archive, with its logical name (stable: it keys the subscription filter). Components expose theirs as `logGroups`. */
export type ArchivedLogGroup = NamedLogGroup;

/** S3 prefix of one source region's logs in the archive buckets (Firehose expands the `!{timestamp}` parts). */
export function archivePrefix(sourceRole: RegionRole): string {
    return `${sourceLogsPrefix(sourceRole)}!{timestamp:yyyy/MM/dd}/`;
}

/** Transitions to colder storage; each applies only when it falls before the expiry. */
export function archiveLifecycle(a: LogArchiveSettings) {
    // Glacier Instant Retrieval keeps logs readable in milliseconds; Deep Archive is for the long tail.
    const transitions = [
        { days: 30, storageClass: "GLACIER_IR" },
        { days: 180, storageClass: "DEEP_ARCHIVE" },
    ].filter((t) => t.days < a.retentionDays);
    return { transitions, expiration: { days: a.retentionDays } };
}

export interface FirehoseToS3Args {
    readonly bucketArn: string;
    /** The archive bucket's key (in the bucket's region). */
    readonly keyArn: string;
    readonly bucketRegion: string;
}

/** What Firehose needs to write objects into the archive bucket, encrypted with that bucket's key. */
export function firehoseToS3Policy(a: FirehoseToS3Args): PolicyDocument {
    return policyDocument(
        {
            Sid: "ArchiveBucket",
            Effect: "Allow",
            Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            Resource: a.bucketArn,
        },
        {
            Sid: "ArchiveObjects",
            Effect: "Allow",
            Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
            Resource: `${a.bucketArn}/*`,
        },
        {
            Sid: "EncryptWithArchiveKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: a.keyArn,
            Condition: {
                StringEquals: { "kms:ViaService": `s3.${a.bucketRegion}.amazonaws.com` },
                // With bucket keys S3 uses the bucket ARN as encryption context; without, the object ARN.
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [a.bucketArn, `${a.bucketArn}/*`] },
            },
        },
    );
}

/** What CloudWatch Logs needs to put subscription records into the region's stream. */
export function logsToFirehosePolicy(streamArn: string): PolicyDocument {
    return policyDocument({ Sid: "PutSubscriptionRecords", Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: streamArn });
}

/** Firehose assumes its role with the account id as external id. */
export function firehoseTrustPolicy(accountId: string): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: "firehose.amazonaws.com" },
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: { StringEquals: { "sts:ExternalId": accountId } },
    });
}

/** CloudWatch Logs assumes the subscription role, only for this account's log groups in `region`. */
export function logsTrustPolicy(partition: string, region: string, accountId: string): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: "logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: { StringLike: { "aws:SourceArn": `arn:${partition}:logs:${region}:${accountId}:*` } },
    });
}

export interface LogArchiveArgs {
    /** `dev`, `staging` or `prod`: prod protects what this component keeps. */
    readonly environment: Environment;
    /** The environment part of every physical name (e.g. `prod`, `dev-alice`). */
    readonly envLabel: string;
    readonly archive: LogArchiveSettings;
    readonly nameSuffix: pulumi.Input<string>;
    /** Each region's key (ARN): a region's archive bucket and stream use its own key. */
    readonly keyArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    readonly regions: Readonly<Record<RegionRole, string>>;
    /** The log groups of each region to archive (RegionalStack.logGroups plus others). */
    readonly logGroups: Readonly<Record<RegionRole, readonly ArchivedLogGroup[]>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
    /** Each region's alarm topic (ARN): the replication alarms of a region's archive bucket notify it. */
    readonly alarmTopicArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    readonly accountId: pulumi.Input<string>;
    readonly partition: pulumi.Input<string>;
}

/**
 * The central log archive: every listed log group of a region is subscribed to a Firehose stream in that region,
 * which writes to the archive bucket in the SAME region (Firehose delivers to S3 only in its own region), encrypted
 * with that region's key; S3 replication copies each bucket's logs to the other region's bucket
 * (log-archive-replication.ts), so losing a region does not lose its logs; each direction's failures and latency
 * page the source region's topic (log-archive-alarms.ts). Buckets move logs to colder storage and
 * expire them after the configured retention.
 */
export class LogArchive extends pulumi.ComponentResource {
    public readonly bucketNames: Record<RegionRole, pulumi.Output<string>>;
    public readonly streamArns: Record<RegionRole, pulumi.Output<string>>;

    constructor(name: string, args: LogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:index:LogArchive (issue 22 moved it): the alias keeps existing stacks' resources.
        super("payments-dr:safety-net:LogArchive", name, {}, { ...opts, aliases: [{ type: "payments-dr:index:LogArchive" }, ...(opts?.aliases ?? [])] });
        const { archive, regions, providers } = args;
        const isProd = args.environment === "prod";
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: args.envLabel, suffix }));
        this.bucketNames = {} as Record<RegionRole, pulumi.Output<string>>;
        this.streamArns = {} as Record<RegionRole, pulumi.Output<string>>;

        // --- One archive bucket per region, holding that region's logs and a replica of the other region's.
        const ends = {} as Record<RegionRole, ArchiveBucketEnd>;
        for (const role of REGION_ROLES) {
            const inRegion = { parent: this, provider: providers[role] };
            const bucket = new aws.s3.Bucket(
                `${name}-${role}-bucket`,
                { bucket: nameOf((ctx) => fitName(`log-archive-${role}`, ctx, NAME_LIMITS.s3Bucket)), forceDestroy: !isProd },
                { ...inRegion, protect: isProd, retainOnDelete: isProd },
            );
            const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
                `${name}-${role}-public-access`,
                { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                inRegion,
            );
            new aws.s3.BucketOwnershipControls(`${name}-${role}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, inRegion);
            new aws.s3.BucketServerSideEncryptionConfiguration(
                `${name}-${role}-encryption`,
                {
                    bucket: bucket.id,
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArns[role] }, bucketKeyEnabled: true }],
                },
                inRegion,
            );
            new aws.s3.BucketPolicy(
                `${name}-${role}-tls-only`,
                {
                    bucket: bucket.id,
                    policy: pulumi.all([bucket.arn, args.keyArns[role]]).apply(([arn, keyArn]) => JSON.stringify(keyOnlyBucketPolicy(arn, keyArn))),
                },
                { ...inRegion, dependsOn: [publicAccessBlock] },
            );
            // Versioning and Object Lock: no archived log can be deleted or rewritten before its retention ends.
            const lock = lockArchiveBucket(`${name}-${role}`, bucket, { isProd, retentionDays: archive.retentionDays }, inRegion);
            const lifecycle = archiveLifecycle(archive);
            new aws.s3.BucketLifecycleConfiguration(
                `${name}-${role}-lifecycle`,
                {
                    bucket: bucket.id,
                    rules: [
                        {
                            id: "archive-then-expire",
                            status: "Enabled",
                            filter: { prefix: "" },
                            transitions: lifecycle.transitions,
                            expiration: lifecycle.expiration,
                            // Versioned: the expired (now noncurrent) version goes a day later, once its lock allows.
                            noncurrentVersionExpiration: { noncurrentDays: 1 },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                        },
                    ],
                },
                inRegion,
            );
            ends[role] = { region: regions[role], bucket, keyArn: args.keyArns[role], ...lock };
            this.bucketNames[role] = bucket.bucket;
        }
        replicateArchives(
            name,
            { roleName: nameOf((ctx) => fitName("log-archive-replication", ctx, NAME_LIMITS.iamRole)), ends, providers, accountId: args.accountId },
            this,
        );
        alarmArchiveReplication(name, { bucketNames: this.bucketNames, alarmTopicArns: args.alarmTopicArns, providers, nameOf }, this);

        // --- Per source region: Firehose → the archive bucket in the same region; subscription filters on every log group.
        for (const source of REGION_ROLES) {
            const bucket = ends[source].bucket;
            const inSource = { parent: this, provider: providers[source] };
            const firehoseRole = new aws.iam.Role(
                `${name}-${source}-firehose-role`,
                {
                    name: nameOf((ctx) => fitName(`log-archive-firehose-${source}`, ctx, NAME_LIMITS.iamRole)),
                    description: `Firehose writes the ${source} region's logs to the archive bucket in ${regions[source]}`,
                    assumeRolePolicy: pulumi.output(args.accountId).apply((id) => trustPolicyJson(firehoseTrustPolicy(id))),
                },
                inSource,
            );
            const firehosePolicy = new aws.iam.RolePolicy(
                `${name}-${source}-firehose-policy`,
                {
                    role: firehoseRole.id,
                    policy: pulumi
                        .all([bucket.arn, args.keyArns[source]])
                        .apply(([bucketArn, keyArn]) => JSON.stringify(firehoseToS3Policy({ bucketArn, keyArn, bucketRegion: regions[source] }))),
                },
                inSource,
            );
            const stream = new aws.kinesis.FirehoseDeliveryStream(
                `${name}-${source}-stream`,
                {
                    name: nameOf((ctx) => fitName(`log-archive-${source}`, ctx, 64)),
                    destination: "extended_s3",
                    // The buffer is a data store too: the region's key, as for the bucket.
                    serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: args.keyArns[source] },
                    extendedS3Configuration: {
                        roleArn: firehoseRole.arn,
                        bucketArn: bucket.arn,
                        prefix: archivePrefix(source),
                        errorOutputPrefix: `errors/${source}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
                        // Records from CloudWatch Logs arrive gzip-compressed already.
                        compressionFormat: "UNCOMPRESSED",
                        bufferingSize: 64,
                        bufferingInterval: 300,
                        kmsKeyArn: args.keyArns[source],
                    },
                },
                { ...inSource, dependsOn: [firehosePolicy] },
            );
            this.streamArns[source] = stream.arn;

            const logsRole = new aws.iam.Role(
                `${name}-${source}-subscription-role`,
                {
                    name: nameOf((ctx) => fitName(`log-archive-subscription-${source}`, ctx, NAME_LIMITS.iamRole)),
                    description: `CloudWatch Logs feeds the ${source} region's log groups into the archive stream`,
                    assumeRolePolicy: pulumi.all([args.partition, args.accountId]).apply(([p, id]) => trustPolicyJson(logsTrustPolicy(p, regions[source], id))),
                },
                inSource,
            );
            const logsPolicy = new aws.iam.RolePolicy(
                `${name}-${source}-subscription-policy`,
                { role: logsRole.id, policy: stream.arn.apply((arn) => JSON.stringify(logsToFirehosePolicy(arn))) },
                inSource,
            );
            for (const { logicalName, logGroup } of args.logGroups[source]) {
                // Keyed by the log group's logical name, never by position.
                new aws.cloudwatch.LogSubscriptionFilter(
                    `${name}-${logicalName}`,
                    { name: "log-archive", logGroup: logGroup.name, filterPattern: "", destinationArn: stream.arn, roleArn: logsRole.arn },
                    { ...inSource, dependsOn: [logsPolicy] },
                );
            }
        }

        this.registerOutputs({ bucketNames: this.bucketNames, streamArns: this.streamArns });
    }
}
