import { policyDocument, PolicyDocument, PolicyStatement } from "../shared/iam";

/** The regional functions' roles: exactly what each function's code calls, on exactly this region's resources. */

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
    /** What an optional part running in the function's process adds (game days' FIS extension, fault-injection.ts). */
    readonly extraStatements?: readonly PolicyStatement[];
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
        // The fence reads the takeover authority: granted by components/takeover/authority-store.ts.
        // E.g. the FIS extension, which runs in the function's process with its role (components/resilience/fault-injection.ts).
        ...(a.extraStatements ?? []),
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
