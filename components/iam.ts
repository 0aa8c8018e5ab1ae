/**
 * IAM and resource policy builders. Pure functions from real ARNs to policy documents: the components call
 * them inside `pulumi.all(...).apply(...)`, tests call them directly.
 */
import { WILDCARD_RESOURCE_ACTIONS } from "../policy/rules/aws-facts";
import { AUDIT_TRAIL_NAME_PREFIX, CLOUDTRAIL_KEY_SERVICE } from "./audit-trail-config";
import { faultConfigReadStatements } from "./fault-injection-iam";

export type Principal = "*" | { readonly AWS?: string | string[]; readonly Service?: string | string[] };
export type ConditionBlock = Record<string, Record<string, string | string[] | boolean>>;

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Principal;
    readonly Action: string | string[];
    readonly Resource: string | string[];
    readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: PolicyStatement[];
}

// Defined in the policy pack, which must load without this folder (see policy/rules/aws-facts.ts).
export { WILDCARD_RESOURCE_ACTIONS };

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy for a role that only `service` may assume, and only on behalf of this account. */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
}

/** Strips the `Resource` of trust policies, which IAM refuses there. */
export function trustPolicyJson(doc: PolicyDocument): string {
    return JSON.stringify({
        Version: doc.Version,
        Statement: doc.Statement.map(({ Resource: _resource, ...rest }) => rest),
    });
}

/**
 * The DynamoDB data-plane actions the transaction processor uses: conditional put, read, receipt status update,
 * and Query of one transaction's partition (the transaction and its Regions' versions). No transactions
 * (TransactWriteItems/TransactGetItems): multi-Region strong consistency tables do not support them.
 */
export const PROCESSOR_TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"];
/** S3 key prefix of the receipts the processor writes. */
export const RECEIPTS_PREFIX = "receipts/";

export interface ProcessorPolicyArgs {
    readonly region: string;
    /** ARN of the global table's replica in this region. */
    readonly tableArn: string;
    readonly bucketArn: string;
    readonly keyArn: string;
    readonly logGroupArn: string;
    /** The region's FIS fault-configuration bucket, when the function carries the FIS extension (game days). */
    readonly faultConfigBucketArn?: string;
}

/** The transaction processor's permissions: exactly what its code calls, on exactly this region's resources. */
export function processorPolicy(a: ProcessorPolicyArgs): PolicyDocument {
    return policyDocument(
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
        // Deliberately no Query/Scan/DeleteItem: the handler reads and writes single items by key.
        { Sid: "TransactionsTable", Effect: "Allow", Action: PROCESSOR_TABLE_ACTIONS, Resource: a.tableArn },
        // Receipts are written conditionally (If-None-Match, If-Match) and read back only to compare after a 412.
        { Sid: "WriteReceipts", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `${a.bucketArn}/${RECEIPTS_PREFIX}*` },
        {
            Sid: "UseRegionalKeyThroughServices",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: a.keyArn,
            Condition: {
                StringEquals: {
                    "kms:ViaService": ["dynamodb", "s3", "lambda"].map((s) => `${s}.${a.region}.amazonaws.com`),
                },
            },
        },
        // The fence reads the takeover authority: granted by components/takeover-authority-store.ts.
        // The FIS extension runs in the function's process, with its role (components/fault-injection.ts).
        ...(a.faultConfigBucketArn === undefined ? [] : faultConfigReadStatements(a.faultConfigBucketArn)),
        // X-Ray has no resource-level permissions for these two actions.
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    );
}

/** Reading a DynamoDB stream through an event source mapping (Lambda polls with the function's role). */
export const STREAM_READ_ACTIONS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"];

export interface FinisherPolicyArgs {
    readonly region: string;
    /** ARN of the global table's replica in this region; its stream is `<arn>/stream/<label>`. */
    readonly tableArn: string;
    readonly bucketArn: string;
    readonly keyArn: string;
    /** The event source mapping's on-failure queue. */
    readonly dlqArn: string;
    readonly logGroupArn: string;
}

/** The receipt finisher's permissions: this region's stream, items and receipts, and its on-failure queue. */
export function finisherPolicy(a: FinisherPolicyArgs): PolicyDocument {
    return policyDocument(
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
        { Sid: "ReadTableStream", Effect: "Allow", Action: STREAM_READ_ACTIONS, Resource: `${a.tableArn}/stream/*` },
        // The mapping also lists streams; ListStreams has no resource-level permission.
        { Sid: "ListTableStreams", Effect: "Allow", Action: "dynamodb:ListStreams", Resource: "*" },
        // Read the item, mark it STORED: no PutItem, no Query/Scan.
        { Sid: "CompleteTransactions", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: a.tableArn },
        { Sid: "WriteReceipts", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `${a.bucketArn}/${RECEIPTS_PREFIX}*` },
        // Lambda sends records the function kept failing to the mapping's on-failure destination with this role.
        { Sid: "OnFailureQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: a.dlqArn },
        {
            Sid: "UseRegionalKeyThroughServices",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: a.keyArn,
            Condition: { StringEquals: { "kms:ViaService": ["dynamodb", "s3", "sqs"].map((s) => `${s}.${a.region}.amazonaws.com`) } },
        },
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    );
}

/** S3 key prefix of the health function's probe objects (one per region). */
export const HEALTH_PREFIX = "health/";

export interface HealthPolicyArgs {
    readonly region: string;
    /** ARN of the global table's replica in this region. */
    readonly tableArn: string;
    readonly bucketArn: string;
    readonly keyArn: string;
    readonly logGroupArn: string;
}

/**
 * The health function's permissions: the two probe writes and nothing else. PutItem only on this region's
 * health item (`dynamodb:LeadingKeys`), PutObject only under `health/`: the health role can touch no payment.
 */
export function healthPolicy(a: HealthPolicyArgs): PolicyDocument {
    return policyDocument(
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
        {
            Sid: "WriteHealthItem",
            Effect: "Allow",
            Action: "dynamodb:PutItem",
            Resource: a.tableArn,
            Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`HEALTH#${a.region}`] } },
        },
        { Sid: "WriteHealthObject", Effect: "Allow", Action: "s3:PutObject", Resource: `${a.bucketArn}/${HEALTH_PREFIX}*` },
        {
            Sid: "UseRegionalKeyThroughServices",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: a.keyArn,
            Condition: { StringEquals: { "kms:ViaService": ["dynamodb", "s3"].map((s) => `${s}.${a.region}.amazonaws.com`) } },
        },
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    );
}

/** Denies any request that is not TLS 1.2+ on the bucket and its objects. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    const resources = [bucketArn, `${bucketArn}/*`];
    return policyDocument(
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    );
}

/**
 * Key administration for the account (the deployer), each action named: no wildcard that would also grant
 * `kms:CreateGrant` (a grant would let its grantee use the key outside `kms:ViaService`) or a future action.
 * No cryptographic use here: that is only through AWS services, below.
 */
export const KEY_ADMIN_ACTIONS = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:PutKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:RotateKeyOnDemand",
    "kms:ListKeyRotations",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:UpdateKeyDescription",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:ListResourceTags",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ListGrants",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];

/** What AWS services do with the key on a caller's behalf. */
export const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * Services whose callers in this account may use the key, each only through that service in this region: the
 * data stores, plus AWS Backup (vaults), SSM (SecureString parameters) and Firehose (the log archive's stream).
 */
export const KEY_USER_SERVICES = ["dynamodb", "s3", "lambda", "sqs", "sns", "backup", "ssm", "firehose"];

export interface KeyPolicyArgs {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
    /** Services beyond KEY_USER_SERVICES that use the key in this stack (e.g. rds and secretsmanager with the ledger). */
    readonly extraServices?: readonly string[];
}

/**
 * The regional key's policy. Grants services by service principal and the account by root, never a role by
 * name: a role created later would otherwise be an ordering trap (the key needs the role, the role's policy
 * needs the key).
 */
export function regionalKeyPolicy(a: KeyPolicyArgs): PolicyDocument {
    const partition = a.partition;
    const root = `arn:${partition}:iam::${a.accountId}:root`;
    // CloudTrail uses the key as itself, not through a caller: its own statements, never kms:ViaService.
    const extra = a.extraServices ?? [];
    const viaServices = {
        "kms:CallerAccount": a.accountId,
        "kms:ViaService": [...KEY_USER_SERVICES, ...extra.filter((s) => s !== CLOUDTRAIL_KEY_SERVICE)].map((service) => `${service}.${a.region}.amazonaws.com`),
    };
    // In a key policy, "Resource": "*" means "this key".
    return policyDocument(
        { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: root }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
        {
            Sid: "AccountUsesKeyOnlyThroughServices",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: KEY_USE_ACTIONS,
            Resource: "*",
            Condition: { StringEquals: viaServices },
        },
        {
            // DynamoDB, Lambda and SNS create grants to use the key later; only for their own resources, never
            // for a principal of the caller's choosing.
            Sid: "AccountGrantsOnlyToAwsResources",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { StringEquals: viaServices, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
            Sid: "CloudWatchLogsEncryptsLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${a.region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${a.region}:${a.accountId}:log-group:*` },
            },
        },
        {
            // Alarms (and the EventBridge rules of failover-events.ts) publishing to a KMS-encrypted topic: without
            // this, notifications silently never arrive.
            Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
            Effect: "Allow",
            Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": a.accountId } },
        },
        ...(extra.includes(CLOUDTRAIL_KEY_SERVICE) ? cloudTrailKeyStatements(partition, a.region, a.accountId) : []),
    );
}

/**
 * The audit trails (components/audit-trail.ts) encrypt their log files with the region's key: CloudTrail may generate
 * data keys only for this account's audit trails in this region (encryption context `aws:cloudtrail:arn` and
 * `aws:SourceArn`) and describe the key. No decrypt: readers decrypt through S3 (`AccountUsesKeyOnlyThroughServices`).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function cloudTrailKeyStatements(partition: string, region: string, accountId: string): PolicyStatement[] {
    const auditTrails = `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${AUDIT_TRAIL_NAME_PREFIX}-*`;
    const principal = { Service: "cloudtrail.amazonaws.com" };
    return [
        {
            Sid: "CloudTrailEncryptsAuditTrailLogs",
            Effect: "Allow",
            Principal: principal,
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": auditTrails }, ArnLike: { "aws:SourceArn": auditTrails } },
        },
        {
            Sid: "CloudTrailDescribesKey",
            Effect: "Allow",
            Principal: principal,
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: { ArnLike: { "aws:SourceArn": auditTrails } },
        },
    ];
}

/**
 * Topic policy: only this account's CloudWatch alarms, and exactly the EventBridge rules named in `eventRuleArns`,
 * may publish; the account keeps administration.
 */
export function alarmTopicPolicy(topicArn: string, accountId: string, eventRuleArns: readonly string[] = []): PolicyDocument {
    const fromRules: PolicyStatement[] =
        eventRuleArns.length === 0
            ? []
            : [
                  {
                      Sid: "EventBridgeRulesPublish",
                      Effect: "Allow",
                      Principal: { Service: "events.amazonaws.com" },
                      Action: "sns:Publish",
                      Resource: topicArn,
                      Condition: { ArnEquals: { "aws:SourceArn": [...eventRuleArns] } },
                  },
              ];
    return policyDocument(
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
        ...fromRules,
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    );
}

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

export interface OperatorPolicyArgs {
    /** Every Route 53 health check of the stack (regional, takeover, calculated). */
    readonly healthCheckIds: readonly string[];
    readonly hostedZoneId: string;
    /** ARNs of the global table in each region. */
    readonly tableArns: readonly string[];
    /** Name of the table's index the reconciliation queries. */
    readonly dayIndexName: string;
    /** ARNs of the program's alarms, the takeover alarm among them. */
    readonly alarmArns: readonly string[];
    /** The documents buckets of both regions. */
    readonly bucketArns: readonly string[];
    /** The standby region's bucket, whose (reverse) replication configuration failback checks. */
    readonly standbyBucketArn: string;
    /** The takeover metric's namespace: the only namespace the operator may publish to. */
    readonly takeoverNamespace: string;
    /** Route 53 read actions the drill:status script calls. */
    readonly statusActions: readonly string[];
    /** What failover, failback, reconcile and ledger:check call (components/dr-script-actions.ts). */
    readonly scriptActions: readonly string[];
    /** Each region's customer-managed key (that region's table replica and bucket use it). */
    readonly tableKeys: readonly { readonly region: string; readonly keyArn: string }[];
    /** @default "aws" */
    readonly partition: string;
}

/**
 * The DR operator's permissions: exactly the actions `drill:status`, `failover`, `failback` and `reconcile`
 * call (their exported lists), each on this stack's resources. Nothing here changes Route 53: the switch is
 * the takeover metric, published in the standby region.
 */
export function operatorPolicy(a: OperatorPolicyArgs): PolicyDocument {
    const partition = a.partition;
    const healthCheckArn = (id: string) => `arn:${partition}:route53:::healthcheck/${id}`;
    const zoneArn = `arn:${partition}:route53:::hostedzone/${a.hostedZoneId}`;
    const actions = [...a.statusActions, ...a.scriptActions];
    const pick = (...wanted: string[]) => wanted.filter((x) => actions.includes(x));
    const statements: PolicyStatement[] = [
        {
            Sid: "ReadHealthChecks",
            Effect: "Allow",
            Action: pick("route53:GetHealthCheck", "route53:GetHealthCheckStatus"),
            Resource: a.healthCheckIds.map(healthCheckArn),
        },
        { Sid: "ReadFailoverRecords", Effect: "Allow", Action: pick("route53:ListResourceRecordSets"), Resource: zoneArn },
        // TestDNSAnswer has no resource-level permissions.
        { Sid: "AskRoute53WhatItAnswers", Effect: "Allow", Action: pick("route53:TestDNSAnswer"), Resource: "*" },
        { Sid: "ReadAlarms", Effect: "Allow", Action: pick("cloudwatch:DescribeAlarms"), Resource: [...a.alarmArns] },
        // PutMetricData has no resource-level permissions; the namespace condition keeps it to the takeover metric.
        {
            Sid: "SetTakeoverSignal",
            Effect: "Allow",
            Action: pick("cloudwatch:PutMetricData"),
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": a.takeoverNamespace } },
        },
        // GetMetricData has no resource-level permissions (replication latency, pending replication operations).
        { Sid: "ReadReplicationMetrics", Effect: "Allow", Action: pick("cloudwatch:GetMetricData"), Resource: "*" },
        { Sid: "DescribeReplicas", Effect: "Allow", Action: pick("dynamodb:DescribeTable"), Resource: [...a.tableArns] },
        { Sid: "QueryTransactionsByDay", Effect: "Allow", Action: pick("dynamodb:Query"), Resource: a.tableArns.map((t) => `${t}/index/${a.dayIndexName}`) },
        // ledger:check reads each transaction of its window whole (GetItem on the transaction key only).
        { Sid: "ReadTransactionsForLedgerCheck", Effect: "Allow", Action: pick("dynamodb:GetItem"), Resource: [...a.tableArns] },
        // DynamoDB decrypts a customer-managed table key as the calling principal on every read ("the user is the
        // principal ... accessing the table": https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html),
        // so the Query (and ledger:check's GetItem) needs kms:Decrypt on each region's key, only through DynamoDB in that region.
        ...(actions.includes("dynamodb:Query") || actions.includes("dynamodb:GetItem")
            ? a.tableKeys.map((k): PolicyStatement => ({
                  Sid: `DecryptTableIn${k.region.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase())}`,
                  Effect: "Allow",
                  Action: "kms:Decrypt",
                  Resource: k.keyArn,
                  Condition: { StringEquals: { "kms:ViaService": `dynamodb.${k.region}.amazonaws.com` } },
              }))
            : []),
        // The reconciliation reads receipt bodies (GetObject): S3 decrypts SSE-KMS objects with the caller's
        // permission on the bucket's key (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html),
        // so kms:Decrypt on each region's key, only through S3 in that region. No encryption-context condition: the
        // role can GetObject nothing but receipts/* anyway, and the offline evaluator cannot read such a key.
        ...(actions.includes("s3:GetObject")
            ? a.tableKeys.map((k): PolicyStatement => ({
                  Sid: `DecryptReceiptsIn${k.region.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase())}`,
                  Effect: "Allow",
                  Action: "kms:Decrypt",
                  Resource: k.keyArn,
                  Condition: { StringEquals: { "kms:ViaService": `s3.${k.region}.amazonaws.com` } },
              }))
            : []),
        // HeadObject and GetObject on receipts; ListBucket makes a missing receipt a 404 rather than a 403.
        { Sid: "CheckReceipts", Effect: "Allow", Action: pick("s3:GetObject"), Resource: a.bucketArns.map((b) => `${b}/${RECEIPTS_PREFIX}*`) },
        { Sid: "TellMissingReceipts", Effect: "Allow", Action: pick("s3:ListBucket"), Resource: [...a.bucketArns] },
        { Sid: "ReadReverseReplication", Effect: "Allow", Action: pick("s3:GetReplicationConfiguration"), Resource: a.standbyBucketArn },
    ];
    return policyDocument(...statements.filter((statement) => statement.Action.length > 0));
}

/** Trust policy for a human role: only `principalArn`, and only with MFA. */
export function mfaTrustPolicy(principalArn: string): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { AWS: principalArn },
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
}
