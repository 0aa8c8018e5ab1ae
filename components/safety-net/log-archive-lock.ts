import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Tamper-evidence for the log archive (PCI DSS 10.3.2, 10.3.3): versioning, so an overwrite or delete keeps the
 * earlier version, and S3 Object Lock with a default retention, so no archived version can be deleted or overwritten
 * before it ends. Prod uses COMPLIANCE mode (nobody, root included, can shorten it) for a year, or the archive's
 * retention if shorter; other stacks GOVERNANCE for a day, so `pulumi destroy` can still empty them
 * (`s3:BypassGovernanceRetention`). Object Lock can be turned on for an existing bucket once versioning is on
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html;
 * https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucketobjectlockconfiguration/).
 */

/** PCI DSS 10.5.1: a year of audit logs. */
export const LOCK_MAX_DAYS = 365;

export function archiveLockRule(isProd: boolean, retentionDays: number): { readonly mode: "COMPLIANCE" | "GOVERNANCE"; readonly days: number } {
    return isProd ? { mode: "COMPLIANCE", days: Math.min(retentionDays, LOCK_MAX_DAYS) } : { mode: "GOVERNANCE", days: 1 };
}

/** Versioning and Object Lock on one archive bucket: `<id>-versioning`, `<id>-object-lock`. */
export function lockArchiveBucket(
    id: string,
    bucket: aws.s3.Bucket,
    a: { readonly isProd: boolean; readonly retentionDays: number },
    opts: pulumi.CustomResourceOptions,
): { readonly versioning: aws.s3.BucketVersioning; readonly objectLock: aws.s3.BucketObjectLockConfiguration } {
    const versioning = new aws.s3.BucketVersioning(`${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    const rule = archiveLockRule(a.isProd, a.retentionDays);
    const objectLock = new aws.s3.BucketObjectLockConfiguration(
        `${id}-object-lock`,
        { bucket: bucket.id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: rule.mode, days: rule.days } } },
        { ...opts, dependsOn: [versioning] },
    );
    return { versioning, objectLock };
}
