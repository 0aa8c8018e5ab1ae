import { policyDocument, PolicyDocument, PolicyStatement, tlsOnlyBucketPolicy } from "./iam";

/**
 * A data bucket's policy: TLS 1.2+ only (`tlsOnlyBucketPolicy`), and no upload that skips the stack's key. An upload
 * that names no encryption gets the bucket's default (SSE-KMS with this key), so only uploads that ask for something
 * else are refused: SSE-S3, DSSE-KMS or another KMS key. Condition keys:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 */
export function keyOnlyBucketPolicy(bucketArn: string, keyArn: string): PolicyDocument {
    const objects = `${bucketArn}/*`;
    return policyDocument(...tlsOnlyBucketPolicy(bucketArn).Statement, ...keyOnlyStatements(objects, keyArn));
}

function keyOnlyStatements(objects: string, keyArn: string): PolicyStatement[] {
    return [
        {
            Sid: "DenyUploadsWithOtherEncryption",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: objects,
            // Both must hold: the header is there (Null false) and says something other than SSE-KMS.
            Condition: {
                Null: { "s3:x-amz-server-side-encryption": "false" },
                StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
            },
        },
        {
            Sid: "DenyUploadsWithOtherKey",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: objects,
            Condition: {
                Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
                StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn },
            },
        },
    ];
}
