/**
 * AWS facts the program relies on. The policy pack keeps its own copy in policy/rules/aws-facts.ts (it must load
 * without this folder: `pulumi policy publish` uploads only policy/); tests/policy/aws-facts.test.ts keeps the
 * two equal.
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
