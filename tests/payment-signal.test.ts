import { expect } from "chai";
import {
    PAYMENT_SIGNAL_CHILDREN,
    PAYMENT_SIGNAL_INSUFFICIENT_DATA_STATUS,
    PAYMENT_SIGNAL_TREAT_MISSING_DATA,
    paymentSignalDetectionSeconds,
} from "../components/global/payment-signal";
import { Synthesis } from "../scripts/synth/synthesize";
import { AlarmDefinition, alarmCheckHealth, alarmStates, AlarmState, calculatedHealth, Datapoint } from "./support/alarm-evaluator";
import { detectionAfter, failoverChildren, idsOf, MINUTES, paymentPoints, probePoints, regionHealth } from "./support/payment-traffic";
import { stack } from "./support/stacks";
const ROUTE53_STATISTICS = ["Average", "Minimum", "Maximum", "Sum", "SampleCount"];

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
