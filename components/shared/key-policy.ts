import { policyDocument, PolicyDocument, PolicyStatement } from "./iam";

/** Every audit trail's name starts so (`trailName`): the key policy admits CloudTrail only for these trails. */
export const AUDIT_TRAIL_NAME_PREFIX = "payments-dr-audit";

/** What `keyExtraServices` names when the region's key must admit CloudTrail (`regionalKeyPolicy` below). */
export const CLOUDTRAIL_KEY_SERVICE = "cloudtrail";

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
 * The audit trails (components/safety-net/audit-trail.ts) encrypt their log files with the region's key: CloudTrail may generate
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
