/**
 * Exactly the IAM actions `npm run failover`, `npm run failback` and `npm run reconcile` call, and the SDK
 * commands behind them. Dependency-free, so the DR operator role's policy in the Pulumi program imports the
 * same lists the scripts are tested against (tests record every command a script sends and map it here).
 */

/**
 * failover: read and set the takeover authority (contracts/takeover-authority.ts), read the takeover alarm, publish
 * the takeover value; all in the standby region only.
 */
export const FAILOVER_ACTIONS = ["cloudwatch:DescribeAlarms", "cloudwatch:PutMetricData", "dynamodb:GetItem", "dynamodb:PutItem"] as const;

/** reconcile: query the day index in both regions; read every version's receipt in both buckets (GetObject). */
export const RECONCILE_ACTIONS = ["dynamodb:Query", "s3:GetObject", "s3:ListBucket"] as const;

/** failback: the failover calls, its gates (replication metrics, replica status, reverse replication), reconcile. */
export const FAILBACK_ACTIONS = [
    ...FAILOVER_ACTIONS,
    "cloudwatch:GetMetricData",
    "dynamodb:DescribeTable",
    "s3:GetReplicationConfiguration",
    ...RECONCILE_ACTIONS,
] as const;

/** ledger:check: the window's transactions from the day index, then each whole item (the index projects a few fields). */
export const LEDGER_CHECK_ACTIONS = ["dynamodb:Query", "dynamodb:GetItem"] as const;

/** Everything the DR operator role allows besides drill:status (the role's policy is built from it). */
export const OPERATOR_SCRIPT_ACTIONS = [...new Set([...FAILBACK_ACTIONS, ...LEDGER_CHECK_ACTIONS])] as ReadonlyArray<
    (typeof FAILBACK_ACTIONS)[number] | (typeof LEDGER_CHECK_ACTIONS)[number]
>;

export type DrScriptAction = (typeof OPERATOR_SCRIPT_ACTIONS)[number];

/**
 * The IAM actions each SDK command needs. HeadObject is authorised by s3:GetObject; without s3:ListBucket
 * on the bucket, S3 answers a missing key with 403 instead of 404 (S3 API reference, HeadObject and GetObject),
 * and the reconciliation could not tell "missing" from "denied".
 */
export const COMMAND_ACTIONS: Readonly<Record<string, readonly DrScriptAction[]>> = {
    DescribeAlarmsCommand: ["cloudwatch:DescribeAlarms"],
    GetItemCommand: ["dynamodb:GetItem"],
    PutItemCommand: ["dynamodb:PutItem"],
    PutMetricDataCommand: ["cloudwatch:PutMetricData"],
    GetMetricDataCommand: ["cloudwatch:GetMetricData"],
    DescribeTableCommand: ["dynamodb:DescribeTable"],
    QueryCommand: ["dynamodb:Query"],
    HeadObjectCommand: ["s3:GetObject", "s3:ListBucket"],
    GetObjectCommand: ["s3:GetObject", "s3:ListBucket"],
    GetBucketReplicationCommand: ["s3:GetReplicationConfiguration"],
};
