import { policyDocument, PolicyDocument, PolicyStatement } from "./iam";
import { tlsOnlyBucketPolicy } from "./resource-policies";

/**
 * A data bucket's policy: TLS 1.2+ only (`tlsOnlyBucketPolicy`), and no upload that skips the stack's key. An upload
 * that names no encryption gets the bucket's default (SSE-KMS with this key), so writers that rely on it (Firehose,
 * other AWS services) are not refused; only uploads that ask for something else are: SSE-S3, DSSE-KMS, another KMS
 * key, or SSE-KMS without a key id (S3 then uses the AWS managed key `aws/s3`, not the bucket's:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax). Condition keys
 * (the key id as a key ARN): https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
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
        {
            Sid: "DenyUploadsWithAwsManagedKey",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: objects,
            // The encryption header without a key id: S3 would use `aws/s3`. No header at all stays allowed.
            Condition: {
                Null: { "s3:x-amz-server-side-encryption": "false", "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
            },
        },
    ];
}
