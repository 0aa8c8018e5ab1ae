import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicy } from "./resource-policies";

export interface PrivateBucketArgs {
    readonly bucketName: pulumi.Input<string>;
    /** The region's customer-managed key: SSE-KMS by default, with a bucket key. */
    readonly keyArn: pulumi.Input<string>;
    /** Empty the bucket on `pulumi destroy` (for buckets that hold nothing worth keeping). */
    readonly forceDestroy: boolean;
    /** Objects expire this many days after creation (lifecycle rule `ruleId`). */
    readonly expiration: { readonly ruleId: string; readonly days: number };
}

/**
 * A small working bucket for tooling (canary artifacts, FIS fault configurations): private (public access blocked,
 * bucket-owner-enforced), on the region's key, TLS only, and expiring what it holds. Children are named `<id>`,
 * `<id>-public-access`, `-ownership`, `-encryption`, `-lifecycle`, `-policy`.
 */
export function createPrivateBucket(
    id: string,
    a: PrivateBucketArgs,
    opts: pulumi.CustomResourceOptions,
): { bucket: aws.s3.Bucket; encryption: aws.s3.BucketServerSideEncryptionConfiguration } {
    const bucket = new aws.s3.Bucket(id, { bucket: a.bucketName, forceDestroy: a.forceDestroy }, opts);
    new aws.s3.BucketPublicAccessBlock(
        `${id}-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(`${id}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${id}-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: a.keyArn }, bucketKeyEnabled: true }] },
        opts,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${id}-lifecycle`,
        { bucket: bucket.id, rules: [{ id: a.expiration.ruleId, status: "Enabled", filter: {}, expiration: { days: a.expiration.days } }] },
        opts,
    );
    new aws.s3.BucketPolicy(`${id}-policy`, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) }, opts);
    return { bucket, encryption };
}
