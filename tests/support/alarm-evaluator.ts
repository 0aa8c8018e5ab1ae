/**
 * A small model of how CloudWatch evaluates a metric alarm and how Route 53 turns alarms into health, for driving
 * the synthesized alarm definitions with the datapoints AWS would publish. What it models (CloudWatch User Guide,
 * "Using Amazon CloudWatch alarms" and "Configuring how CloudWatch alarms treat missing data"):
 * - a metric is namespace + name + the exact set of dimensions: a datapoint published under another dimension set
 *   is another metric and never reaches the alarm;
 * - the alarm evaluates at the end of each period over the last `evaluationPeriods` periods, ALARM when at least
 *   `datapointsToAlarm` breach; missing periods per `treatMissingData` (AWS/DynamoDB alarms always `ignore`);
 * - a CLOUDWATCH_METRIC health check is unhealthy in ALARM, healthy in OK, and per `insufficientDataHealthStatus`
 *   otherwise; a CALCULATED check is healthy while at least `childHealthThreshold` children are.
 * It does not model CloudWatch's evaluation delay or Route 53's polling: the objectives allow for those.
 */

export interface Datapoint {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly value: number;
    readonly atSeconds: number;
}

/** The inputs of an aws.cloudwatch.MetricAlarm, as synthesized. */
export interface AlarmDefinition {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly statistic?: string;
    readonly extendedStatistic?: string;
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm?: number;
    readonly threshold: number;
    readonly comparisonOperator: string;
    readonly treatMissingData?: string;
}

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

function sameMetric(alarm: AlarmDefinition, p: Datapoint): boolean {
    const keys = Object.keys(alarm.dimensions).sort();
    const pointKeys = Object.keys(p.dimensions).sort();
    return (
        p.namespace === alarm.namespace &&
        p.metricName === alarm.metricName &&
        keys.length === pointKeys.length &&
        keys.every((k, i) => k === pointKeys[i] && alarm.dimensions[k] === p.dimensions[k])
    );
}

function statistic(name: string, values: readonly number[]): number {
    switch (name) {
        case "Average":
            return values.reduce((a, b) => a + b, 0) / values.length;
        case "Sum":
            return values.reduce((a, b) => a + b, 0);
        case "Minimum":
            return Math.min(...values);
        case "Maximum":
            return Math.max(...values);
        case "SampleCount":
            return values.length;
        default:
            throw new Error(`statistic ${name} is not modelled`);
    }
}

function breaches(comparison: string, value: number, threshold: number): boolean {
    switch (comparison) {
        case "GreaterThanOrEqualToThreshold":
            return value >= threshold;
        case "GreaterThanThreshold":
            return value > threshold;
        case "LessThanThreshold":
            return value < threshold;
        case "LessThanOrEqualToThreshold":
            return value <= threshold;
        default:
            throw new Error(`comparison ${comparison} is not modelled`);
    }
}

/** The alarm's state after each of its periods (index k: the evaluation at the end of period k, (k+1) × period s). */
export function alarmStates(alarm: AlarmDefinition, points: readonly Datapoint[], untilSeconds: number): AlarmState[] {
    if (!alarm.statistic) {
        throw new Error("only standard statistics are modelled (and Route 53 accepts only those)");
    }
    const mine = points.filter((p) => sameMetric(alarm, p));
    const periods = Math.floor(untilSeconds / alarm.period);
    const values: (number | undefined)[] = [];
    for (let k = 0; k < periods; k++) {
        const inPeriod = mine.filter((p) => p.atSeconds >= k * alarm.period && p.atSeconds < (k + 1) * alarm.period).map((p) => p.value);
        values.push(inPeriod.length > 0 ? statistic(alarm.statistic, inPeriod) : undefined);
    }
    // DynamoDB alarms ignore treatMissingData (CloudWatch API reference, PutMetricAlarm, TreatMissingData).
    const missing = alarm.namespace === "AWS/DynamoDB" ? "ignore" : (alarm.treatMissingData ?? "missing");
    const needed = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
    const states: AlarmState[] = [];
    let state: AlarmState = "INSUFFICIENT_DATA";
    for (let k = 0; k < periods; k++) {
        const window = Array.from({ length: alarm.evaluationPeriods }, (_, i) => values[k - alarm.evaluationPeriods + 1 + i]);
        const judged = window.map((v) =>
            v !== undefined
                ? breaches(alarm.comparisonOperator, v, alarm.threshold)
                : missing === "breaching"
                  ? true
                  : missing === "notBreaching"
                    ? false
                    : undefined,
        );
        const known = judged.filter((b): b is boolean => b !== undefined);
        if (known.filter((b) => b).length >= needed) {
            state = "ALARM";
        } else if (known.length > 0) {
            state = "OK";
        } else if (missing === "missing") {
            state = "INSUFFICIENT_DATA";
        }
        // `ignore` with nothing known: the state stays as it was.
        states.push(state);
    }
    return states;
}

/** Route 53's status of a CLOUDWATCH_METRIC check for a sequence of alarm states (healthy = true). */
export function alarmCheckHealth(states: readonly AlarmState[], insufficientDataHealthStatus: string | undefined): boolean[] {
    let lastKnown = true; // a new check with no last known status is healthy (Route 53 API reference, HealthCheckConfig)
    return states.map((state) => {
        if (state !== "INSUFFICIENT_DATA") {
            lastKnown = state === "OK";
            return lastKnown;
        }
        switch (insufficientDataHealthStatus ?? "LastKnownStatus") {
            case "Healthy":
                return true;
            case "Unhealthy":
                return false;
            default:
                return lastKnown;
        }
    });
}

/** A CALCULATED check: healthy while at least `threshold` children are. */
export function calculatedHealth(children: readonly (readonly boolean[])[], threshold: number): boolean[] {
    const length = Math.min(...children.map((c) => c.length));
    return Array.from({ length }, (_, k) => children.filter((c) => c[k]).length >= threshold);
}
