/**
 * IAM and resource policy builders. Pure functions from real ARNs to policy documents: the components call
 * them inside `pulumi.all(...).apply(...)`, tests call them directly.
 */
import { WILDCARD_RESOURCE_ACTIONS } from "../policy/rules/aws-facts";

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

/** The DynamoDB data-plane actions the transaction processor uses: conditional put, read, receipt status update. */
export const PROCESSOR_TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];
/** S3 key prefix of the receipts the processor writes. */
export const RECEIPTS_PREFIX = "receipts/";

export interface ProcessorPolicyArgs {
    readonly region: string;
    /** ARN of the global table's replica in this region. */
    readonly tableArn: string;
    readonly bucketArn: string;
    readonly keyArn: string;
    readonly dlqArn: string;
    readonly logGroupArn: string;
}

/** The transaction processor's permissions: exactly what its code calls, on exactly this region's resources. */
export function processorPolicy(a: ProcessorPolicyArgs): PolicyDocument {
    return policyDocument(
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
        // Deliberately no Query/Scan/DeleteItem: the handler reads and writes single items by key.
        { Sid: "TransactionsTable", Effect: "Allow", Action: PROCESSOR_TABLE_ACTIONS, Resource: a.tableArn },
        // PutObject only: receipts are written (If-None-Match), never read back by the function.
        { Sid: "WriteReceipts", Effect: "Allow", Action: "s3:PutObject", Resource: `${a.bucketArn}/${RECEIPTS_PREFIX}*` },
        { Sid: "DeadLetters", Effect: "Allow", Action: "sqs:SendMessage", Resource: a.dlqArn },
        {
            Sid: "UseRegionalKeyThroughServices",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: a.keyArn,
            Condition: {
                StringEquals: {
                    "kms:ViaService": ["dynamodb", "s3", "sqs", "lambda"].map((s) => `${s}.${a.region}.amazonaws.com`),
                },
            },
        },
        // X-Ray has no resource-level permissions for these two actions.
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

/** Key administration actions for the account (the deployer); no cryptographic use outside AWS services. */
export const KEY_ADMIN_ACTIONS = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];

/**
 * Services whose callers in this account may use the key, each only through that service in this region: the
 * data stores, plus AWS Backup (vaults), SSM (SecureString parameters) and Firehose (the log archive's stream).
 */
export const KEY_USER_SERVICES = ["dynamodb", "s3", "lambda", "sqs", "sns", "backup", "ssm", "firehose"];

export interface KeyPolicyArgs {
    readonly accountId: string;
    readonly region: string;
    readonly partition?: string;
    /** Services beyond KEY_USER_SERVICES that use the key in this stack (e.g. rds and secretsmanager with the ledger). */
    readonly extraServices?: readonly string[];
}

/**
 * The regional key's policy. Grants services by service principal and the account by root, never a role by
 * name: a role created later would otherwise be an ordering trap (the key needs the role, the role's policy
 * needs the key).
 */
export function regionalKeyPolicy(a: KeyPolicyArgs): PolicyDocument {
    const partition = a.partition ?? "aws";
    const root = `arn:${partition}:iam::${a.accountId}:root`;
    // In a key policy, "Resource": "*" means "this key".
    return policyDocument(
        { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: root }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
        {
            Sid: "AccountUsesKeyOnlyThroughServices",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
            Resource: "*",
            Condition: {
                StringEquals: {
                    "kms:CallerAccount": a.accountId,
                    "kms:ViaService": [...KEY_USER_SERVICES, ...(a.extraServices ?? [])].map((s) => `${s}.${a.region}.amazonaws.com`),
                },
            },
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
    );
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
    readonly healthCheckIds: readonly string[];
    /** The primary's health check: the one the drill inverts. */
    readonly drillHealthCheckId: string;
    readonly hostedZoneId: string;
    /** ARNs of the global table in each region. */
    readonly tableArns: readonly string[];
    /** ARNs of the program's alarms. */
    readonly alarmArns: readonly string[];
    /** Route 53 read actions the drill:status script calls. */
    readonly statusActions: readonly string[];
}

/** The DR operator's permissions: exactly what the failover runbook and drill use, on this stack's resources. */
export function operatorPolicy(a: OperatorPolicyArgs): PolicyDocument {
    const healthCheckArn = (id: string) => `arn:aws:route53:::healthcheck/${id}`;
    const zoneArn = `arn:aws:route53:::hostedzone/${a.hostedZoneId}`;
    const onHealthChecks = a.statusActions.filter((x) => x === "route53:GetHealthCheck" || x === "route53:GetHealthCheckStatus");
    const onZone = a.statusActions.filter((x) => x === "route53:ListResourceRecordSets");
    const unscoped = a.statusActions.filter((x) => WILDCARD_RESOURCE_ACTIONS.includes(x));
    return policyDocument(
        { Sid: "ReadHealthChecks", Effect: "Allow", Action: onHealthChecks, Resource: a.healthCheckIds.map(healthCheckArn) },
        { Sid: "ReadFailoverRecords", Effect: "Allow", Action: onZone, Resource: zoneArn },
        // TestDNSAnswer has no resource-level permissions.
        { Sid: "AskRoute53WhatItAnswers", Effect: "Allow", Action: unscoped, Resource: "*" },
        // The emergency drill toggle (`aws route53 update-health-check --inverted`) on the primary's check only;
        // the routine drill goes through `pulumi config set failoverDrill true && pulumi up`.
        { Sid: "ToggleDrill", Effect: "Allow", Action: "route53:UpdateHealthCheck", Resource: healthCheckArn(a.drillHealthCheckId) },
        { Sid: "DescribeReplicas", Effect: "Allow", Action: "dynamodb:DescribeTable", Resource: [...a.tableArns] },
        { Sid: "ReadAlarms", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: [...a.alarmArns] },
    );
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
