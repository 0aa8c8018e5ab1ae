/**
 * AWS facts that both the program and the policy pack rely on. They live in the pack, which must load on its
 * own (`pulumi policy publish` uploads only this folder); the program's components re-export them.
 */

/**
 * Actions that AWS offers no resource-level permission for: the only actions that may be allowed on
 * `Resource: "*"` in the program (and in the pack's check).
 */
export const WILDCARD_RESOURCE_ACTIONS: readonly string[] = [
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "route53:TestDNSAnswer",
    // Lambda's event source mapping and VPC networking (the ledger projectors) call these; none takes a resource.
    "dynamodb:ListStreams",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    // The takeover signal (PutMetricData, namespace-conditioned) and failback's replication metrics.
    "cloudwatch:PutMetricData",
    "cloudwatch:GetMetricData",
    // The game days' FIS role (components/resilience/game-day-iam.ts): target resolution, the S3 pause's bucket listing,
    // the strongly consistent table's InjectError (narrowed by its FIS condition keys) and vended-log delivery.
    "tag:GetResources",
    "s3:ListAllMyBuckets",
    "dynamodb:InjectError",
    "logs:CreateLogDelivery",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

/** Route 53 publishes health-check metrics only in this region; alarms on them must live here too. */
export const ROUTE53_METRICS_REGION = "us-east-1";
