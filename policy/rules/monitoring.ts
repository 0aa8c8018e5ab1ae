/**
 * Monitoring and failover (stack-level): alarms that can notify someone (a topic in their own region),
 * Route 53 health-check alarms where the metrics are (us-east-1), a real DNS failover pair with health checks,
 * the full alarm set in every region that runs the application, and replication alarms with the dimensions
 * that make CloudWatch actually publish data for them.
 */
import { ROUTE53_METRICS_REGION } from "./aws-facts";
import { REPLICATION_TYPE } from "./s3";
import { TABLE_TYPE } from "./dynamodb";
import { FUNCTION_TYPE } from "./lambda";
import { at, isSet, isUnknown, list, num, obj, parseArn, ResourceView, StackRule, str } from "./view";

export const ALARM_TYPES = ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"];
export const METRIC_ALARM_TYPE = "aws:cloudwatch/metricAlarm:MetricAlarm";
export const RECORD_TYPE = "aws:route53/record:Record";
export const HEALTH_CHECK_TYPE = "aws:route53/healthCheck:HealthCheck";
/** Failover records with a longer TTL keep clients on a dead region after failover. */
export const MAX_FAILOVER_TTL_SECONDS = 60;

export interface AlarmMetric {
    readonly namespace?: string;
    readonly metricName?: string;
    readonly dimensions: Readonly<Record<string, unknown>>;
}

/** The metrics an alarm watches: its own metric, or each metric of its metric-math queries. */
export function alarmMetrics(alarm: ResourceView): AlarmMetric[] {
    const p = alarm.props;
    const metrics: AlarmMetric[] = [];
    if (isSet(p.metricName)) {
        metrics.push({ namespace: str(p.namespace), metricName: str(p.metricName), dimensions: obj(p.dimensions) ?? {} });
    }
    for (const query of list(p.metricQueries)) {
        const m = obj(at(query, "metric"));
        if (m) {
            metrics.push({ namespace: str(m.namespace), metricName: str(m.metricName), dimensions: obj(m.dimensions) ?? {} });
        }
    }
    return metrics;
}

function metricAlarms(views: readonly ResourceView[]): ResourceView[] {
    return views.filter((v) => v.type === METRIC_ALARM_TYPE);
}

export const alarmActionsSameRegionSns: StackRule = {
    name: "alarm-actions-same-region-sns",
    description: "Every alarm has alarm actions, and all its actions (alarm, OK, insufficient data) are SNS topic ARNs in the alarm's own region.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const alarm of views.filter((v) => ALARM_TYPES.includes(v.type))) {
            if (!isUnknown(alarm.props.alarmActions) && list(alarm.props.alarmActions).length === 0) {
                report(`alarm ${alarm.name} has no \`alarmActions\`: it would fire and notify no one.`, alarm.urn);
            }
            for (const prop of ["alarmActions", "okActions", "insufficientDataActions"]) {
                for (const action of list(alarm.props[prop])) {
                    if (isUnknown(action)) {
                        continue;
                    }
                    const arn = parseArn(action);
                    if (!arn || arn.service !== "sns") {
                        report(`alarm ${alarm.name}: \`${prop}\` ${JSON.stringify(action)} is not an SNS topic ARN.`, alarm.urn);
                    } else if (alarm.region !== undefined && arn.region !== alarm.region) {
                        report(
                            `alarm ${alarm.name} in ${alarm.region}: \`${prop}\` ${action} is a topic in ${arn.region}; CloudWatch only notifies topics ` +
                                "in the alarm's own region: create a topic there.",
                            alarm.urn,
                        );
                    }
                }
            }
        }
    },
};

export const route53AlarmsInUsEast1: StackRule = {
    name: "route53-alarms-in-us-east-1",
    description: `Alarms on AWS/Route53 metrics are in ${ROUTE53_METRICS_REGION}, the only region Route 53 publishes health-check metrics to.`,
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const alarm of metricAlarms(views)) {
            if (alarmMetrics(alarm).some((m) => m.namespace === "AWS/Route53") && alarm.region !== undefined && alarm.region !== ROUTE53_METRICS_REGION) {
                report(
                    `alarm ${alarm.name} watches AWS/Route53 in ${alarm.region}: the metrics exist only in ${ROUTE53_METRICS_REGION}; it would never get data.`,
                    alarm.urn,
                );
            }
        }
    },
};

/** IPv4 ranges that never serve traffic: documentation, loopback, unspecified. */
const PLACEHOLDER_IP = /^(192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|127\.|0\.0\.0\.0$)/;

function failoverType(record: ResourceView): unknown {
    return at(record.props, "failoverRoutingPolicies", 0, "type");
}

export const route53FailoverPair: StackRule = {
    name: "route53-failover-pair",
    description:
        "A DNS failover pair exists: two Route 53 records with the same name and type, PRIMARY and SECONDARY, distinct setIdentifiers, each with a healthCheckId (real health checks, TTL <= 60 s, no placeholder IPs).",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const records = views.filter((v) => v.type === RECORD_TYPE && list(v.props.failoverRoutingPolicies).length > 0);
        const checks = views.filter((v) => v.type === HEALTH_CHECK_TYPE);
        const groups = new Map<string, ResourceView[]>();
        for (const r of records) {
            const key = `${str(r.props.zoneId) ?? "?"} ${str(r.props.name) ?? r.urn} ${str(r.props.type) ?? "?"}`;
            groups.set(key, [...(groups.get(key) ?? []), r]);
        }
        let pairs = 0;
        for (const group of groups.values()) {
            const types = group.map(failoverType);
            const primaries = group.filter((r) => failoverType(r) === "PRIMARY");
            const secondaries = group.filter((r) => failoverType(r) === "SECONDARY");
            if (types.some(isUnknown) || (primaries.length === 1 && secondaries.length === 1)) {
                pairs++;
            } else {
                report(
                    `failover records ${group.map((r) => r.name).join(", ")} (${str(group[0].props.name)} ${str(group[0].props.type)}) have ` +
                        `${primaries.length} PRIMARY and ${secondaries.length} SECONDARY: a pair needs exactly one of each with the same name and type.`,
                    group[0].urn,
                );
            }
            const ids = group.map((r) => r.props.setIdentifier).filter((id) => typeof id === "string");
            if (new Set(ids).size !== ids.length) {
                report(`failover records ${group.map((r) => r.name).join(", ")} share a \`setIdentifier\`: each needs its own.`, group[0].urn);
            }
        }
        if (pairs === 0) {
            report(
                'no DNS failover pair: create two aws.route53.Record with the same name and type, `failoverRoutingPolicies: [{ type: "PRIMARY" }]` ' +
                    'and `[{ type: "SECONDARY" }]`, distinct `setIdentifier`s and a `healthCheckId` each.',
            );
        }
        for (const r of records) {
            const checkId = r.props.healthCheckId;
            if (!isUnknown(checkId) && !isSet(checkId)) {
                report(`failover record ${r.name} (${str(failoverType(r)) ?? "?"}) has no \`healthCheckId\`: Route 53 cannot tell when to fail over.`, r.urn);
            }
            const ttl = num(r.props.ttl);
            if (r.props.aliases === undefined && ttl !== undefined && ttl > MAX_FAILOVER_TTL_SECONDS) {
                report(`failover record ${r.name} has TTL ${ttl} s: clients keep the dead region that long; use ${MAX_FAILOVER_TTL_SECONDS} s or less.`, r.urn);
            }
            const placeholders = list(r.props.records).filter((v) => typeof v === "string" && PLACEHOLDER_IP.test(v));
            if (placeholders.length > 0) {
                report(`failover record ${r.name} points at placeholder address ${placeholders.join(", ")}: failover would go nowhere.`, r.urn);
            }
            const check = checks.find((c) => isSet(checkId) && [c.id, c.props.id].includes(checkId));
            if (
                check &&
                str(check.props.type) === "CALCULATED" &&
                list(check.props.childHealthchecks).length === 0 &&
                !isUnknown(check.props.childHealthchecks)
            ) {
                report(`failover record ${r.name} uses CALCULATED health check ${check.name} with no children: it never reports unhealthy.`, r.urn);
            }
        }
    },
};

interface RequiredAlarm {
    readonly namespace: string;
    readonly metrics: readonly string[];
    /** Dimensions the alarm must carry for CloudWatch to publish data for it. */
    readonly dimensions?: readonly string[];
}

/** The alarms every region that runs the application (has a Lambda function) must have. */
export const REGIONAL_ALARMS: readonly RequiredAlarm[] = [
    { namespace: "AWS/Lambda", metrics: ["Errors"] },
    { namespace: "AWS/Lambda", metrics: ["Throttles"] },
    { namespace: "AWS/Lambda", metrics: ["Duration"] },
    // HTTP APIs publish "5xx", REST APIs "5XXError".
    { namespace: "AWS/ApiGateway", metrics: ["5xx", "5XXError"] },
    { namespace: "AWS/ApiGateway", metrics: ["Latency"] },
    { namespace: "AWS/SQS", metrics: ["ApproximateNumberOfMessagesVisible"] },
    { namespace: "AWS/DynamoDB", metrics: ["WriteThrottleEvents"], dimensions: ["TableName"] },
    { namespace: "AWS/DynamoDB", metrics: ["ReadThrottleEvents"], dimensions: ["TableName"] },
];

function watches(alarm: ResourceView, namespace: string, metrics: readonly string[]): AlarmMetric[] {
    return alarmMetrics(alarm).filter((m) => m.namespace === namespace && metrics.includes(m.metricName ?? ""));
}

function hasDimensions(m: AlarmMetric, names: readonly string[]): boolean {
    return names.every((n) => isSet(m.dimensions[n]));
}

export const regionalAlarmCoverage: StackRule = {
    name: "regional-alarm-coverage",
    description:
        "Each region with a Lambda function alarms on Lambda Errors/Throttles/Duration, API Gateway 5xx/Latency, SQS ApproximateNumberOfMessagesVisible and DynamoDB Write/ReadThrottleEvents (TableName); the table's home region alarms on ReplicationLatency (TableName + ReceivingRegion) for each replica region.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const alarms = metricAlarms(views);
        const tables = views.filter((v) => v.type === TABLE_TYPE);
        const tableNames = tables.map((t) => t.props.name).filter((n): n is string => typeof n === "string");
        const appRegions = [
            ...new Set(
                views
                    .filter((v) => v.type === FUNCTION_TYPE)
                    .map((f) => f.region)
                    .filter((r): r is string => r !== undefined),
            ),
        ].sort();
        for (const region of appRegions) {
            const here = alarms.filter((a) => a.region === region);
            for (const required of REGIONAL_ALARMS) {
                const found = here.flatMap((a) => watches(a, required.namespace, required.metrics));
                const label = `${required.namespace} ${required.metrics.join("/")}`;
                if (found.length === 0) {
                    report(`region ${region} runs the application but has no alarm on ${label}.`);
                    continue;
                }
                if (required.dimensions && !found.some((m) => hasDimensions(m, required.dimensions!))) {
                    report(`region ${region}: the alarm on ${label} lacks the ${required.dimensions.join(", ")} dimension(s): it would never get data.`);
                }
                const tableDims = found.map((m) => m.dimensions.TableName).filter((n): n is string => typeof n === "string");
                const strangers = tableDims.filter((n) => tableNames.length > 0 && !tableNames.includes(n));
                if (strangers.length > 0) {
                    report(
                        `region ${region}: the alarm on ${label} watches table ${strangers.join(", ")}, which is not a table of this stack (${tableNames.join(", ")}).`,
                    );
                }
            }
        }
        for (const table of tables) {
            const replicaRegions = list(table.props.replicas).map((r) => str(at(r, "regionName")));
            for (const receiving of replicaRegions) {
                const found = alarms
                    .filter((a) => a.region === table.region)
                    .flatMap((a) => watches(a, "AWS/DynamoDB", ["ReplicationLatency"]))
                    .filter((m) => hasDimensions(m, ["TableName", "ReceivingRegion"]))
                    .filter((m) => receiving === undefined || isUnknown(m.dimensions.ReceivingRegion) || m.dimensions.ReceivingRegion === receiving);
                if (found.length === 0) {
                    report(
                        `table ${table.name} (home ${table.region}) has no ReplicationLatency alarm in ${table.region} with dimensions TableName and ` +
                            `ReceivingRegion=${receiving ?? "?"}: replication lag to that replica would go unnoticed.`,
                        table.urn,
                    );
                }
            }
        }
    },
};

/** S3 replication metrics (published only for rules with metrics or RTC enabled). */
export const S3_REPLICATION_METRICS = ["ReplicationLatency", "OperationsFailedReplication", "OperationsPendingReplication", "BytesPendingReplication"];

interface ReplicationRuleRef {
    readonly id: string;
    readonly sourceBucket?: string;
    readonly destinationBucket?: string;
}

function replicationRules(views: readonly ResourceView[]): ReplicationRuleRef[] {
    return views
        .filter((v) => v.type === REPLICATION_TYPE)
        .flatMap((config) =>
            list(config.props.rules).map((rule) => ({
                id: str(at(rule, "id")) ?? "",
                sourceBucket: str(config.props.bucket),
                destinationBucket: str(at(rule, "destination", "bucket"))?.replace(/^arn:[^:]+:s3:::/, ""),
            })),
        )
        .filter((r) => r.id !== "");
}

export const replicationAlarmDimensions: StackRule = {
    name: "replication-alarm-dimensions",
    description:
        "DynamoDB ReplicationLatency alarms carry TableName and ReceivingRegion; S3 replication alarms carry SourceBucket, DestinationBucket and the RuleId of a real replication rule.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const rules = replicationRules(views);
        for (const alarm of metricAlarms(views)) {
            for (const m of watches(alarm, "AWS/DynamoDB", ["ReplicationLatency"])) {
                if (!hasDimensions(m, ["TableName", "ReceivingRegion"])) {
                    report(
                        `alarm ${alarm.name}: DynamoDB ReplicationLatency needs both TableName and ReceivingRegion dimensions, or it never gets data.`,
                        alarm.urn,
                    );
                }
            }
            for (const m of watches(alarm, "AWS/S3", S3_REPLICATION_METRICS)) {
                const missing = ["SourceBucket", "DestinationBucket", "RuleId"].filter((d) => !isSet(m.dimensions[d]));
                if (missing.length > 0) {
                    report(
                        `alarm ${alarm.name}: S3 ${m.metricName} needs dimensions SourceBucket, DestinationBucket and RuleId; missing ${missing.join(", ")}.`,
                        alarm.urn,
                    );
                    continue;
                }
                const ruleId = m.dimensions.RuleId;
                if (isUnknown(ruleId)) {
                    continue;
                }
                const rule = rules.find((r) => r.id === ruleId);
                if (!rule) {
                    report(
                        `alarm ${alarm.name}: RuleId ${JSON.stringify(ruleId)} is not the id of any BucketReplicationConfig rule in this stack ` +
                            `(${rules.map((r) => r.id).join(", ") || "none"}): the alarm would never get data.`,
                        alarm.urn,
                    );
                    continue;
                }
                for (const [dim, expected] of [
                    ["SourceBucket", rule.sourceBucket],
                    ["DestinationBucket", rule.destinationBucket],
                ] as const) {
                    const actual = m.dimensions[dim];
                    if (expected !== undefined && typeof actual === "string" && actual !== expected) {
                        report(
                            `alarm ${alarm.name}: ${dim} is ${actual} but rule ${rule.id} replicates ${dim === "SourceBucket" ? "from" : "to"} ${expected}.`,
                            alarm.urn,
                        );
                    }
                }
            }
        }
    },
};

export const s3ReplicationAlarmed: StackRule = {
    name: "s3-replication-alarmed",
    description: "Each S3 replication rule has an alarm on ReplicationLatency or OperationsFailedReplication with its RuleId.",
    enforcementLevel: "advisory",
    validateStack: (views, report) => {
        const watched = new Set(
            metricAlarms(views)
                .flatMap((a) => watches(a, "AWS/S3", S3_REPLICATION_METRICS))
                .map((m) => m.dimensions.RuleId),
        );
        for (const config of views.filter((v) => v.type === REPLICATION_TYPE)) {
            for (const rule of list(config.props.rules)) {
                const id = str(at(rule, "id"));
                if (id !== undefined && !watched.has(id)) {
                    report(`replication rule ${id} of ${config.name} has no S3 replication alarm: replication could stall unnoticed.`, config.urn);
                }
            }
        }
    },
};

export const MONITORING_RULES = [
    alarmActionsSameRegionSns,
    route53AlarmsInUsEast1,
    route53FailoverPair,
    regionalAlarmCoverage,
    replicationAlarmDimensions,
    s3ReplicationAlarmed,
];
