/**
 * Exactly the IAM actions `npm run drill:status` calls. Dependency-free on purpose, so the DR operator
 * role policy in the Pulumi program can import it without loading the AWS SDK. All four are read-only.
 * Resource scoping: GetHealthCheck and GetHealthCheckStatus accept `arn:<partition>:route53:::healthcheck/<id>`,
 * ListResourceRecordSets accepts `arn:<partition>:route53:::hostedzone/<id>`, TestDNSAnswer only `"*"`.
 */
export const DRILL_STATUS_ACTIONS = [
    "route53:GetHealthCheck",
    "route53:GetHealthCheckStatus",
    "route53:ListResourceRecordSets",
    "route53:TestDNSAnswer",
] as const;

export type DrillStatusAction = (typeof DRILL_STATUS_ACTIONS)[number];
