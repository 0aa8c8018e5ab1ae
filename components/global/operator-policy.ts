import { RECEIPTS_PREFIX } from "../regional/function-policies";
import { policyDocument, PolicyDocument, PolicyStatement } from "../shared/iam";

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
    /** What failover, failback, reconcile and ledger:check call (components/takeover/dr-script-actions.ts). */
    readonly scriptActions: readonly string[];
    /** Each region's customer-managed key (that region's table replica and bucket use it). */
    readonly tableKeys: readonly { readonly region: string; readonly keyArn: string }[];
    /** The stack's partition (every ARN in the policy is built in it). */
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
