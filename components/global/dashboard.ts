import { DYNAMODB_REPLICATION_LATENCY_PERIOD_SECONDS } from "./replication-alarms";
import { REGION_ROLES, RegionRole } from "../shared/naming";
import { ROUTE53_METRICS_REGION } from "../shared/regions";

/**
 * The CloudWatch dashboard of a stack: a row per concern, one column per region. Every line is a metric AWS
 * publishes with those dimensions (tests/metric-catalogue.test.ts runs each through the catalogue).
 */

export interface DashboardInputs {
    readonly regions: Record<RegionRole, string>;
    readonly functionNames: Record<RegionRole, string>;
    readonly apiIds: Record<RegionRole, string>;
    readonly tableName: string;
    /** The calculated (failover) checks: their status is what DNS acts on. */
    readonly healthCheckIds: Record<RegionRole, string>;
    /** The HTTPS checks of `/health`: only they report a percentage of healthy checkers. */
    readonly endpointHealthCheckIds: Record<RegionRole, string>;
    readonly buckets: Record<RegionRole, string>;
    readonly ruleId: string;
}

/** CloudWatch dashboard body: a row per concern, one column per region, every metric with its real dimensions. */
export function dashboardBody(d: DashboardInputs) {
    const widget = (x: number, y: number, title: string, region: string, metrics: unknown[][], stat = "Sum") => ({
        type: "metric",
        x,
        y,
        width: 12,
        height: 6,
        properties: { title, region, stat, period: 60, view: "timeSeries", metrics },
    });
    const widgets: unknown[] = [];
    REGION_ROLES.forEach((role, column) => {
        const region = d.regions[role];
        const other = d.regions[role === "primary" ? "secondary" : "primary"];
        const x = column * 12;
        widgets.push(
            widget(x, 0, `${role} (${region}) API requests and errors`, region, [
                ["AWS/ApiGateway", "Count", "ApiId", d.apiIds[role]],
                ["AWS/ApiGateway", "4xx", "ApiId", d.apiIds[role]],
                ["AWS/ApiGateway", "5xx", "ApiId", d.apiIds[role]],
            ]),
            widget(x, 6, `${role} (${region}) API latency p99`, region, [["AWS/ApiGateway", "Latency", "ApiId", d.apiIds[role], { stat: "p99" }]], "p99"),
            widget(x, 12, `${role} (${region}) Lambda`, region, [
                ["AWS/Lambda", "Invocations", "FunctionName", d.functionNames[role]],
                ["AWS/Lambda", "Errors", "FunctionName", d.functionNames[role]],
                ["AWS/Lambda", "Throttles", "FunctionName", d.functionNames[role]],
                ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", d.functionNames[role], { stat: "Maximum" }],
            ]),
            widget(x, 18, `${role} (${region}) table writes and replication`, region, [
                ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", d.tableName],
                ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", d.tableName],
                [
                    "AWS/DynamoDB",
                    "ReplicationLatency",
                    "TableName",
                    d.tableName,
                    "ReceivingRegion",
                    other,
                    { stat: "Average", period: DYNAMODB_REPLICATION_LATENCY_PERIOD_SECONDS },
                ],
            ]),
            widget(
                x,
                24,
                `${role} (${region}) health check`,
                ROUTE53_METRICS_REGION,
                [
                    ["AWS/Route53", "HealthCheckStatus", "HealthCheckId", d.healthCheckIds[role], { stat: "Minimum" }],
                    ["AWS/Route53", "HealthCheckPercentageHealthy", "HealthCheckId", d.endpointHealthCheckIds[role], { stat: "Average" }],
                ],
                "Minimum",
            ),
        );
    });
    widgets.push(
        widget(0, 30, "documents replication primary → secondary", d.regions.primary, [
            [
                "AWS/S3",
                "ReplicationLatency",
                "SourceBucket",
                d.buckets.primary,
                "DestinationBucket",
                d.buckets.secondary,
                "RuleId",
                d.ruleId,
                { stat: "Maximum" },
            ],
            ["AWS/S3", "OperationsFailedReplication", "SourceBucket", d.buckets.primary, "DestinationBucket", d.buckets.secondary, "RuleId", d.ruleId],
        ]),
    );
    return { widgets };
}
