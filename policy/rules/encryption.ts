/**
 * Encryption at rest with customer-managed keys: tables and replicas, buckets, topics, queues, log groups;
 * rotating keys; and key policies that let the services using a key (CloudWatch alarms publishing to an
 * encrypted topic, CloudWatch Logs) actually use it. An AWS-owned or AWS-managed key makes "all data at rest
 * on customer-managed keys" false, and the AWS-managed SNS key silently drops alarm notifications.
 */
import { actionMatches, parseDocument, principals } from "./policy-document";
import { at, bool, isAwsManagedKeyAlias, isSet, isUnknown, list, parseArn, referenced, ResourceRule, ResourceView, StackRule, str } from "./view";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const SSE_CONFIG_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/**
 * Why `value` is not a customer-managed key usable in `region`, or undefined when it is (or cannot be known
 * yet). `requireArn`: the service needs the key's ARN, not an id or alias name.
 */
export function keyProblem(value: unknown, region: string | undefined, opts: { requireArn?: boolean } = {}): string | undefined {
    if (isUnknown(value)) {
        return undefined;
    }
    if (!isSet(value)) {
        return "no customer-managed key is set";
    }
    const key = str(value);
    if (key === undefined) {
        return `the key ${JSON.stringify(value)} is not a string`;
    }
    if (isAwsManagedKeyAlias(key)) {
        return `${key} is an AWS-managed key, not a customer-managed one`;
    }
    const arn = parseArn(key);
    if (!arn) {
        return opts.requireArn ? `${key} is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)` : undefined;
    }
    if (arn.service !== "kms") {
        return `${key} is not a KMS key ARN`;
    }
    if (region !== undefined && arn.region !== region) {
        return `the key ${key} is in ${arn.region}, but the resource is in ${region}: use this region's key`;
    }
    return undefined;
}

export const dynamodbTableCmk: ResourceRule = {
    name: "dynamodb-table-cmk-encryption",
    description:
        "DynamoDB tables use SSE with a customer-managed key in their region (`serverSideEncryption.enabled` + `kmsKeyArn`), and every replica names its own key (`replicas[].kmsKeyArn`).",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type === "aws:dynamodb/tableReplica:TableReplica") {
            const problem = keyProblem(view.props.kmsKeyArn, view.region, { requireArn: true });
            if (problem) {
                report(`replica \`kmsKeyArn\`: ${problem}.`);
            }
            return;
        }
        if (view.type !== "aws:dynamodb/table:Table") {
            return;
        }
        const sse = view.props.serverSideEncryption;
        const enabled = at(sse, "enabled");
        if (!isUnknown(enabled) && bool(enabled) !== true) {
            report(
                "`serverSideEncryption.enabled` is not true: the table falls back to an AWS-owned key; enable it with `kmsKeyArn` set to this region's key.",
            );
        } else {
            const problem = keyProblem(at(sse, "kmsKeyArn"), view.region, { requireArn: true });
            if (problem) {
                report(`\`serverSideEncryption.kmsKeyArn\`: ${problem}.`);
            }
        }
        for (const replica of list(view.props.replicas)) {
            const region = str(at(replica, "regionName"));
            const key = at(replica, "kmsKeyArn");
            if (!isUnknown(key) && !isSet(key)) {
                report(
                    `replica ${region ?? "?"} has no \`kmsKeyArn\`: with a customer-managed key every replica needs its own key from its own region ` +
                        '("KMSMasterKeyId must be specified for each replica").',
                );
            }
        }
    },
};

function sseRules(view: ResourceView): unknown[] {
    if (SSE_CONFIG_TYPES.includes(view.type)) {
        return list(view.props.rules);
    }
    if (BUCKET_TYPES.includes(view.type)) {
        return list(at(view.props, "serverSideEncryptionConfiguration", "rule"));
    }
    return [];
}

export const s3SseUsesCmk: ResourceRule = {
    name: "s3-sse-uses-cmk",
    description: "S3 default encryption is `aws:kms` with a customer-managed key ARN from the bucket's region.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (!SSE_CONFIG_TYPES.includes(view.type) && !BUCKET_TYPES.includes(view.type)) {
            return;
        }
        if (SSE_CONFIG_TYPES.includes(view.type) && list(view.props.rules).length === 0 && !isUnknown(view.props.rules)) {
            report("the configuration has no rules.");
        }
        for (const rule of sseRules(view)) {
            const algorithm = at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm");
            if (!isUnknown(algorithm) && !KMS_ALGORITHMS.includes(str(algorithm) ?? "")) {
                report(`\`sseAlgorithm\` is ${JSON.stringify(algorithm)}: use "aws:kms" with this region's customer-managed key.`);
                continue;
            }
            const problem = keyProblem(at(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"), view.region, { requireArn: true });
            if (problem) {
                report(`\`kmsMasterKeyId\`: ${problem}.`);
            }
        }
    },
};

/** The resources of `types` whose `bucket` input names `bucket`. */
export function bucketAttachments(views: readonly ResourceView[], types: readonly string[], bucket: ResourceView): ResourceView[] {
    return views.filter((v) => types.includes(v.type) && referenced(v, "bucket", v.props.bucket, [bucket], bucketIdentities).length > 0);
}

/** A bucket is referenced by its name (`id`, `bucket`) or ARN. */
export function bucketIdentities(bucket: ResourceView): unknown[] {
    return [bucket.id, bucket.props.id, bucket.props.bucket, bucket.props.arn];
}

export const s3BucketEncrypted: StackRule = {
    name: "s3-bucket-has-cmk-encryption",
    description: "Every S3 bucket has a default-encryption configuration (checked by s3-sse-uses-cmk to use a customer-managed key).",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const bucket of views.filter((v) => BUCKET_TYPES.includes(v.type))) {
            const inline = sseRules(bucket).length > 0;
            if (!inline && bucketAttachments(views, SSE_CONFIG_TYPES, bucket).length === 0) {
                report(
                    `bucket ${bucket.name} has no BucketServerSideEncryptionConfiguration: add one with sseAlgorithm "aws:kms" and this region's key.`,
                    bucket.urn,
                );
            }
        }
    },
};

function simpleKeyRule(name: string, type: string, prop: string, what: string, opts: { requireArn?: boolean }): ResourceRule {
    return {
        name,
        description: `${what} are encrypted with a customer-managed key from their region (\`${prop}\`).`,
        enforcementLevel: "mandatory",
        validateResource: (view, report) => {
            if (view.type !== type) {
                return;
            }
            const problem = keyProblem(view.props[prop], view.region, { requireArn: opts.requireArn });
            if (problem) {
                report(`\`${prop}\`: ${problem}.`);
            }
        },
    };
}

export const snsTopicCmk = simpleKeyRule("sns-topic-cmk-encryption", "aws:sns/topic:Topic", "kmsMasterKeyId", "SNS topics", {});
export const sqsQueueCmk = simpleKeyRule("sqs-queue-cmk-encryption", "aws:sqs/queue:Queue", "kmsMasterKeyId", "SQS queues", {});
export const logGroupCmk = simpleKeyRule("log-group-cmk-encryption", "aws:cloudwatch/logGroup:LogGroup", "kmsKeyId", "CloudWatch log groups", {
    requireArn: true,
});

export const kmsKeyRotation: ResourceRule = {
    name: "kms-key-rotation",
    description: "Symmetric customer-managed KMS keys rotate (`enableKeyRotation: true`).",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== "aws:kms/key:Key") {
            return;
        }
        const spec = str(view.props.customerMasterKeySpec) ?? "SYMMETRIC_DEFAULT";
        const usage = str(view.props.keyUsage) ?? "ENCRYPT_DECRYPT";
        if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") {
            return; // KMS rotates only symmetric encryption keys.
        }
        const rotation = view.props.enableKeyRotation;
        if (!isUnknown(rotation) && bool(rotation) !== true) {
            report("`enableKeyRotation` is not true: turn on automatic rotation.");
        }
    },
};

/** Does the key's policy allow `service` every action in `needed` (wildcards in the policy honoured)? */
function keyPolicyAllows(key: ResourceView, service: RegExp, needed: readonly string[]): boolean | undefined {
    const doc = parseDocument(key.props.policy);
    if (doc.kind === "unknown") {
        return undefined;
    }
    if (doc.kind !== "document") {
        return false;
    }
    const allowed = doc.statements.filter((s) => s.Effect === "Allow" && principals(s, "Service").some((p) => service.test(p)));
    return needed.every((action) => allowed.some((s) => s.Action.some((pattern) => actionMatches(pattern, action))));
}

function keyFor(views: readonly ResourceView[], from: ResourceView, prop: string): ResourceView | undefined {
    const keys = views.filter((v) => v.type === "aws:kms/key:Key");
    return referenced(from, prop, from.props[prop], keys, (k) => [k.props.arn, k.props.keyId, k.id])[0];
}

export const kmsKeyPolicyGrantsConsumers: StackRule = {
    name: "kms-key-policy-grants-consumers",
    description:
        "A key that encrypts a log group allows `logs.<region>.amazonaws.com`; a key that encrypts a topic alarms publish to allows `cloudwatch.amazonaws.com` kms:Decrypt and kms:GenerateDataKey*; a key that encrypts a CloudTrail trail's log files allows `cloudtrail.amazonaws.com` kms:GenerateDataKey* and kms:DescribeKey.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const group of views.filter((v) => v.type === "aws:cloudwatch/logGroup:LogGroup")) {
            const key = keyFor(views, group, "kmsKeyId");
            const region = group.region ?? "*";
            const service = new RegExp(`^logs\\.(${region.replace(/-/g, "\\-")}\\.)?amazonaws\\.com$`);
            if (key && keyPolicyAllows(key, service, ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]) === false) {
                report(
                    `key ${key.name} encrypts log group ${group.name} but its policy does not allow logs.${region}.amazonaws.com ` +
                        "kms:Encrypt*, kms:Decrypt*, kms:GenerateDataKey*: CloudWatch Logs cannot write to the group.",
                    key.urn,
                );
            }
        }
        for (const trail of views.filter((v) => v.type === "aws:cloudtrail/trail:Trail")) {
            const key = keyFor(views, trail, "kmsKeyId");
            if (key && keyPolicyAllows(key, /^cloudtrail\.amazonaws\.com$/, ["kms:GenerateDataKey", "kms:DescribeKey"]) === false) {
                report(
                    `key ${key.name} encrypts trail ${trail.name}'s log files but its policy does not allow cloudtrail.amazonaws.com ` +
                        "kms:GenerateDataKey* and kms:DescribeKey: CloudTrail refuses the trail (InsufficientEncryptionPolicyException).",
                    key.urn,
                );
            }
        }
        const alarmTargets = new Set(
            views
                .filter((v) => v.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
                .flatMap((a) => [...list(a.props.alarmActions), ...list(a.props.okActions), ...list(a.props.insufficientDataActions)])
                .filter((t): t is string => typeof t === "string"),
        );
        for (const topic of views.filter((v) => v.type === "aws:sns/topic:Topic" && alarmTargets.has(str(v.props.arn) ?? ""))) {
            const key = keyFor(views, topic, "kmsMasterKeyId");
            if (key && keyPolicyAllows(key, /^cloudwatch\.amazonaws\.com$/, ["kms:Decrypt", "kms:GenerateDataKey"]) === false) {
                report(
                    `key ${key.name} encrypts alarm topic ${topic.name} but its policy does not allow cloudwatch.amazonaws.com ` +
                        "kms:Decrypt and kms:GenerateDataKey*: alarm notifications would silently never arrive.",
                    key.urn,
                );
            }
        }
    },
};

export const ENCRYPTION_RULES = [
    dynamodbTableCmk,
    s3SseUsesCmk,
    s3BucketEncrypted,
    snsTopicCmk,
    sqsQueueCmk,
    logGroupCmk,
    kmsKeyRotation,
    kmsKeyPolicyGrantsConsumers,
];
