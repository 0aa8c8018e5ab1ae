import { expect } from "chai";
import {
    PAYMENT_SIGNAL_CHILDREN,
    PAYMENT_SIGNAL_INSUFFICIENT_DATA_STATUS,
    PAYMENT_SIGNAL_TREAT_MISSING_DATA,
    paymentSignalDetectionSeconds,
} from "../components/payment-signal";
import { RecordedResource, Synthesis } from "../scripts/synth/synthesize";
import { AlarmDefinition, alarmCheckHealth, alarmStates, AlarmState, calculatedHealth, Datapoint } from "./support/alarm-evaluator";
import { one, ofType, stack } from "./support/stacks";

const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ROUTE53_STATISTICS = ["Average", "Minimum", "Maximum", "Sum", "SampleCount"];

/** What happens to one request, and so which datapoints AWS (and the handler) publish for it. */
type Outcome = "ok" | "client-4xx" | "stage-429" | "handler-5xx" | "throttled" | "init-failure" | "timeout" | "integration-error";

interface RegionIds {
    readonly region: string;
    readonly apiId: string;
    readonly stage: string;
    readonly processor: string;
    readonly healthFunction: string;
}

function idsOf(s: Synthesis, role: string): RegionIds {
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
function requestPoints(ids: RegionIds, outcome: Outcome, at: number, fn = ids.processor, payment = true): Datapoint[] {
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
function probePoints(ids: RegionIds, minutes: number, perMinute = 32): Datapoint[] {
    return Array.from({ length: minutes * perMinute }, (_, i) => requestPoints(ids, "ok", (i * 60) / perMinute + 0.5, ids.healthFunction, false)).flat();
}

/** `perMinute` payments a minute, evenly spread, each with the outcome `outcomeAt` gives for its time. */
function paymentPoints(ids: RegionIds, minutes: number, perMinute: number, outcomeAt: (at: number) => Outcome): Datapoint[] {
    return Array.from({ length: minutes * perMinute }, (_, i) => {
        const at = (i * 60) / perMinute + 0.25;
        return requestPoints(ids, outcomeAt(at), at);
    }).flat();
}

interface Child {
    readonly check: RecordedResource;
    readonly alarm?: RecordedResource;
}

/** The children of a region's failover check, each with the alarm it follows (none for the HTTPS check). */
function failoverChildren(s: Synthesis, role: string): { children: Child[]; threshold: number } {
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

const MINUTES = 15;

/**
 * The region's calculated check, minute by minute. The HTTPS check of /health stays healthy in these scenarios:
 * /health is its own function (own reserved concurrency and route throttle), untouched by the processor's faults.
 */
function regionHealth(
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
function detectionAfter(health: readonly boolean[], failureAt: number): number | undefined {
    const k = health.findIndex((healthy, i) => !healthy && (i + 1) * 60 > failureAt);
    return k < 0 ? undefined : (k + 1) * 60 - failureAt;
}

for (const stackName of ["dev", "prod"] as const) {
    describe(`payment signal (${stackName} stack): the failover check sees every outage that stops payments`, () => {
        let s: Synthesis;
        before(async () => {
            s = await stack(stackName);
        });

        for (const role of ["primary", "secondary"] as const) {
            it(`${role}: one single-metric, standard-statistic alarm per child, in the region, each justified for missing data`, () => {
                const { children, threshold } = failoverChildren(s, role);
                const region = idsOf(s, role).region;
                const signal = children.filter((c) => c.alarm && c.alarm.inputs.namespace !== "PaymentsDR/Failover" && !c.check.name.includes("takeover"));
                expect(signal.map((c) => `${c.alarm!.inputs.namespace}/${c.alarm!.inputs.metricName}`)).to.deep.equal([
                    "PaymentsDR/PaymentFailed",
                    "AWS/ApiGateway/5xx",
                    "AWS/Lambda/Errors",
                    "AWS/Lambda/Throttles",
                ]);
                expect(signal).to.have.length(PAYMENT_SIGNAL_CHILDREN.length);
                expect(threshold).to.equal(children.length);
                for (const { check, alarm } of signal) {
                    expect(alarm!.region).to.equal(region);
                    expect(check.inputs.cloudwatchAlarmRegion).to.equal(region);
                    // Route 53: standard-resolution, one metric, Average/Minimum/Maximum/Sum/SampleCount only.
                    expect(ROUTE53_STATISTICS).to.include(alarm!.inputs.statistic);
                    expect(alarm!.inputs.extendedStatistic).to.equal(undefined);
                    expect(alarm!.inputs.metricQueries).to.equal(undefined);
                    expect(alarm!.inputs.period).to.be.at.least(60);
                    expect(alarm!.inputs).to.include({
                        treatMissingData: PAYMENT_SIGNAL_TREAT_MISSING_DATA,
                        threshold: 0.5,
                        comparisonOperator: "GreaterThanOrEqualToThreshold",
                    });
                    expect(check.inputs.insufficientDataHealthStatus).to.equal(PAYMENT_SIGNAL_INSUFFICIENT_DATA_STATUS);
                }
                const ids = idsOf(s, role);
                expect(signal[1].alarm!.inputs.dimensions).to.deep.equal({ ApiId: ids.apiId, Stage: "$default" });
                expect(signal[2].alarm!.inputs.dimensions).to.deep.equal({ FunctionName: ids.processor });
                expect(signal[3].alarm!.inputs.dimensions).to.deep.equal({ FunctionName: ids.processor });
            });
        }

        describe("drives the primary through the outages (datapoints AWS would publish, fed to the synthesized alarms)", () => {
            const failureStarts = [20, 50];
            for (const fault of ["throttled", "init-failure", "timeout", "integration-error", "handler-5xx"] as const) {
                for (const start of failureStarts) {
                    it(`${fault} from minute 4 + ${start} s: unhealthy within ${paymentSignalDetectionSeconds()} s, healthy before`, () => {
                        const ids = idsOf(s, "primary");
                        const failureAt = 4 * 60 + start;
                        const points = [...probePoints(ids, MINUTES), ...paymentPoints(ids, MINUTES, 100, (at) => (at >= failureAt ? fault : "ok"))];
                        const health = regionHealth(failoverChildren(s, "primary"), points);
                        expect(health.slice(0, 4).every((h) => h)).to.equal(true);
                        const detected = detectionAfter(health, failureAt);
                        expect(detected, `${fault}: ${JSON.stringify(health)}`).to.not.equal(undefined);
                        expect(detected!).to.be.at.most(paymentSignalDetectionSeconds());
                        expect(health.slice(Math.ceil((failureAt + paymentSignalDetectionSeconds()) / 60))).to.not.include(true);
                    });
                }
            }

            it("the handler's metric alone would have missed throttling, init failures, timeouts and integration errors (the defect)", () => {
                const ids = idsOf(s, "primary");
                const model = failoverChildren(s, "primary");
                const handlerOnly = {
                    children: model.children.filter(
                        (c) => !c.alarm || (c.alarm.inputs.namespace !== "AWS/ApiGateway" && c.alarm.inputs.namespace !== "AWS/Lambda"),
                    ),
                    threshold: 0,
                };
                handlerOnly.threshold = handlerOnly.children.length;
                for (const fault of ["throttled", "init-failure", "timeout", "integration-error"] as const) {
                    const points = [...probePoints(ids, MINUTES), ...paymentPoints(ids, MINUTES, 100, (at) => (at >= 240 ? fault : "ok"))];
                    expect(regionHealth(handlerOnly, points), fault).to.not.include(false);
                }
            });

            it("stays healthy through a 429 storm (900 of 1,000 requests a minute throttled by the stage) and a client-error storm", () => {
                const ids = idsOf(s, "primary");
                for (const storm of ["stage-429", "client-4xx"] as const) {
                    const points = [
                        ...probePoints(ids, MINUTES),
                        ...paymentPoints(ids, MINUTES, 1000, (at) => (at >= 120 && Math.floor(at * 10) % 10 !== 0 ? storm : "ok")),
                    ];
                    expect(points.filter((p) => p.metricName === "4xx" && p.value === 1).length).to.be.greaterThan(10_000);
                    expect(regionHealth(failoverChildren(s, "primary"), points), storm).to.not.include(false);
                }
            });

            it("keeps an idle region healthy (only Route 53's probes), because missing data is not breaching", () => {
                for (const role of ["primary", "secondary"] as const) {
                    const ids = idsOf(s, role);
                    const model = failoverChildren(s, role);
                    expect(regionHealth(model, probePoints(ids, MINUTES)), role).to.not.include(false);
                    expect(regionHealth(model, []), `${role}, no data at all`).to.not.include(false);
                    // The choice matters: were missing data breaching, an idle region would fail over.
                    const breaching = regionHealth(model, probePoints(ids, MINUTES), (alarm) => ({
                        alarm: alarm.namespace === "PaymentsDR/Failover" ? alarm : { ...alarm, treatMissingData: "breaching" },
                    }));
                    expect(breaching, `${role} with treatMissingData breaching`).to.include(false);
                }
            });

            it("keeps a failing region unhealthy when CloudWatch goes quiet (LastKnownStatus), where Healthy would send traffic back", () => {
                const ids = idsOf(s, "primary");
                const points = [...probePoints(ids, MINUTES), ...paymentPoints(ids, MINUTES, 100, (at) => (at >= 120 ? "throttled" : "ok"))];
                // From minute 9 CloudWatch reports INSUFFICIENT_DATA for every signal alarm (e.g. an impaired region).
                const quiet = (states: AlarmState[]) => states.map((state, k): AlarmState => (k >= 8 ? "INSUFFICIENT_DATA" : state));
                const isSignal = (alarm: AlarmDefinition) => alarm.namespace !== "PaymentsDR/Failover";
                const lastKnown = regionHealth(failoverChildren(s, "primary"), points, (alarm) => ({ alarm, states: isSignal(alarm) ? quiet : undefined }));
                expect(lastKnown.slice(8)).to.not.include(true);
                const healthy = regionHealth(failoverChildren(s, "primary"), points, (alarm) =>
                    isSignal(alarm) ? { alarm, states: quiet, insufficient: "Healthy" } : { alarm },
                );
                expect(healthy.slice(8)).to.not.include(false);
                // And a new check with no data yet starts healthy.
                expect(alarmCheckHealth(["INSUFFICIENT_DATA", "INSUFFICIENT_DATA"], PAYMENT_SIGNAL_INSUFFICIENT_DATA_STATUS)).to.deep.equal([true, true]);
            });
        });
    });
}

describe("alarm evaluator (tests of the test)", () => {
    const alarm: AlarmDefinition = {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: "f" },
        statistic: "Average",
        period: 60,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        threshold: 0.5,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
    };
    const failing = (dimensions: Record<string, string>, namespace = "AWS/Lambda"): Datapoint[] =>
        Array.from({ length: 300 }, (_, i) => ({ namespace, metricName: "Errors", dimensions, value: 1, atSeconds: i }));

    it("alarms on the exact metric, and never on another dimension set or namespace", () => {
        expect(alarmStates(alarm, failing({ FunctionName: "f" }), 300)).to.deep.equal(["OK", "ALARM", "ALARM", "ALARM", "ALARM"]);
        expect(alarmStates(alarm, failing({ FunctionName: "f", Resource: "f" }), 300)).to.not.include("ALARM");
        expect(alarmStates(alarm, failing({ FunctionName: "g" }), 300)).to.not.include("ALARM");
        expect(alarmStates(alarm, failing({ FunctionName: "f" }, "AWS/ApiGateway"), 300)).to.not.include("ALARM");
    });

    it("treats missing data as configured; DynamoDB alarms always ignore it", () => {
        expect(alarmStates({ ...alarm, treatMissingData: "breaching" }, [], 180)).to.deep.equal(["ALARM", "ALARM", "ALARM"]);
        expect(alarmStates({ ...alarm, treatMissingData: "missing" }, [], 120)).to.deep.equal(["INSUFFICIENT_DATA", "INSUFFICIENT_DATA"]);
        expect(alarmStates({ ...alarm, namespace: "AWS/DynamoDB", treatMissingData: "breaching" }, [], 120)).to.deep.equal([
            "INSUFFICIENT_DATA",
            "INSUFFICIENT_DATA",
        ]);
    });

    it("gives a CALCULATED check the health of its children against the threshold", () => {
        expect(
            calculatedHealth(
                [
                    [true, false],
                    [true, true],
                ],
                2,
            ),
        ).to.deep.equal([true, false]);
        expect(alarmCheckHealth(["ALARM", "INSUFFICIENT_DATA", "OK", "INSUFFICIENT_DATA"], "LastKnownStatus")).to.deep.equal([false, false, true, true]);
        expect(alarmCheckHealth(["ALARM", "INSUFFICIENT_DATA"], "Healthy")).to.deep.equal([false, true]);
    });
});
