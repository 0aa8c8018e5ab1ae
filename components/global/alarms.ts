import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, createAlarm, createAlertTopic, createEncryptionKey, eventRuleArn } from "../shared/alerting";
import { REPLICATION_RULE_IDS } from "./document-replication";
import type { GlobalLayerScope } from "./global-layer-args";
import { names, REGION_ROLES, RegionRole } from "../shared/naming";
import { standbyTakingPaymentsAlarmSpec } from "../regional/payment-alarm";
import { ROUTE53_METRICS_REGION } from "../shared/regions";
import { documentReplicationAlarmSpecs, tableAlarmSpecs } from "./replication-alarms";

export interface GlobalAlarmTargets {
    readonly tableName: pulumi.Output<string>;
    /** Each region's CALCULATED check: its alarm pages when DNS fails over. */
    readonly failoverCheckIds: Readonly<Record<RegionRole, pulumi.Output<string>>>;
    /** The documents replication directions (primary → secondary, and back with reverse replication). */
    readonly directions: ReadonlyArray<[RegionRole, RegionRole]>;
}

/**
 * Cross-region alarms: each region's failover check (in us-east-1), the standby taking payments, the table's
 * replication and throttles in each region, each documents replication rule. Each alarm's action is a topic in
 * the alarm's own region. Returns the Route 53 alarm topic's ARN.
 */
export function createGlobalAlarms(scope: GlobalLayerScope, t: GlobalAlarmTargets): pulumi.Output<string> {
    const { name, a, inRegion, nameOf } = scope;
    const { stacks } = a;
    const route53Topic = createRoute53AlarmTopic(scope);
    const alarm = (id: string, role: RegionRole | "route53", spec: AlarmSpec, topicArn: pulumi.Input<string>) => {
        createAlarm(
            `${name}-${id}`,
            spec,
            nameOf((ctx) => names.alarm(ctx, spec.what, role === "route53" ? undefined : role)),
            topicArn,
            inRegion(role),
        );
    };
    for (const role of REGION_ROLES) {
        alarm(
            `${role}-health-alarm`,
            "route53",
            {
                what: `health-check-${role}`,
                description: `Route 53 failover health check of the ${role} region (${stacks[role].region}) unhealthy: DNS fails over`,
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: t.failoverCheckIds[role] },
                statistic: "Minimum",
                comparison: "LessThanThreshold",
                threshold: 1,
                periodSeconds: 60,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
                treatMissingData: "breaching",
            },
            route53Topic,
        );
    }
    // The pager that survives the primary region: the standby's own payment metric, alarm and topic. Payments
    // arriving in the passive region mean traffic moved (DNS failed over, or clients gave up on the primary),
    // and all of it exists while us-east-1 (with Route 53's metrics and their alarms) is gone.
    alarm("secondary-taking-payments", "secondary", standbyTakingPaymentsAlarmSpec(stacks.secondary.region), stacks.secondary.topicArn);
    // The table's replication and throttles in each region, and each documents replication rule (replication-alarms.ts).
    for (const role of REGION_ROLES) {
        const other: RegionRole = role === "primary" ? "secondary" : "primary";
        for (const { id, spec } of tableAlarmSpecs({ tableName: t.tableName, region: stacks[role].region, receivingRegion: stacks[other].region })) {
            alarm(`${role}-${id}`, role, spec, stacks[role].topicArn);
        }
    }
    for (const [from, to] of t.directions) {
        const rule = { from, to, sourceBucket: stacks[from].bucketName, destinationBucket: stacks[to].bucketName, ruleId: REPLICATION_RULE_IDS[from] };
        for (const { id, spec } of documentReplicationAlarmSpecs(rule)) {
            alarm(`${from}-${id}`, from, spec, stacks[from].topicArn);
        }
    }
    return route53Topic;
}

/**
 * The topic for Route 53 health-check alarms, which must live in us-east-1: the regional stack's topic when one
 * region is us-east-1, else a topic of its own there, encrypted with its own key.
 */
function createRoute53AlarmTopic(scope: GlobalLayerScope): pulumi.Output<string> {
    const { name, a: args, nameOf } = scope;
    const local = REGION_ROLES.find((role) => args.stacks[role].region === ROUTE53_METRICS_REGION);
    if (local) {
        return args.stacks[local].topicArn;
    }
    const opts = { parent: scope.layer, provider: args.providers.route53 };
    const identity = aws.getCallerIdentityOutput({}, opts);
    const partition = aws.getPartitionOutput({}, opts);
    const key = createEncryptionKey(
        `${name}-route53-alerts-key`,
        {
            region: ROUTE53_METRICS_REGION,
            description: `payments-dr ${args.envLabel}: Route 53 health-check alarm topic`,
            deletionWindowDays: args.kmsDeletionWindowDays,
            accountId: identity.accountId,
            partition: partition.partition,
        },
        opts,
    );
    return createAlertTopic(
        `${name}-route53-alerts`,
        {
            topicName: nameOf((ctx) => names.alertsTopic(ctx, "route53")),
            keyArn: key.arn,
            accountId: identity.accountId,
            alarmEmail: args.alarmEmail,
            eventRuleArns: pulumi
                .all([args.route53AlertEventRuleNames, identity.accountId, partition.partition])
                .apply(([ruleNames, accountId, p]) => ruleNames.map((rule) => eventRuleArn(p, ROUTE53_METRICS_REGION, accountId, rule))),
        },
        opts,
    ).arn;
}
