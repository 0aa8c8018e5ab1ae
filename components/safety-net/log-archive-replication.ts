import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, policyDocument, PolicyStatement, serviceTrustPolicy, trustPolicyJson } from "../shared/iam";
import { ReplicationDirection, replicationPolicy } from "../global/replication-policy";
import { otherRole, REGION_ROLES, RegionRole } from "../shared/naming";

/**
 * Cross-region copy of the log archive. Firehose can deliver to S3 only in its own region (cross-region delivery is
 * documented for HTTP endpoint destinations only: https://docs.aws.amazon.com/firehose/latest/dev/across.html), so
 * each region's stream writes to the archive bucket in its own region and S3 replication copies the objects to the
 * other region's archive bucket: losing a region does not lose its logs.
 */

/** One region's archive bucket, as replication needs it. */
export interface ArchiveBucketEnd {
    readonly region: string;
    readonly bucket: aws.s3.Bucket;
    readonly keyArn: pulumi.Input<string>;
    /** Replication needs versioning and, with an Object Lock source, Object Lock on the destination. */
    readonly versioning: aws.s3.BucketVersioning;
    readonly objectLock: aws.s3.BucketObjectLockConfiguration;
}

export interface ArchiveReplicationArgs {
    readonly roleName: pulumi.Input<string>;
    readonly ends: Readonly<Record<RegionRole, ArchiveBucketEnd>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
    readonly accountId: pulumi.Input<string>;
}

/** Where a region's stream writes its logs in that region's archive bucket (and the replica lands in the other's). */
export function sourceLogsPrefix(source: RegionRole): string {
    return `logs/${source}/`;
}

/** Replication rule id of the archive bucket of `source` (its own region's logs go to the other region). */
export function archiveReplicationRuleId(source: RegionRole): string {
    return `archive-to-${otherRole(source)}`;
}

/**
 * The documents replication policy (iam.ts), minus `s3:ReplicateDelete` (the archive replicates no deletes), plus
 * reading each source version's Object Lock retention and legal hold, which S3 needs to replicate a locked object
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-replication).
 */
export function archiveReplicationPolicy(directions: readonly ReplicationDirection[]): PolicyDocument {
    const base = replicationPolicy(directions).Statement.map((st): PolicyStatement =>
        st.Sid?.startsWith("ReplicateToDestination") ? { ...st, Action: ["s3:ReplicateObject", "s3:ReplicateTags"] } : st,
    );
    const lockReads: PolicyStatement = {
        Sid: "SourceObjectLock",
        Effect: "Allow",
        Action: ["s3:GetObjectRetention", "s3:GetObjectLegalHold"],
        Resource: directions.map((d) => `${d.sourceBucketArn}/*`),
    };
    return policyDocument(...base, lockReads);
}

/** One role and, per region, a replication configuration on that region's archive bucket towards the other. */
export function replicateArchives(name: string, a: ArchiveReplicationArgs, parent: pulumi.Resource): void {
    const inRegion = (role: RegionRole) => ({ parent, provider: a.providers[role] });
    const { ends } = a;
    const role = new aws.iam.Role(
        `${name}-replication-role`,
        {
            name: a.roleName,
            description: "S3 replication of each region's log archive bucket to the other region's",
            assumeRolePolicy: pulumi.output(a.accountId).apply((id) => trustPolicyJson(serviceTrustPolicy("s3.amazonaws.com", id))),
        },
        inRegion("primary"),
    );
    const policy = new aws.iam.RolePolicy(
        `${name}-replication-policy`,
        {
            role: role.id,
            policy: pulumi
                .all([ends.primary.bucket.arn, ends.primary.keyArn, ends.secondary.bucket.arn, ends.secondary.keyArn])
                .apply(([primaryBucket, primaryKey, secondaryBucket, secondaryKey]) => {
                    const resolved = { primary: { bucket: primaryBucket, key: primaryKey }, secondary: { bucket: secondaryBucket, key: secondaryKey } };
                    const directions = REGION_ROLES.map((from): ReplicationDirection => ({
                        sourceRegion: ends[from].region,
                        sourceBucketArn: resolved[from].bucket,
                        sourceKeyArn: resolved[from].key,
                        destinationRegion: ends[otherRole(from)].region,
                        destinationBucketArn: resolved[otherRole(from)].bucket,
                        destinationKeyArn: resolved[otherRole(from)].key,
                    }));
                    return JSON.stringify(archiveReplicationPolicy(directions));
                }),
        },
        inRegion("primary"),
    );
    for (const from of REGION_ROLES) {
        const to = otherRole(from);
        new aws.s3.BucketReplicationConfig(
            `${name}-replication-${from}-to-${to}`,
            {
                bucket: ends[from].bucket.id,
                role: role.arn,
                rules: [
                    {
                        id: archiveReplicationRuleId(from),
                        status: "Enabled",
                        priority: 1,
                        // This region's own logs (S3 would not replicate the other region's replicas back anyway).
                        filter: { prefix: sourceLogsPrefix(from) },
                        // Deletes stay local: the archive's copies expire by their own lifecycle.
                        deleteMarkerReplication: { status: "Disabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: ends[to].bucket.arn,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: ends[to].keyArn },
                            // The alarms' metrics (log-archive-alarms.ts). Replication metrics need no S3 RTC
                            // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html), and
                            // S3 refuses an eventThreshold without RTC ("Metrics cannot contain an event threshold when
                            // ReplicationTime is not specified or Disabled", pulumi/pulumi-aws#5806): status only.
                            metrics: { status: "Enabled" },
                        },
                    },
                ],
            },
            { ...inRegion(from), dependsOn: [ends.primary.versioning, ends.secondary.versioning, ends[to].objectLock, policy] },
        );
    }
}
