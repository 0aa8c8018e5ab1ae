import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionalKeyPolicy } from "./key-policy";
import { alarmTopicPolicy } from "./resource-policies";

export interface EncryptionKeyArgs {
    readonly region: string;
    readonly description: string;
    readonly deletionWindowDays: number;
    readonly accountId: pulumi.Input<string>;
    readonly partition: pulumi.Input<string>;
    /** Services beyond the default key users (see `regionalKeyPolicy`). */
    readonly extraServices?: readonly string[];
}

/** A rotating customer-managed key with the regional key policy (services by principal, the account by root). */
export function createEncryptionKey(name: string, a: EncryptionKeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    return new aws.kms.Key(
        name,
        {
            description: a.description,
            enableKeyRotation: true,
            deletionWindowInDays: a.deletionWindowDays,
            policy: pulumi
                .all([a.accountId, a.partition])
                .apply(([accountId, partition]) =>
                    JSON.stringify(regionalKeyPolicy({ accountId, region: a.region, partition, extraServices: a.extraServices })),
                ),
        },
        opts,
    );
}

export interface AlertTopicArgs {
    readonly topicName: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    /** Subscribed by e-mail when set; personal data, so a secret Output (the program marks it secret). */
    readonly alarmEmail?: pulumi.Input<string>;
    /** ARNs of the EventBridge rules that may publish to the topic (failover-events.ts); none by default. */
    readonly eventRuleArns?: pulumi.Input<string[]>;
}

/**
 * An SNS topic for alarms, encrypted with the given key (whose policy lets CloudWatch use it), that only this
 * account's CloudWatch alarms may publish to. Alarm actions must be a topic in the alarm's own region.
 */
export function createAlertTopic(name: string, a: AlertTopicArgs, opts: pulumi.CustomResourceOptions): aws.sns.Topic {
    const topic = new aws.sns.Topic(name, { name: a.topicName, kmsMasterKeyId: a.keyArn }, opts);
    new aws.sns.TopicPolicy(
        `${name}-policy`,
        {
            arn: topic.arn,
            policy: pulumi
                .all([topic.arn, a.accountId, a.eventRuleArns ?? []])
                .apply(([arn, id, ruleArns]) => JSON.stringify(alarmTopicPolicy(arn, id, ruleArns))),
        },
        opts,
    );
    if (a.alarmEmail) {
        new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: a.alarmEmail }, opts);
    }
    return topic;
}

/** What every alarm of this program shares: compare, treat missing data as fine, notify the topic both ways. */
export interface AlarmSpec {
    readonly what: string;
    readonly description: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, pulumi.Input<string>>;
    readonly statistic?: string;
    readonly extendedStatistic?: string;
    readonly unit?: string;
    readonly comparison?: "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
    readonly threshold: number;
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    /** Defaults to notBreaching; health-check alarms use breaching (no data from a check is bad news). */
    readonly treatMissingData?: string;
}

export function createAlarm(
    name: string,
    spec: AlarmSpec,
    alarmName: pulumi.Input<string>,
    topicArn: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            name: alarmName,
            alarmDescription: spec.description,
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            statistic: spec.statistic,
            extendedStatistic: spec.extendedStatistic,
            unit: spec.unit,
            comparisonOperator: spec.comparison ?? "GreaterThanOrEqualToThreshold",
            threshold: spec.threshold,
            period: spec.periodSeconds,
            evaluationPeriods: spec.evaluationPeriods,
            datapointsToAlarm: spec.datapointsToAlarm,
            treatMissingData: spec.treatMissingData ?? "notBreaching",
            alarmActions: [topicArn],
            okActions: [topicArn],
        },
        opts,
    );
}

/** A rule on the default event bus (alarm topics name the rules that may publish to them by ARN). */
export function eventRuleArn(partition: string, region: string, accountId: string, ruleName: string): string {
    return `arn:${partition}:events:${region}:${accountId}:rule/${ruleName}`;
}
