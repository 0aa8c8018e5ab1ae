import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { GlobalLayerScope } from "./global-layer-args";
import { serviceTrustPolicy, trustPolicyJson } from "../shared/iam";
import { ReplicationDirection, replicationPolicy } from "./replication-policy";
import { names, RegionRole } from "../shared/naming";

/** Ids of the S3 replication rules: alarms use them as the `RuleId` dimension, so they are fixed here. */
export const REPLICATION_RULE_IDS: Readonly<Record<RegionRole, string>> = {
    primary: "documents-primary-to-secondary",
    secondary: "documents-secondary-to-primary",
};

/** The directions documents replicate in: primary → secondary, and back when `reverse` is on. */
export function replicationDirections(reverse: boolean): Array<[RegionRole, RegionRole]> {
    return reverse
        ? [
              ["primary", "secondary"],
              ["secondary", "primary"],
          ]
        : [["primary", "secondary"]];
}

/**
 * S3 replication between the documents buckets, primary → secondary (and back, when configured): one role with
 * least privilege on the two buckets and keys, and a replication configuration per direction. Returns the role.
 */
export function createDocumentReplication(scope: GlobalLayerScope): aws.iam.Role {
    const { name, a, inRegion, nameOf } = scope;
    const { stacks } = a;
    const directions = replicationDirections(a.reverseReplication);
    const accountId = stacks.primary.accountId;
    const replicationRole = new aws.iam.Role(
        `${name}-replication-role`,
        {
            name: nameOf(names.replicationRole),
            description: "S3 replication of the documents buckets between the DR regions",
            assumeRolePolicy: accountId.apply((id) => trustPolicyJson(serviceTrustPolicy("s3.amazonaws.com", id))),
        },
        inRegion("primary"),
    );
    const replicationRolePolicy = new aws.iam.RolePolicy(
        `${name}-replication-policy`,
        {
            role: replicationRole.id,
            policy: pulumi
                .all([stacks.primary.bucketArn, stacks.primary.keyArn, stacks.secondary.bucketArn, stacks.secondary.keyArn])
                .apply(([primaryBucket, primaryKey, secondaryBucket, secondaryKey]) => {
                    const ends = {
                        primary: { region: stacks.primary.region, bucket: primaryBucket, key: primaryKey },
                        secondary: { region: stacks.secondary.region, bucket: secondaryBucket, key: secondaryKey },
                    };
                    const resolved: ReplicationDirection[] = directions.map(([from, to]) => ({
                        sourceRegion: ends[from].region,
                        sourceBucketArn: ends[from].bucket,
                        sourceKeyArn: ends[from].key,
                        destinationRegion: ends[to].region,
                        destinationBucketArn: ends[to].bucket,
                        destinationKeyArn: ends[to].key,
                    }));
                    return JSON.stringify(replicationPolicy(resolved));
                }),
        },
        inRegion("primary"),
    );
    for (const [from, to] of directions) {
        const rtc = a.replicationTimeControl;
        new aws.s3.BucketReplicationConfig(
            `${name}-replication-${from}-to-${to}`,
            {
                bucket: stacks[from].bucketName,
                role: replicationRole.arn,
                rules: [
                    {
                        id: REPLICATION_RULE_IDS[from],
                        status: "Enabled",
                        // A filter selects the V2 schema, which RTC requires; V2 needs priority and delete-marker settings.
                        priority: 1,
                        filter: { prefix: "" },
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: {
                            sseKmsEncryptedObjects: { status: "Enabled" },
                            replicaModifications: { status: "Enabled" },
                        },
                        destination: {
                            bucket: stacks[to].bucketArn,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: stacks[to].keyArn },
                            // Metrics always (the replication alarms need them); RTC only where the stack pays for it. S3
                            // refuses an eventThreshold without RTC ("Metrics cannot contain an event threshold when
                            // ReplicationTime is not specified or Disabled", pulumi/pulumi-aws#5806); metrics alone need none
                            // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html).
                            metrics: rtc ? { status: "Enabled", eventThreshold: { minutes: 15 } } : { status: "Enabled" },
                            replicationTime: rtc ? { status: "Enabled", time: { minutes: 15 } } : undefined,
                        },
                    },
                ],
            },
            // Both buckets must be versioned first, and the role able to act.
            inRegion(from, { dependsOn: [stacks.primary.bucketVersioning, stacks.secondary.bucketVersioning, replicationRolePolicy] }),
        );
    }
    return replicationRole;
}
