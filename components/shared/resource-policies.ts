import { policyDocument, PolicyDocument, PolicyStatement } from "./iam";

/** Resource policies of the regional stores: the buckets' TLS-only policy and the alarm topics' policy. */

/** Denies any request that is not TLS 1.2+ on the bucket and its objects. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    const resources = [bucketArn, `${bucketArn}/*`];
    return policyDocument(
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    );
}

/**
 * Topic policy: only this account's CloudWatch alarms, and exactly the EventBridge rules named in `eventRuleArns`,
 * may publish; the account keeps administration.
 */
export function alarmTopicPolicy(topicArn: string, accountId: string, eventRuleArns: readonly string[] = []): PolicyDocument {
    const fromRules: PolicyStatement[] =
        eventRuleArns.length === 0
            ? []
            : [
                  {
                      Sid: "EventBridgeRulesPublish",
                      Effect: "Allow",
                      Principal: { Service: "events.amazonaws.com" },
                      Action: "sns:Publish",
                      Resource: topicArn,
                      Condition: { ArnEquals: { "aws:SourceArn": [...eventRuleArns] } },
                  },
              ];
    return policyDocument(
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
        ...fromRules,
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    );
}
