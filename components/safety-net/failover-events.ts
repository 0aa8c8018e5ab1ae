import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NamedLogGroup } from "../shared/log-groups";
import { fitName, NameContext, names, REGION_ROLES, RegionRole } from "../shared/naming";
import type { RegionalStack } from "../regional/regional-stack";
import { ROUTE53_METRICS_REGION } from "../shared/regions";

/** The settings the rules depend on (a program of its own passes just these). */
export interface FailoverEventSettings {
    /** The stack's name label (`prod`, `dev-alice`), in rule names and messages. */
    readonly envLabel: string;
    /** Whether documents also replicate from the secondary back to the primary (rules in both regions then). */
    readonly reverseReplication: boolean;
}
/** Where rules live: a region of the stack, or us-east-1 for the health-check alarms when neither region is there. */
export type EventSite = RegionRole | "route53";

/**
 * The naming contract for "failover is happening" alarms added by other parts of the stack (the standby's paging
 * alarm, the takeover signal): an alarm named `failover-<what>-<role>-<env>-<suffix>` (`names.alarm(ctx,
 * "failover-<what>", role)`) in either region is routed by that region's rule without changing this file.
 */
export const FAILOVER_ALARM_PREFIX = "failover-";

/** EventBridge rule names are at most 64 characters. */
const RULE_NAME_LIMIT = 64;

/** One EventBridge rule: what it matches and the readable message it sends to the region's alarm topic. */
export interface EventRuleSpec {
    /** Logical and physical name part, e.g. `dr-alarms`. */
    readonly what: string;
    readonly description: string;
    name(ctx: NameContext): string;
    pattern(ctx: NameContext): Record<string, unknown>;
    /** Input transformer paths, and the text they fill (`<path name>` placeholders). */
    readonly inputPaths: Readonly<Record<string, string>>;
    readonly message: string;
}

/** The alarms of this stack whose state changes mean failover or data at risk, as seen from `site`. */
function routedAlarmNames(settings: FailoverEventSettings, site: EventSite, region: string, ctx: NameContext): unknown[] {
    const exact: string[] = [];
    if (region === ROUTE53_METRICS_REGION) {
        // Route 53 health-check alarms exist only in us-east-1 (global-layer.ts names them this way).
        exact.push(...REGION_ROLES.map((role) => names.alarm(ctx, `health-check-${role}`)));
    }
    if (site === "route53") {
        return exact;
    }
    exact.push(names.alarm(ctx, "dynamodb-replication-latency", site));
    if (site === "primary" || settings.reverseReplication) {
        exact.push(names.alarm(ctx, "s3-replication-latency", site), names.alarm(ctx, "s3-replication-failed", site));
    }
    // `failover-*-<role>-<env>-<suffix>`: the tail is what names.alarm appends to a `what`.
    const tail = names.alarm(ctx, "x", site).slice(2);
    return [...exact, { wildcard: `${FAILOVER_ALARM_PREFIX}*-${tail}` }];
}

/**
 * The rules of one site. S3 publishes no replication-failure events to EventBridge (only to SQS, SNS and Lambda
 * notifications: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-mapping-troubleshooting.html), so
 * replication failures arrive through the state changes of the `s3-replication-failed` alarm (the
 * `OperationsFailedReplication` metric); the buckets' EventBridge notifications carry deletes, which replication
 * copies to the other region within minutes.
 */
export function failoverEventRules(settings: FailoverEventSettings, site: EventSite, region: string): EventRuleSpec[] {
    const label = `payments-dr ${settings.envLabel}`;
    const rules: EventRuleSpec[] = [
        {
            what: "dr-alarms",
            description: `${label}: failover, health-check and replication alarms changing state (${site}, ${region})`,
            name: (ctx) => fitName(`dr-alarms-${site}`, ctx, RULE_NAME_LIMIT),
            pattern: (ctx) => ({
                source: ["aws.cloudwatch"],
                "detail-type": ["CloudWatch Alarm State Change"],
                detail: { alarmName: routedAlarmNames(settings, site, region, ctx) },
            }),
            inputPaths: {
                alarm: "$.detail.alarmName",
                state: "$.detail.state.value",
                previous: "$.detail.previousState.value",
                reason: "$.detail.state.reason",
                description: "$.detail.configuration.description",
                region: "$.region",
                time: "$.time",
            },
            message:
                `${label}: alarm <alarm> is now <state> (was <previous>) in <region> at <time>. <description>. ` +
                "Reason: <reason>. Runbook: README, Failover runbook.",
        },
    ];
    if (site !== "route53") {
        rules.push({
            what: "documents-deleted",
            description: `${label}: a document deleted from the ${site} bucket (${region}); replication copies deletes`,
            name: (ctx) => fitName(`documents-deleted-${site}`, ctx, RULE_NAME_LIMIT),
            pattern: (ctx) => ({
                source: ["aws.s3"],
                "detail-type": ["Object Deleted"],
                // Lifecycle expirations of old versions are routine; a DeleteObject on receipts is not.
                detail: { bucket: { name: [names.documentsBucket(ctx, site)] }, reason: ["DeleteObject"] },
            }),
            inputPaths: {
                bucket: "$.detail.bucket.name",
                key: "$.detail.object.key",
                kind: "$.detail.deletion-type",
                requester: "$.detail.requester",
                region: "$.region",
                time: "$.time",
            },
            message:
                `${label}: s3://<bucket>/<key> was deleted (<kind>) in <region> at <time> by <requester>. Replication copies ` +
                "the delete to the other region: restore the previous version (aws s3api list-object-versions) or from AWS Backup.",
        });
    }
    return rules;
}

/** Names of the rules that publish to `site`'s topic (in `region`): its topic policy allows exactly these. */
export function failoverEventRuleNames(settings: FailoverEventSettings, site: EventSite, region: string, ctx: NameContext): string[] {
    return failoverEventRules(settings, site, region).map((rule) => rule.name(ctx));
}

/** The readable message as an input template: a JSON string, which SNS delivers as plain text. */
export function messageTemplate(message: string): string {
    return JSON.stringify(message);
}

export interface FailoverEventsArgs {
    /** What the rules read of the stack: its name label, whether documents replicate back, the log retention. */
    readonly settings: FailoverEventSettings & { readonly logRetentionDays: number };
    readonly nameSuffix: pulumi.Input<string>;
    readonly stacks: Readonly<Record<RegionRole, RegionalStack>>;
    /** Each region's provider, plus one for us-east-1 (the Route 53 metrics region). */
    readonly providers: Readonly<Record<RegionRole | "route53", aws.Provider>>;
    /** The topic of the Route 53 health-check alarms in us-east-1 (the GlobalLayer's). */
    readonly route53TopicArn: pulumi.Input<string>;
}

/**
 * EventBridge rules in each region that turn failover, health-check and replication alarm state changes and
 * document deletes into a readable message on that region's alarm topic, and keep every matched event in an
 * encrypted log group of the region (the record of when failover started and ended). The topics' policies allow
 * exactly these rules (`failoverEventRuleNames`, given to the topics' creators).
 */
export class FailoverEvents extends pulumi.ComponentResource {
    /** The events log group of each region, for the log archive. */
    public readonly logGroups: Record<RegionRole, NamedLogGroup[]>;
    /** Rule ARNs by site. */
    public readonly ruleArns: Partial<Record<EventSite, pulumi.Output<string>[]>>;

    constructor(name: string, args: FailoverEventsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:index:FailoverEvents (issue 22 moved it): the alias keeps existing stacks' resources.
        super(
            "payments-dr:safety-net:FailoverEvents",
            name,
            {},
            { ...opts, aliases: [{ type: "payments-dr:index:FailoverEvents" }, ...(opts?.aliases ?? [])] },
        );
        const { settings, stacks, providers } = args;
        const ctxOf = pulumi.output(args.nameSuffix).apply((suffix): NameContext => ({ envLabel: settings.envLabel, suffix }));
        this.logGroups = { primary: [], secondary: [] };
        this.ruleArns = {};

        const sites: EventSite[] = REGION_ROLES.some((role) => stacks[role].region === ROUTE53_METRICS_REGION)
            ? [...REGION_ROLES]
            : [...REGION_ROLES, "route53"];
        for (const site of sites) {
            const region = site === "route53" ? ROUTE53_METRICS_REGION : stacks[site].region;
            const inRegion = { parent: this, provider: providers[site] };
            const topicArn = site === "route53" ? args.route53TopicArn : stacks[site].topicArn;

            // The record of every matched event (raw JSON), in the region's own encrypted log group.
            let logGroup: aws.cloudwatch.LogGroup | undefined;
            if (site !== "route53") {
                // The bucket's object events (deletes among them) go to the region's default bus. A bucket has one
                // notification configuration: anything else that needs one must be added here.
                new aws.s3.BucketNotification(`${name}-${site}-documents-events`, { bucket: stacks[site].bucketName, eventbridge: true }, inRegion);
                logGroup = new aws.cloudwatch.LogGroup(
                    `${name}-${site}-log`,
                    {
                        name: ctxOf.apply((ctx) => `/aws/events/${fitName(`payments-dr-events-${site}`, ctx, 200)}`),
                        retentionInDays: settings.logRetentionDays,
                        kmsKeyId: stacks[site].keyArn,
                    },
                    inRegion,
                );
                this.logGroups[site].push({ logicalName: `${name}-${site}-log`, logGroup });
            }

            const rules = failoverEventRules(settings, site, region).map((spec) => {
                const rule = new aws.cloudwatch.EventRule(
                    `${name}-${site}-${spec.what}`,
                    {
                        name: ctxOf.apply((ctx) => spec.name(ctx)),
                        description: spec.description,
                        eventPattern: ctxOf.apply((ctx) => JSON.stringify(spec.pattern(ctx))),
                    },
                    inRegion,
                );
                new aws.cloudwatch.EventTarget(
                    `${name}-${site}-${spec.what}-topic`,
                    {
                        rule: rule.name,
                        arn: topicArn,
                        inputTransformer: { inputPaths: { ...spec.inputPaths }, inputTemplate: messageTemplate(spec.message) },
                    },
                    inRegion,
                );
                if (logGroup) {
                    new aws.cloudwatch.EventTarget(`${name}-${site}-${spec.what}-log`, { rule: rule.name, arn: logGroup.arn }, inRegion);
                }
                return rule;
            });
            this.ruleArns[site] = rules.map((r) => r.arn);

            if (logGroup) {
                // EventBridge writes to CloudWatch Logs under a resource policy; only these rules may.
                new aws.cloudwatch.LogResourcePolicy(
                    `${name}-${site}-log-policy`,
                    {
                        policyName: ctxOf.apply((ctx) => fitName(`payments-dr-events-${site}`, ctx, 255)),
                        policyDocument: pulumi
                            .all([logGroup.arn, ...rules.map((r) => r.arn)])
                            .apply(([logGroupArn, ...ruleArns]) => JSON.stringify(eventsLogPolicy(logGroupArn, ruleArns))),
                    },
                    inRegion,
                );
            }
        }

        this.registerOutputs({ ruleArns: this.ruleArns });
    }
}

/** CloudWatch Logs resource policy: EventBridge may write to the events log group, for these rules only. */
export function eventsLogPolicy(logGroupArn: string, ruleArns: readonly string[]) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EventBridgeRulesWriteEvents",
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${logGroupArn}:*`,
                Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns] } },
            },
        ],
    };
}
