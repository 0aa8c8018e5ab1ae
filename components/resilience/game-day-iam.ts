/**
 * What the game-day experiments (AWS FIS) do and what their role may do, as data: the FIS action ids, their
 * parameters and the IAM actions each one needs, from the AWS FIS User Guide's actions reference
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html) and its IAM policy examples
 * (security_iam_id-based-policy-examples.html, "Use condition keys for aws:s3:bucket-pause-replication").
 * Pure: the component and the tests share it.
 */
import { faultConfigWriteStatements } from "./fault-injection-iam";
import { policyDocument, PolicyDocument, PolicyStatement } from "../shared/iam";

/**
 * Pauses replication into and out of the target replica (the table in the experiment's region): FIS adds a
 * time-limited Deny for DynamoDB's replication role to the table's (and, eventually consistent, its stream's)
 * resource policy. Resource type `aws:dynamodb:global-table`, target key `Tables`, parameter `duration`.
 */
export const PAUSE_TABLE_REPLICATION = "aws:dynamodb:global-table-pause-replication";
/**
 * Pauses replication from the target buckets (in the experiment's region) toward `region`. Resource type
 * `aws:s3:bucket`, target key `Buckets`, parameters `duration`, `region` and (optional) `destinationBuckets`.
 * "This action only supports targeting by tags": the template selects the bucket by its `Name` tag.
 */
export const PAUSE_BUCKET_REPLICATION = "aws:s3:bucket-pause-replication";

/**
 * Fail or slow the transaction processor's invocations through the FIS Lambda extension (resource type
 * `aws:lambda:function`, target key `Functions`; parameters `duration`, `invocationPercentage`, and
 * `preventExecution` or `startupDelayMilliseconds`). Both need the extension on the function
 * (components/resilience/fault-injection-iam.ts) and, for the role, s3:PutObject/DeleteObject on the fault configurations,
 * lambda:GetFunction and tag:GetResources (FIS actions reference, "AWS Lambda actions").
 */
export const LAMBDA_INVOCATION_ERROR = "aws:lambda:invocation-error";
export const LAMBDA_INVOCATION_DELAY = "aws:lambda:invocation-add-delay";
/**
 * The injected delay: above the API's 1 s p99 target (its latency alarm fires), well below the processor's
 * timeout, so payments are slow but succeed and the region must NOT fail over.
 */
export const INJECTED_DELAY_MS = 1_500;

/**
 * How long each pause lasts. DynamoDB may keep replicating for up to 5 minutes after the action starts, so a
 * 15-minute pause gives at least 10 minutes of real lag (the replication-latency alarm fires at 60 s). S3 keeps
 * replicating objects already in flight; 30 minutes leaves the failback gates and `npm run reconcile` real
 * pending receipts to find. FIS bills per action-minute: these figures are the cost of a game day (README).
 */
export const GAME_DAY_DURATION_MINUTES = { table: 15, bucket: 30, processorErrors: 15, processorLatency: 10 } as const;

/** ISO 8601 duration, as FIS takes it (`PT15M`). */
export function isoMinutes(minutes: number): string {
    return `PT${minutes}M`;
}

export interface GameDayPolicyArgs {
    /** The standby's table replica: the DynamoDB experiment's only target. */
    readonly replicaArn: string;
    /** Multi-Region strong consistency: FIS then also needs `dynamodb:InjectError`. */
    readonly strongConsistency: boolean;
    /** The primary's documents bucket: the S3 experiment's only target (source of the rule toward the standby). */
    readonly sourceBucketArn: string;
    /** Where the paused rule replicates to (the standby region). */
    readonly destinationRegion: string;
    /** The primary's processor and its fault-configuration bucket (and that bucket's key and region), for the Lambda faults. */
    readonly processor: { readonly functionArn: string; readonly faultConfigBucketArn: string; readonly keyArn: string; readonly region: string };
}

/**
 * The FIS experiment role's policy: exactly the actions of the two pauses and the two Lambda faults, on this stack's
 * table replica, bucket, processor and fault-configuration bucket.
 */
export function gameDayPolicy(a: GameDayPolicyArgs): PolicyDocument {
    const statements: PolicyStatement[] = [
        // aws:dynamodb:global-table-pause-replication: DescribeTable, Get/Put/DeleteResourcePolicy (table and stream
        // policies), tag:GetResources; dynamodb:InjectError only for strongly consistent tables.
        { Sid: "ReadStandbyReplica", Effect: "Allow", Action: "dynamodb:DescribeTable", Resource: a.replicaArn },
        {
            Sid: "PauseStandbyReplication",
            Effect: "Allow",
            Action: ["dynamodb:GetResourcePolicy", "dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy"],
            Resource: [a.replicaArn, `${a.replicaArn}/stream/*`],
        },
    ];
    if (a.strongConsistency) {
        statements.push({
            Sid: "PauseStrongReplica",
            Effect: "Allow",
            Action: "dynamodb:InjectError",
            Resource: "*",
            Condition: {
                StringEquals: { "dynamodb:FisActionId": PAUSE_TABLE_REPLICATION },
                "ForAllValues:ArnEquals": { "dynamodb:FisTargetArns": [a.replicaArn] },
            },
        });
    }
    statements.push(
        // aws:s3:bucket-pause-replication, as AWS's example policy scopes it: PauseReplication toward one region,
        // Get/PutReplicationConfiguration only in a pause request (BoolIfExists: GetReplicationConfiguration
        // carries no such key).
        {
            Sid: "PauseDocumentsReplication",
            Effect: "Allow",
            Action: "s3:PauseReplication",
            Resource: a.sourceBucketArn,
            Condition: { StringEquals: { "s3:DestinationRegion": a.destinationRegion } },
        },
        {
            Sid: "ReadWriteReplicationForPause",
            Effect: "Allow",
            Action: ["s3:GetReplicationConfiguration", "s3:PutReplicationConfiguration"],
            Resource: a.sourceBucketArn,
            Condition: { BoolIfExists: { "s3:IsReplicationPauseRequest": "true" } },
        },
        // aws:lambda:invocation-error / -add-delay: read the function's configuration (to find its fault-configuration
        // location), then write and remove the fault configuration there; the bucket is on the region's key.
        { Sid: "ReadTargetProcessor", Effect: "Allow", Action: "lambda:GetFunction", Resource: [a.processor.functionArn, `${a.processor.functionArn}:*`] },
        ...faultConfigWriteStatements(a.processor.faultConfigBucketArn),
        {
            Sid: "EncryptFaultConfigurations",
            Effect: "Allow",
            Action: "kms:GenerateDataKey",
            Resource: a.processor.keyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${a.processor.region}.amazonaws.com` } },
        },
        // No resource-level permissions for these (Service Authorization Reference; the pack's WILDCARD_RESOURCE_ACTIONS):
        // target resolution, the S3 pause's bucket listing, and vended-log delivery to the experiment log groups
        // ("Logs sent to CloudWatch Logs", CloudWatch Logs User Guide).
        { Sid: "ResolveTargets", Effect: "Allow", Action: ["tag:GetResources", "s3:ListAllMyBuckets"], Resource: "*" },
        {
            Sid: "DeliverExperimentLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
            Resource: "*",
        },
    );
    return policyDocument(...statements);
}
