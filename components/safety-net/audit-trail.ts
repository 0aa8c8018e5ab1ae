import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AUDIT_TRAIL_NAME_PREFIX } from "../shared/key-policy";
import { Environment } from "../shared/environment";
import { policyDocument, PolicyDocument } from "../shared/iam";
import { tlsOnlyBucketPolicy } from "../shared/resource-policies";
import { fitName, NameContext, NAME_LIMITS, REGION_ROLES, RegionRole } from "../shared/naming";

/** CloudTrail's limit on a trail name. https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html */
export const TRAIL_NAME_LIMIT = 128;

/** `payments-dr-audit-<role>-<env>-<suffix>`: one trail per region. */
export const trailName = (ctx: NameContext, role: RegionRole): string => fitName(`${AUDIT_TRAIL_NAME_PREFIX}-${role}`, ctx, TRAIL_NAME_LIMIT);

/** A trail's ARN from its name: known before the trail exists, so the bucket policy can name it (no cycle). */
export const trailArn = (partition: string, region: string, accountId: string, name: string): string =>
    `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${name}`;

/** What one region's trail records: the table's ARN in that region and the data buckets' ARNs there. */
export interface AuditedResources {
    readonly tableArn: string;
    readonly bucketArns: readonly string[];
}

/** An advanced event selector as the trail takes it: its field selectors all hold (AND); selectors add up (OR). */
export interface AdvancedEventSelector {
    name: string;
    fieldSelectors: { field: string; equals?: string[]; startsWiths?: string[] }[];
}

/**
 * The trail's advanced event selectors: every data event (reads and writes: no `readOnly` field) on exactly these
 * resources, nothing else (no management events: the account's own trail has those). S3 objects are matched with
 * `StartsWith` `<bucket ARN>/`: `Equals` would match only an object named exactly so (hashicorp/terraform-provider-aws
 * #32619). https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html
 */
export function auditEventSelectors(r: AuditedResources): AdvancedEventSelector[] {
    return [
        {
            name: "transactions table: every read and write",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
                { field: "resources.ARN", equals: [r.tableArn] },
            ],
        },
        {
            name: "documents and log archive objects: every read and write",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                { field: "resources.ARN", startsWiths: r.bucketArns.map((arn) => `${arn}/`) },
            ],
        },
    ];
}

/**
 * The trail bucket's policy: TLS only, and CloudTrail may check the ACL and write log files under `AWSLogs/<account>/`
 * only for this trail (`aws:SourceArn`) of this account (`aws:SourceAccount`).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function trailBucketPolicy(bucketArn: string, accountId: string, sourceTrailArn: string): PolicyDocument {
    const fromThisTrail = { "aws:SourceArn": sourceTrailArn, "aws:SourceAccount": accountId };
    return policyDocument(
        ...tlsOnlyBucketPolicy(bucketArn).Statement,
        {
            Sid: "CloudTrailChecksAcl",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucketArn,
            Condition: { StringEquals: fromThisTrail },
        },
        {
            Sid: "CloudTrailWritesLogFiles",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
            Condition: { StringEquals: { ...fromThisTrail, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
    );
}

export interface AuditTrailArgs {
    /** `dev`, `staging` or `prod`: prod protects the trail's log bucket as other prod stores are. */
    readonly environment: Environment;
    readonly nameContext: pulumi.Input<NameContext>;
    readonly regions: Readonly<Record<RegionRole, string>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
    readonly accountId: pulumi.Input<string>;
    readonly partition: pulumi.Input<string>;
    /** Each region's key: its trail's log files and bucket are encrypted with it (its policy admits CloudTrail). */
    readonly keyArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    /** The transactions table's ARN in each region (the global table and its replica). */
    readonly tableArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    /** Each region's data buckets (documents, log archive) by ARN. */
    readonly bucketArns: Readonly<Record<RegionRole, pulumi.Input<readonly pulumi.Input<string>[]>>>;
}

/**
 * CloudTrail data events on the stack's own data: who read or wrote which item or object, whoever they are.
 *
 * One single-Region trail per region, not one multi-Region trail: a multi-Region trail delivers every region's events
 * to one bucket in one region (and its key must be there), so losing that region would lose the audit trail of the
 * region that takes over; per region, each trail, bucket and key share the region's fate like everything else here,
 * and each trail selects only its own region's ARNs (so no event is delivered, and billed, twice).
 */
export class AuditTrail extends pulumi.ComponentResource {
    public readonly trailArns: Record<RegionRole, pulumi.Output<string>>;
    public readonly bucketNames: Record<RegionRole, pulumi.Output<string>>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:index:AuditTrail (issue 22 gave every token its folder): the alias keeps existing stacks' resources.
        super("payments-dr:safety-net:AuditTrail", name, {}, { ...opts, aliases: [{ type: "payments-dr:index:AuditTrail" }, ...(opts?.aliases ?? [])] });
        const isProd = args.environment === "prod";
        this.trailArns = {} as Record<RegionRole, pulumi.Output<string>>;
        this.bucketNames = {} as Record<RegionRole, pulumi.Output<string>>;

        for (const role of REGION_ROLES) {
            const region = args.regions[role];
            const inRegion = { parent: this, provider: args.providers[role] };
            const ctx = pulumi.output(args.nameContext);
            const nameOfTrail = ctx.apply((c) => trailName(c, role));
            const arn = pulumi.all([args.partition, args.accountId, nameOfTrail]).apply(([p, id, n]) => trailArn(p, region, id, n));

            const bucket = new aws.s3.Bucket(
                `${name}-${role}-bucket`,
                { bucket: ctx.apply((c) => fitName(`audit-trail-${role}`, c, NAME_LIMITS.s3Bucket)), forceDestroy: !isProd },
                { ...inRegion, protect: isProd, retainOnDelete: isProd },
            );
            const publicAccess = new aws.s3.BucketPublicAccessBlock(
                `${name}-${role}-public-access`,
                { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                inRegion,
            );
            new aws.s3.BucketOwnershipControls(`${name}-${role}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, inRegion);
            new aws.s3.BucketVersioning(`${name}-${role}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, inRegion);
            // No bucket key: CloudTrail then needs kms:Decrypt to create a trail with SSE-KMS on the bucket
            // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
            new aws.s3.BucketServerSideEncryptionConfiguration(
                `${name}-${role}-encryption`,
                {
                    bucket: bucket.id,
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArns[role] }, bucketKeyEnabled: false }],
                },
                inRegion,
            );
            const policy = new aws.s3.BucketPolicy(
                `${name}-${role}-policy`,
                {
                    bucket: bucket.id,
                    policy: pulumi.all([bucket.arn, args.accountId, arn]).apply(([b, id, t]) => JSON.stringify(trailBucketPolicy(b, id, t))),
                },
                { ...inRegion, dependsOn: [publicAccess] },
            );
            const selectors = pulumi
                .all([args.tableArns[role], args.bucketArns[role]])
                .apply(([tableArn, bucketArns]) => auditEventSelectors({ tableArn, bucketArns }));
            const trail = new aws.cloudtrail.Trail(
                `${name}-${role}-trail`,
                {
                    name: nameOfTrail,
                    s3BucketName: bucket.bucket,
                    kmsKeyId: args.keyArns[role],
                    enableLogFileValidation: true,
                    isMultiRegionTrail: false,
                    includeGlobalServiceEvents: false,
                    advancedEventSelectors: selectors,
                },
                // CloudTrail checks the bucket policy when the trail is created (InsufficientS3BucketPolicyException).
                { ...inRegion, dependsOn: [policy] },
            );
            this.trailArns[role] = trail.arn;
            this.bucketNames[role] = bucket.bucket;
        }
        this.registerOutputs({ trailArns: this.trailArns, bucketNames: this.bucketNames });
    }
}
