/**
 * Every metric the program alarms on or charts, as AWS documents it (or, for our own namespaces, as the code emits
 * it), and the check that runs an alarm, a dashboard line or an alarm-type health check through it. A metric is
 * namespace + name + the exact set of dimension names: an alarm on any other combination gets no data, forever.
 */

export interface CatalogueEntry {
    readonly namespace: string;
    readonly metric: string;
    /** Each dimension-name set the metric is published with (sorted). */
    readonly dimensionSets: readonly (readonly string[])[];
    /** The CloudWatch unit of its datapoints. */
    readonly unit: string;
    /** Seconds between datapoints: an alarm's period must be a multiple, or it evaluates empty periods. */
    readonly granularitySeconds: number;
    /** Where the metric is published: `resource` (the region of what it measures) or one fixed region. */
    readonly region: "resource" | "us-east-1";
    /** Where it comes from: AWS, the handlers' embedded metric format, PutMetricData by our scripts, or a log metric filter. */
    readonly source: "aws" | "emf" | "put-metric-data" | "metric-filter";
    readonly doc: string;
}

const LAMBDA_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html";
const HTTP_API_DOC = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html";
const DYNAMODB_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html";
const S3_REPLICATION_DOC = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html";
const ROUTE53_DOC = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html";
const AURORA_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html";
const BACKUP_DOC = "https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html";
const SYNTHETICS_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_metrics.html";
const SQS_DOC = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html";

const LAMBDA_DIMENSIONS = [["FunctionName"], ["FunctionName", "Resource"], ["ExecutedVersion", "FunctionName"]];
const HTTP_API_DIMENSIONS = [["ApiId"], ["ApiId", "Stage"], ["ApiId", "Method", "Resource", "Stage"]];

function aws(namespace: string, metric: string, dimensionSets: string[][], unit: string, granularitySeconds: number, doc: string): CatalogueEntry {
    return { namespace, metric, dimensionSets, unit, granularitySeconds, region: "resource", source: "aws", doc };
}

export const METRIC_CATALOGUE: readonly CatalogueEntry[] = [
    ...["Invocations", "Errors", "Throttles"].map((m) => aws("AWS/Lambda", m, LAMBDA_DIMENSIONS, "Count", 60, LAMBDA_DOC)),
    ...["Duration", "IteratorAge"].map((m) => aws("AWS/Lambda", m, LAMBDA_DIMENSIONS, "Milliseconds", 60, LAMBDA_DOC)),
    // Per function only for functions with reserved concurrency; for the account and per Resource otherwise.
    aws("AWS/Lambda", "ConcurrentExecutions", [[], ["FunctionName"], ["FunctionName", "Resource"]], "Count", 60, LAMBDA_DOC),
    // HTTP APIs publish 4xx/5xx (REST APIs 4XXError/5XXError); the method-level set only with detailed metrics.
    ...["4xx", "5xx", "Count"].map((m) => aws("AWS/ApiGateway", m, HTTP_API_DIMENSIONS, "Count", 60, HTTP_API_DOC)),
    ...["Latency", "IntegrationLatency"].map((m) => aws("AWS/ApiGateway", m, HTTP_API_DIMENSIONS, "Milliseconds", 60, HTTP_API_DOC)),
    aws("AWS/SQS", "ApproximateNumberOfMessagesVisible", [["QueueName"]], "Count", 60, SQS_DOC),
    ...["ReadThrottleEvents", "WriteThrottleEvents", "ConsumedWriteCapacityUnits"].map((m) =>
        aws("AWS/DynamoDB", m, [["TableName"], ["GlobalSecondaryIndexName", "TableName"]], "Count", 60, DYNAMODB_DOC),
    ),
    // Not in the DynamoDB guide's list of one-minute metrics: "For all other DynamoDB metrics, the aggregation
    // granularity is five minutes."
    aws("AWS/DynamoDB", "ReplicationLatency", [["ReceivingRegion", "TableName"]], "Milliseconds", 300, DYNAMODB_DOC),
    aws("AWS/S3", "ReplicationLatency", [["DestinationBucket", "RuleId", "SourceBucket"]], "Seconds", 60, S3_REPLICATION_DOC),
    aws("AWS/S3", "OperationsFailedReplication", [["DestinationBucket", "RuleId", "SourceBucket"]], "Count", 60, S3_REPLICATION_DOC),
    { ...aws("AWS/Route53", "HealthCheckStatus", [["HealthCheckId"]], "None", 60, ROUTE53_DOC), region: "us-east-1" },
    { ...aws("AWS/Route53", "HealthCheckPercentageHealthy", [["HealthCheckId"]], "Percent", 60, ROUTE53_DOC), region: "us-east-1" },
    ...["AuroraGlobalDBReplicationLag", "AuroraGlobalDBRPOLag"].map((m) => aws("AWS/RDS", m, [["DBClusterIdentifier"]], "Milliseconds", 60, AURORA_DOC)),
    ...["NumberOfBackupJobsFailed", "NumberOfCopyJobsFailed"].map((m) =>
        aws("AWS/Backup", m, [["BackupVaultName"], ["BackupVaultName", "ResourceType"]], "Count", 300, BACKUP_DOC),
    ),
    aws("CloudWatchSynthetics", "SuccessPercent", [["CanaryName"], ["CanaryName", "StepName"]], "Percent", 60, SYNTHETICS_DOC),
    // Ours. Checked against what the code emits (tests/metric-catalogue.test.ts), not against a document.
    {
        ...aws("PaymentsDR", "PaymentFailed", [["Region"]], "Count", 60, "contracts/payment-metrics.ts"),
        source: "emf",
    },
    {
        ...aws("PaymentsDR", "CrossRegionConflicts", [["TableName"]], "Count", 60, "contracts/payment-metrics.ts"),
        source: "emf",
    },
    {
        ...aws("PaymentsDR/Failover", "TakeoverRequested", [["Stack"]], "Count", 60, "functions/takeover-switch/publish.ts"),
        source: "put-metric-data",
    },
    {
        ...aws("payments-dr/ledger", "RejectedRecords", [[]], "Count", 60, "components/ledger/projector.ts"),
        source: "metric-filter",
    },
];

/** One use of a metric: an alarm, a dashboard line, or the alarm behind a health check. */
export interface MetricUse {
    readonly what: string;
    readonly namespace: string;
    readonly metric: string;
    readonly dimensions: readonly string[];
    readonly unit?: string;
    readonly periodSeconds: number;
    readonly region?: string;
}

/** What is wrong with a use of a metric, in words (empty: it will get data). */
export function metricUseProblems(use: MetricUse, catalogue: readonly CatalogueEntry[] = METRIC_CATALOGUE): string[] {
    const entry = catalogue.find((e) => e.namespace === use.namespace && e.metric === use.metric);
    if (!entry) {
        const sameName = catalogue.filter((e) => e.metric === use.metric).map((e) => e.namespace);
        return [
            `${use.what}: ${use.namespace} ${use.metric} is not in the catalogue${sameName.length > 0 ? ` (${use.metric} exists in ${sameName.join(", ")})` : ""}`,
        ];
    }
    const problems: string[] = [];
    const dims = [...use.dimensions].sort();
    if (!entry.dimensionSets.some((set) => set.length === dims.length && set.every((d, i) => d === dims[i]))) {
        problems.push(
            `${use.what}: ${use.namespace} ${use.metric} has no dimension set [${dims.join(", ")}]; it is published with ` +
                entry.dimensionSets.map((set) => `[${set.join(", ")}]`).join(" or "),
        );
    }
    if (use.unit !== undefined && use.unit !== entry.unit) {
        problems.push(`${use.what}: ${use.namespace} ${use.metric} is in ${entry.unit}, not ${use.unit} (an alarm with another unit gets no data)`);
    }
    if (use.periodSeconds % entry.granularitySeconds !== 0) {
        problems.push(`${use.what}: period ${use.periodSeconds} s, but ${use.metric} has a datapoint every ${entry.granularitySeconds} s`);
    }
    if (entry.region !== "resource" && use.region !== undefined && use.region !== entry.region) {
        problems.push(`${use.what}: ${use.namespace} ${use.metric} is published only in ${entry.region}, not ${use.region}`);
    }
    return problems;
}
