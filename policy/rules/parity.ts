/**
 * Standby readiness: the two regions' stacks match in everything that decides whether the standby can take the
 * primary's full load, page about it and keep its data as safe. Children of each `RegionalStack` component are
 * paired by logical name without the region's role (`secondary-processor` ↔ `primary-processor`).
 */
import { at, isUnknown, ResourceView, StackRule } from "./view";

export const REGIONAL_STACK_PARENT = /payments-dr:regional:RegionalStack::([^:$]+)$/;
export const TABLE_TYPE = "aws:dynamodb/table:Table";

/** What must be equal in both regions, per resource type: capacity, throttling, alarms and data protection. */
export const PARITY_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
    "aws:lambda/function:Function": ["runtime", "architectures", "handler", "memorySize", "timeout", "reservedConcurrentExecutions"],
    "aws:apigatewayv2/stage:Stage": ["defaultRouteSettings", "routeSettings"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": [
        "namespace",
        "metricName",
        "statistic",
        "extendedStatistic",
        "comparisonOperator",
        "threshold",
        "period",
        "evaluationPeriods",
        "datapointsToAlarm",
        "treatMissingData",
    ],
    "aws:s3/bucket:Bucket": ["forceDestroy"],
    "aws:s3/bucketVersioning:BucketVersioning": ["versioningConfiguration"],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["rules"],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"],
    "aws:kms/key:Key": ["deletionWindowInDays", "enableKeyRotation"],
    "aws:sqs/queue:Queue": ["messageRetentionSeconds"],
    "aws:cloudwatch/logGroup:LogGroup": ["retentionInDays"],
};
/** Types whose `protect` / `retainOnDelete` must match too (the data stores). */
const PROTECTED_TYPES = new Set(["aws:s3/bucket:Bucket", "aws:kms/key:Key"]);

/** A stable text for comparing values (object keys sorted). */
function canonical(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
            : v,
    );
}

const shown = (value: unknown) => (value === undefined ? "unset" : canonical(value));

interface RegionalChild {
    readonly role: string;
    readonly key: string;
    readonly view: ResourceView;
}

function regionalChildren(views: readonly ResourceView[]): RegionalChild[] {
    return views.flatMap((view) => {
        const role = REGIONAL_STACK_PARENT.exec(view.parentUrn ?? "")?.[1];
        if (role === undefined || PARITY_PROPERTIES[view.type] === undefined) {
            return [];
        }
        const key = `${view.type} ${view.name.startsWith(`${role}-`) ? view.name.slice(role.length + 1) : view.name}`;
        return [{ role, key, view }];
    });
}

export const regionParity: StackRule = {
    name: "region-parity",
    description:
        "Both regions are built the same: functions (runtime, memory, timeout, reserved concurrency), stage throttling, alarms, buckets, keys, queues and " +
        "log retention of each RegionalStack match their counterpart in the other region, and every table replica has the table's deletion protection and PITR.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const children = regionalChildren(views);
        const roles = [...new Set(children.map((c) => c.role))].sort();
        for (const [index, role] of roles.entries()) {
            for (const other of roles.slice(index + 1)) {
                const mine = new Map(children.filter((c) => c.role === role).map((c) => [c.key, c.view]));
                const theirs = new Map(children.filter((c) => c.role === other).map((c) => [c.key, c.view]));
                for (const [key, view] of [...mine, ...theirs]) {
                    const counterpart = mine.get(key) === view ? theirs.get(key) : mine.get(key);
                    if (counterpart === undefined) {
                        const [has, lacks] = mine.get(key) === view ? [role, other] : [other, role];
                        report(
                            `${has} has ${view.name} (${view.type}) but ${lacks} has no counterpart: the standby would not be ready, or not watched, like the primary.`,
                            view.urn,
                        );
                        continue;
                    }
                    if (mine.get(key) !== view) {
                        continue; // each pair is compared once, from `role`'s side
                    }
                    for (const prop of PARITY_PROPERTIES[view.type]) {
                        const a = view.props[prop];
                        const b = counterpart.props[prop];
                        if (!isUnknown(a) && !isUnknown(b) && canonical(a) !== canonical(b)) {
                            report(
                                `${view.name} and ${counterpart.name} differ in \`${prop}\`: ${shown(a)} in ${role}, ${shown(b)} in ${other}; the regions drifted apart.`,
                                counterpart.urn,
                            );
                        }
                    }
                    if (
                        PROTECTED_TYPES.has(view.type) &&
                        (view.protect !== counterpart.protect || Boolean(view.retainOnDelete) !== Boolean(counterpart.retainOnDelete))
                    ) {
                        report(
                            `${view.name} and ${counterpart.name} differ in protect/retainOnDelete: both regions' data stores need the same protection.`,
                            counterpart.urn,
                        );
                    }
                }
            }
        }
        for (const table of views.filter((v) => v.type === TABLE_TYPE)) {
            const protection = table.props.deletionProtectionEnabled;
            const pitr = at(table.props, "pointInTimeRecovery", "enabled");
            const replicas = table.props.replicas;
            if (isUnknown(replicas) || !Array.isArray(replicas)) {
                continue;
            }
            for (const replica of replicas as Record<string, unknown>[]) {
                const where = String(replica.regionName);
                if (!isUnknown(protection) && Boolean(replica.deletionProtectionEnabled) !== Boolean(protection)) {
                    report(
                        `table ${table.name}: the replica in ${where} has deletion protection ${shown(replica.deletionProtectionEnabled)}, the table ${shown(protection)}.`,
                        table.urn,
                    );
                }
                if (!isUnknown(pitr) && Boolean(replica.pointInTimeRecovery) !== Boolean(pitr)) {
                    report(
                        `table ${table.name}: the replica in ${where} has point-in-time recovery ${shown(replica.pointInTimeRecovery)}, the table ${shown(pitr)}.`,
                        table.urn,
                    );
                }
            }
        }
    },
};

export const PARITY_RULES = [regionParity];
