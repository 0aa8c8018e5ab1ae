import { policyDocument, PolicyDocument, PolicyStatement } from "../shared/iam";

export interface ReplicationDirection {
    readonly sourceRegion: string;
    readonly sourceBucketArn: string;
    readonly sourceKeyArn: string;
    readonly destinationRegion: string;
    readonly destinationBucketArn: string;
    readonly destinationKeyArn: string;
}

/**
 * The S3 replication role's permissions for each direction, from real ARNs: read the source configuration and
 * object versions, replicate into the destination, decrypt with the source key and encrypt with the destination
 * key, each only through S3 in that key's region and for that bucket's objects.
 */
export function replicationPolicy(directions: readonly ReplicationDirection[]): PolicyDocument {
    return policyDocument(
        ...directions.flatMap((d, i): PolicyStatement[] => {
            const sid = (what: string) => `${what}${i === 0 ? "" : "Reverse"}`;
            // With bucket keys on, S3 uses the bucket ARN as encryption context; without, the object ARN.
            const context = (bucketArn: string) => [bucketArn, `${bucketArn}/*`];
            return [
                { Sid: sid("SourceConfiguration"), Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: d.sourceBucketArn },
                {
                    Sid: sid("SourceObjectVersions"),
                    Effect: "Allow",
                    Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                    Resource: `${d.sourceBucketArn}/*`,
                },
                {
                    Sid: sid("ReplicateToDestination"),
                    Effect: "Allow",
                    Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                    Resource: `${d.destinationBucketArn}/*`,
                },
                {
                    Sid: sid("DecryptSource"),
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: d.sourceKeyArn,
                    Condition: {
                        StringEquals: { "kms:ViaService": `s3.${d.sourceRegion}.amazonaws.com` },
                        StringLike: { "kms:EncryptionContext:aws:s3:arn": context(d.sourceBucketArn) },
                    },
                },
                {
                    // GenerateDataKey as well as Encrypt: the destination bucket uses S3 Bucket Keys.
                    Sid: sid("EncryptDestination"),
                    Effect: "Allow",
                    Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                    Resource: d.destinationKeyArn,
                    Condition: {
                        StringEquals: { "kms:ViaService": `s3.${d.destinationRegion}.amazonaws.com` },
                        StringLike: { "kms:EncryptionContext:aws:s3:arn": context(d.destinationBucketArn) },
                    },
                },
            ];
        }),
    );
}
