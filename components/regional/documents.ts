import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyOnlyBucketPolicy } from "../shared/bucket-key-policy";
import { NameContext, names, RegionRole } from "../shared/naming";

/** The documents bucket's tag holding its own name: what FIS game days select it by (the S3 pause targets buckets by tags only). */
export const BUCKET_TARGET_TAG = "Name";

export interface DocumentsBucketArgs {
    readonly role: RegionRole;
    /** The region's key: SSE-KMS by default, and the only key uploads may ask for. */
    readonly keyArn: pulumi.Output<string>;
    /** Protect and keep the bucket, no `forceDestroy`, a year of noncurrent versions (30 days otherwise). */
    readonly protectData: boolean;
    nameOf(f: (ctx: NameContext) => string): pulumi.Output<string>;
}

export interface DocumentsBucket {
    readonly bucket: aws.s3.Bucket;
    /** Replication must wait for it. */
    readonly versioning: aws.s3.BucketVersioning;
}

/** The region's documents (receipts) bucket: versioned, SSE-KMS with the region's key, no public access, TLS only. */
export function createDocumentsBucket(name: string, a: DocumentsBucketArgs, parentResource: pulumi.Resource): DocumentsBucket {
    const { role, nameOf } = a;
    const isProd = a.protectData;
    const parent = { parent: parentResource };
    // Data stores outlive a mistaken `pulumi destroy` in prod.
    const dataOpts: pulumi.CustomResourceOptions = { parent: parentResource, protect: isProd, retainOnDelete: isProd };
    // Tagged with its own name: what FIS game days select it by (the S3 pause targets buckets by tags only).
    const bucketName = nameOf((ctx) => names.documentsBucket(ctx, role));
    const bucket = new aws.s3.Bucket(`${name}-documents`, { bucket: bucketName, forceDestroy: !isProd, tags: { [BUCKET_TARGET_TAG]: bucketName } }, dataOpts);
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
        `${name}-documents-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        parent,
    );
    new aws.s3.BucketOwnershipControls(`${name}-documents-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
    const versioning = new aws.s3.BucketVersioning(
        `${name}-documents-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-documents-encryption`,
        {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: a.keyArn }, bucketKeyEnabled: true }],
        },
        parent,
    );
    new aws.s3.BucketPolicy(
        `${name}-documents-tls-only`,
        // TLS only, and no upload that asks for another key or SSE-S3 (components/shared/bucket-key-policy.ts).
        { bucket: bucket.id, policy: pulumi.all([bucket.arn, a.keyArn]).apply(([arn, keyArn]) => JSON.stringify(keyOnlyBucketPolicy(arn, keyArn))) },
        // S3 refuses policy changes while a new public-access block is still being applied.
        { parent: parentResource, dependsOn: [publicAccessBlock] },
    );
    // Required by the original requirements; note it speeds up client uploads, not replication.
    new aws.s3.BucketAccelerateConfiguration(`${name}-documents-acceleration`, { bucket: bucket.id, status: "Enabled" }, parent);
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-documents-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-noncurrent-versions",
                    status: "Enabled",
                    filter: { prefix: "" },
                    noncurrentVersionExpiration: { noncurrentDays: isProd ? 365 : 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        { parent: parentResource, dependsOn: [versioning] },
    );
    return { bucket, versioning };
}
