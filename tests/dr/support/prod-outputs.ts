/**
 * The outputs of a prod stack as `pulumi stack output --json` prints them, the DR commands' input in the DR tests
 * (names as the stack would make them, suffix abc123).
 */
export const PRIMARY = "us-east-1";
export const STANDBY = "us-west-2";

export const PROD_OUTPUTS = {
    primaryRegion: PRIMARY,
    secondaryRegion: STANDBY,
    transactionsTableName: "transactions-table-prod-abc123",
    primaryBucketName: "documents-primary-prod-abc123",
    secondaryBucketName: "documents-secondary-prod-abc123",
    failoverDnsName: "api.payments-dr.acme-pay.net",
    domainMode: "custom-domain",
    primaryApiEndpoint: "https://p1.execute-api.us-east-1.amazonaws.com",
    secondaryApiEndpoint: "https://s2.execute-api.us-west-2.amazonaws.com",
    takeoverSignal: {
        region: STANDBY,
        namespace: "PaymentsDR/Failover",
        metricName: "TakeoverRequested",
        dimensions: { Stack: "prod-abc123" },
        alarmName: "takeover-signal-prod-abc123",
        alarmArn: `arn:aws:cloudwatch:${STANDBY}:123456789012:alarm:takeover-signal-prod-abc123`,
        periodSeconds: 60,
    },
    takeoverAuthority: {
        region: STANDBY,
        tableName: "takeover-authority-prod-abc123",
        tableArn: `arn:aws:dynamodb:${STANDBY}:123456789012:table/takeover-authority-prod-abc123`,
    },
    reverseReplication: true,
    replicationRuleIds: { primary: "documents-primary-to-secondary", secondary: "documents-secondary-to-primary" },
    dayIndexName: "createdAt-by-day",
    takeoverObjectives: { alarmSeconds: 120, fencedSeconds: 122, route53Seconds: 150, clientsSeconds: 180 },
    operatorRoleArn: "arn:aws:iam::123456789012:role/dr-operator-prod-abc123",
};
