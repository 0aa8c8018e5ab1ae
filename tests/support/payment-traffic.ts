import { expect } from "chai";
import { RecordedResource, Synthesis } from "../../scripts/synth/synthesize";
import { AlarmDefinition, alarmCheckHealth, alarmStates, AlarmState, calculatedHealth, Datapoint } from "./alarm-evaluator";
import { one, ofType } from "./stacks";

/**
 * Traffic for the alarm evaluator: the datapoints AWS (and the handler) publish for each request of a scenario, and
 * the health of a region's failover check computed from the synthesized alarms and health checks.
 */

const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** What happens to one request, and so which datapoints AWS (and the handler) publish for it. */
export type Outcome = "ok" | "client-4xx" | "stage-429" | "handler-5xx" | "throttled" | "init-failure" | "timeout" | "integration-error";

export interface RegionIds {
    readonly region: string;
    readonly apiId: string;
    readonly stage: string;
    readonly processor: string;
    readonly healthFunction: string;
}

export function idsOf(s: Synthesis, role: string): RegionIds {
    return {
        region: one(s, "aws:apigatewayv2/api:Api", `${role}-api`).region!,
        apiId: one(s, "aws:apigatewayv2/api:Api", `${role}-api`).id!,
        stage: one(s, "aws:apigatewayv2/stage:Stage", `${role}-stage`).inputs.name,
        processor: one(s, "aws:lambda/function:Function", `${role}-processor`).inputs.name,
        healthFunction: one(s, "aws:lambda/function:Function", `${role}-health`).inputs.name,
    };
}

/**
 * The datapoints one request publishes. API Gateway: 4xx/5xx/Count per request under {ApiId} and {ApiId, Stage};
 * a rejected invocation (throttling) is a 500, a function error or timeout a 502, a failed integration a 500
 * (Lambda Developer Guide, "Handling Lambda errors with an API Gateway API"); stage throttling is a 429.
 * Lambda: Errors and Throttles 0/1 per invocation request under {FunctionName} and {FunctionName, Resource};
 * a throttled request records no invocation. The handler: its 0/1 PaymentFailed on the access line, only when it
 * got to write it (not when it never ran or timed out).
 */
export function requestPoints(ids: RegionIds, outcome: Outcome, at: number, fn = ids.processor, payment = true): Datapoint[] {
    const api = (metricName: string, value: number): Datapoint[] =>
        ([{ ApiId: ids.apiId }, { ApiId: ids.apiId, Stage: ids.stage }] as Record<string, string>[]).map((dimensions) => ({
            namespace: "AWS/ApiGateway",
            metricName,
            dimensions,
            value,
            atSeconds: at,
        }));
    const lambda = (metricName: string, value: number): Datapoint[] =>
        ([{ FunctionName: fn }, { FunctionName: fn, Resource: fn }] as Record<string, string>[]).map((dimensions) => ({
            namespace: "AWS/Lambda",
            metricName,
            dimensions,
            value,
            atSeconds: at,
        }));
    const serverError = ["handler-5xx", "throttled", "init-failure", "timeout", "integration-error"].includes(outcome);
    const points = [...api("Count", 1), ...api("5xx", serverError ? 1 : 0), ...api("4xx", outcome === "client-4xx" || outcome === "stage-429" ? 1 : 0)];
    if (outcome === "throttled") {
        points.push(...lambda("Throttles", 1));
    } else if (outcome !== "stage-429" && outcome !== "integration-error") {
        const failed = outcome === "init-failure" || outcome === "timeout" ? 1 : 0;
        points.push(...lambda("Invocations", 1), ...lambda("Errors", failed), ...lambda("Throttles", 0));
    }
    if (payment && ["ok", "client-4xx", "handler-5xx"].includes(outcome)) {
        points.push({
            namespace: "PaymentsDR",
            metricName: "PaymentFailed",
            dimensions: { Region: ids.region },
            value: outcome === "handler-5xx" ? 1 : 0,
            atSeconds: at,
        });
    }
    return points;
}

/** Route 53's probes of GET /health: about 16 checkers, each every interval (the health function, never the processor). */
export function probePoints(ids: RegionIds, minutes: number, perMinute = 32): Datapoint[] {
    return Array.from({ length: minutes * perMinute }, (_, i) => requestPoints(ids, "ok", (i * 60) / perMinute + 0.5, ids.healthFunction, false)).flat();
}

/** `perMinute` payments a minute, evenly spread, each with the outcome `outcomeAt` gives for its time. */
export function paymentPoints(ids: RegionIds, minutes: number, perMinute: number, outcomeAt: (at: number) => Outcome): Datapoint[] {
    return Array.from({ length: minutes * perMinute }, (_, i) => {
        const at = (i * 60) / perMinute + 0.25;
        return requestPoints(ids, outcomeAt(at), at);
    }).flat();
}

export interface Child {
    readonly check: RecordedResource;
    readonly alarm?: RecordedResource;
}

/** The children of a region's failover check, each with the alarm it follows (none for the HTTPS check). */
export function failoverChildren(s: Synthesis, role: string): { children: Child[]; threshold: number } {
    const calculated = one(s, HEALTH_CHECK, `global-${role}-failover-health`);
    const checks = ofType(s, HEALTH_CHECK);
    const children = (calculated.inputs.childHealthchecks as string[]).map((id) => {
        const check = checks.find((c) => c.id === id)!;
        if (check.inputs.type !== "CLOUDWATCH_METRIC") {
            return { check };
        }
        const alarm = ofType(s, ALARM, check.inputs.cloudwatchAlarmRegion).find((a) => a.inputs.name === check.inputs.cloudwatchAlarmName);
        expect(alarm, `the alarm of ${check.name}`).to.not.equal(undefined);
        return { check, alarm };
    });
    return { children, threshold: calculated.inputs.childHealthThreshold };
}

export const MINUTES = 15;

/**
 * The region's calculated check, minute by minute. The HTTPS check of /health stays healthy in these scenarios:
 * /health is its own function (own reserved concurrency and route throttle), untouched by the processor's faults.
 */
export function regionHealth(
    model: { children: Child[]; threshold: number },
    points: readonly Datapoint[],
    change: (
        alarm: AlarmDefinition,
        check: RecordedResource,
    ) => { alarm: AlarmDefinition; insufficient?: string; states?: (s: AlarmState[]) => AlarmState[] } = (alarm) => ({
        alarm,
    }),
): boolean[] {
    const statuses = model.children.map(({ check, alarm }) => {
        if (!alarm) {
            return Array.from({ length: MINUTES }, () => true);
        }
        const changed = change(alarm.inputs as AlarmDefinition, check);
        const raw = alarmStates(changed.alarm, points, MINUTES * 60);
        return alarmCheckHealth(changed.states ? changed.states(raw) : raw, changed.insufficient ?? check.inputs.insufficientDataHealthStatus);
    });
    return calculatedHealth(statuses, model.threshold);
}

/** Seconds from `failureAt` until the check is unhealthy (evaluations at the end of each minute), or undefined. */
export function detectionAfter(health: readonly boolean[], failureAt: number): number | undefined {
    const k = health.findIndex((healthy, i) => !healthy && (i + 1) * 60 > failureAt);
    return k < 0 ? undefined : (k + 1) * 60 - failureAt;
}
