import { expect } from "chai";
import {
    dynamodbTableCmk,
    kmsKeyPolicyGrantsConsumers,
    kmsKeyRotation,
    logGroupCmk,
    s3BucketEncrypted,
    s3SseUsesCmk,
    snsTopicCmk,
    sqsQueueCmk,
} from "../../policy/rules/encryption";
import { ACCOUNT, doc, EAST, KEY_EAST, KEY_WEST, messages, view, WEST } from "./support";

const table = (props: Record<string, unknown>) =>
    view({
        type: "aws:dynamodb/table:Table",
        region: EAST,
        props: {
            serverSideEncryption: { enabled: true, kmsKeyArn: KEY_EAST },
            replicas: [{ regionName: WEST, kmsKeyArn: KEY_WEST, pointInTimeRecovery: true }],
            ...props,
        },
    });

describe("policy: encryption at rest", () => {
    describe("dynamodb-table-cmk-encryption", () => {
        it("flags SSE off, an AWS-managed key, a key from another region and a replica without a key", async () => {
            expect(await messages(dynamodbTableCmk, table({ serverSideEncryption: { enabled: false } }))).to.have.length(1);
            expect(await messages(dynamodbTableCmk, table({ serverSideEncryption: { enabled: true, kmsKeyArn: "alias/aws/dynamodb" } }))).to.have.length(1);
            expect((await messages(dynamodbTableCmk, table({ serverSideEncryption: { enabled: true, kmsKeyArn: KEY_WEST } })))[0]).to.contain(
                "is in us-west-2",
            );
            const found = await messages(dynamodbTableCmk, table({ replicas: [{ regionName: WEST }] }));
            expect(found).to.have.length(1);
            expect(found[0]).to.contain("KMSMasterKeyId must be specified for each replica");
        });

        it("flags a TableReplica without a key; passes a table and replica on their regions' keys", async () => {
            expect(await messages(dynamodbTableCmk, view({ type: "aws:dynamodb/tableReplica:TableReplica", region: WEST, props: {} }))).to.have.length(1);
            expect(await messages(dynamodbTableCmk, table({}))).to.deep.equal([]);
        });
    });

    describe("s3-sse-uses-cmk", () => {
        const sse = (byDefault: Record<string, unknown>) =>
            view({
                type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                region: EAST,
                props: { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: byDefault }] },
            });

        it("flags AES256, aws:kms without a key, and the AWS-managed S3 key", async () => {
            expect(await messages(s3SseUsesCmk, sse({ sseAlgorithm: "AES256" }))).to.have.length(1);
            expect(await messages(s3SseUsesCmk, sse({ sseAlgorithm: "aws:kms" }))).to.have.length(1);
            expect(await messages(s3SseUsesCmk, sse({ sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }))).to.have.length(1);
        });

        it("passes aws:kms with this region's key ARN", async () => {
            expect(await messages(s3SseUsesCmk, sse({ sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_EAST }))).to.deep.equal([]);
        });
    });

    describe("s3-bucket-has-cmk-encryption", () => {
        const bucket = view({ type: "aws:s3/bucket:Bucket", name: "docs", region: EAST, props: { bucket: "docs-abc" } });

        it("flags a bucket without an encryption configuration", async () => {
            const other = view({
                type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                props: { bucket: "another-bucket", rules: [] },
            });
            expect(await messages(s3BucketEncrypted, bucket, other)).to.have.length(1);
        });

        it("passes a bucket with one (matched by name, or by dependency while the name is unknown)", async () => {
            const byName = view({
                type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                props: { bucket: "docs-abc" },
            });
            expect(await messages(s3BucketEncrypted, bucket, byName)).to.deep.equal([]);
            const unknownName = view({
                type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                props: { bucket: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
                propertyDependencies: { bucket: [bucket.urn] },
            });
            expect(await messages(s3BucketEncrypted, bucket, unknownName)).to.deep.equal([]);
        });
    });

    describe("sns-topic-cmk-encryption / sqs-queue-cmk-encryption / log-group-cmk-encryption", () => {
        it("flags alias/aws/sns, an unencrypted queue and a log group keyed by id instead of ARN", async () => {
            expect(await messages(snsTopicCmk, view({ type: "aws:sns/topic:Topic", region: EAST, props: { kmsMasterKeyId: "alias/aws/sns" } }))).to.have.length(
                1,
            );
            expect(await messages(sqsQueueCmk, view({ type: "aws:sqs/queue:Queue", region: EAST, props: { sqsManagedSseEnabled: true } }))).to.have.length(1);
            expect(
                await messages(logGroupCmk, view({ type: "aws:cloudwatch/logGroup:LogGroup", region: EAST, props: { kmsKeyId: "1111-2222" } })),
            ).to.have.length(1);
        });

        it("passes this region's key on each", async () => {
            expect(await messages(snsTopicCmk, view({ type: "aws:sns/topic:Topic", region: EAST, props: { kmsMasterKeyId: KEY_EAST } }))).to.deep.equal([]);
            expect(await messages(sqsQueueCmk, view({ type: "aws:sqs/queue:Queue", region: EAST, props: { kmsMasterKeyId: KEY_EAST } }))).to.deep.equal([]);
            expect(await messages(logGroupCmk, view({ type: "aws:cloudwatch/logGroup:LogGroup", region: EAST, props: { kmsKeyId: KEY_EAST } }))).to.deep.equal(
                [],
            );
        });
    });

    describe("kms-key-rotation", () => {
        it("flags a symmetric key without rotation; passes rotation on and asymmetric keys", async () => {
            expect(await messages(kmsKeyRotation, view({ type: "aws:kms/key:Key", props: { enableKeyRotation: false } }))).to.have.length(1);
            expect(await messages(kmsKeyRotation, view({ type: "aws:kms/key:Key", props: {} }))).to.have.length(1);
            expect(await messages(kmsKeyRotation, view({ type: "aws:kms/key:Key", props: { enableKeyRotation: true } }))).to.deep.equal([]);
            expect(
                await messages(kmsKeyRotation, view({ type: "aws:kms/key:Key", props: { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" } })),
            ).to.deep.equal([]);
        });
    });

    describe("kms-key-policy-grants-consumers", () => {
        const topicArn = `arn:aws:sns:${EAST}:${ACCOUNT}:alerts`;
        const keyWith = (...statements: Record<string, unknown>[]) =>
            view({ type: "aws:kms/key:Key", name: "key", region: EAST, props: { arn: KEY_EAST, policy: doc(...statements) } });
        const consumers = [
            view({ type: "aws:cloudwatch/logGroup:LogGroup", name: "logs", region: EAST, props: { name: "/aws/lambda/f", kmsKeyId: KEY_EAST } }),
            view({ type: "aws:sns/topic:Topic", name: "alerts", region: EAST, props: { arn: topicArn, kmsMasterKeyId: KEY_EAST } }),
            view({ type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "alarm", region: EAST, props: { alarmActions: [topicArn] } }),
        ];

        it("flags a key that lets neither CloudWatch Logs nor CloudWatch alarms use it", async () => {
            const found = await messages(
                kmsKeyPolicyGrantsConsumers,
                keyWith({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }),
                ...consumers,
            );
            expect(found).to.have.length(2);
            expect(found[1]).to.contain("silently never arrive");
        });

        it("passes a key policy with both service grants (wildcards honoured)", async () => {
            const key = keyWith(
                {
                    Effect: "Allow",
                    Principal: { Service: `logs.${EAST}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
                    Resource: "*",
                },
                { Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" },
            );
            expect(await messages(kmsKeyPolicyGrantsConsumers, key, ...consumers)).to.deep.equal([]);
        });

        it("flags a key that encrypts a trail's log files without letting CloudTrail generate data keys; passes one that does", async () => {
            const trail = view({ type: "aws:cloudtrail/trail:Trail", name: "trail", region: EAST, props: { kmsKeyId: KEY_EAST } });
            const root = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
            expect(await messages(kmsKeyPolicyGrantsConsumers, keyWith(root), trail)).to.deep.equal([
                "key key encrypts trail trail's log files but its policy does not allow cloudtrail.amazonaws.com kms:GenerateDataKey* and " +
                    "kms:DescribeKey: CloudTrail refuses the trail (InsufficientEncryptionPolicyException).",
            ]);
            const cloudTrail = { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Resource: "*" };
            const granted = keyWith(root, { ...cloudTrail, Action: "kms:GenerateDataKey*" }, { ...cloudTrail, Action: "kms:DescribeKey" });
            expect(await messages(kmsKeyPolicyGrantsConsumers, granted, trail)).to.deep.equal([]);
        });
    });
});
