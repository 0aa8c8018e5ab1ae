import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import { keyOnlyBucketPolicy } from "../components/shared/bucket-key-policy";
import { PolicyDocument } from "../components/shared/iam";

const ACCOUNT = "123456789012";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/stack-key`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/other-key`;
const BUCKET = "arn:aws:s3:::log-archive-primary-prod-abc123";
const WRITER = `arn:aws:iam::${ACCOUNT}:role/log-archive-firehose-secondary-prod-abc123`;
const SSE = "s3:x-amz-server-side-encryption";
const KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";

/**
 * A PutObject by a role of the account whose own policy allows it (as the Firehose role's does), evaluated by
 * @cloud-copilot/iam-simulate against the bucket policy: only the bucket policy's Deny statements can refuse it.
 */
async function putObject(policy: PolicyDocument, headers: Record<string, string>): Promise<string> {
    const response = await runSimulation(
        {
            request: {
                principal: WRITER,
                action: "s3:PutObject",
                resource: { resource: `${BUCKET}/logs/secondary/2026/12/02/batch.gz`, accountId: ACCOUNT },
                contextVariables: {
                    "aws:PrincipalAccount": ACCOUNT,
                    "aws:PrincipalArn": WRITER,
                    "aws:SecureTransport": "true",
                    "s3:TlsVersion": "1.3",
                    ...headers,
                },
            },
            identityPolicies: [
                { name: "writer", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: `${BUCKET}/*` }] } },
            ],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: policy,
        } as Parameters<typeof runSimulation>[0],
        {},
    );
    if (response.resultType === "error") {
        throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult;
}

describe("bucket key policy: uploads that skip the stack's key are refused, header-less ones get the default (iam-simulate)", () => {
    const policy = keyOnlyBucketPolicy(BUCKET, KEY);

    it("allows a PutObject with no encryption header: the bucket's default SSE-KMS applies (Firehose, other AWS writers)", async () => {
        expect(await putObject(policy, {})).to.equal("Allowed");
    });

    it("allows SSE-KMS naming the stack's key (what the processor and the health probe send)", async () => {
        expect(await putObject(policy, { [SSE]: "aws:kms", [KEY_ID]: KEY })).to.equal("Allowed");
    });

    it("denies SSE-KMS with another key, SSE-KMS without a key id (aws/s3), SSE-S3 and DSSE-KMS", async () => {
        expect(await putObject(policy, { [SSE]: "aws:kms" })).to.equal("ExplicitlyDenied");
        expect(await putObject(policy, { [SSE]: "aws:kms", [KEY_ID]: OTHER_KEY })).to.equal("ExplicitlyDenied");
        expect(await putObject(policy, { [SSE]: "AES256" })).to.equal("ExplicitlyDenied");
        expect(await putObject(policy, { [SSE]: "aws:kms:dsse", [KEY_ID]: KEY })).to.equal("ExplicitlyDenied");
        // A key id without the algorithm header (S3 would reject it, but the policy must not rely on that).
        expect(await putObject(policy, { [KEY_ID]: OTHER_KEY })).to.equal("ExplicitlyDenied");
    });

    it("can fail: a deny on a missing key-id header (the shape this replaced) refuses the header-less put", async () => {
        const strict: PolicyDocument = {
            ...policy,
            Statement: [
                ...policy.Statement,
                {
                    Sid: "DenyWithoutKeyHeader",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:PutObject",
                    Resource: `${BUCKET}/*`,
                    Condition: { Null: { [KEY_ID]: "true" } },
                },
            ],
        };
        expect(await putObject(strict, {})).to.equal("ExplicitlyDenied");
    });
});
