import { expect } from "chai";
import { failoverDrainMinutes, RecoveryObjectives } from "../program/objectives";
import { paymentSignalDetectionSeconds } from "../components/global/payment-signal";
import { Synthesis } from "../scripts/synth/synthesize";
import { AlarmDefinition, alarmStates } from "./support/alarm-evaluator";
import { detectionAfter, failoverChildren, idsOf, paymentPoints, probePoints, regionHealth } from "./support/payment-traffic";
import { one, stackWith } from "./support/stacks";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const MINUTES = 20;
const START = 4 * 60 + 10;

/**
 * The Lambda-fault game days against the synthesized alarms (dev with `gameDays` on). `fail-primary-payments` is FIS
 * `aws:lambda:invocation-error` with `preventExecution`: the FIS extension fails every invocation before the handler
 * runs, so Lambda counts a function error and API Gateway answers 502, and the handler writes nothing: the same
 * datapoints as an init failure. `slow-primary-payments` adds 1.5 s and fails nothing.
 */
describe("game days against the payment signal (dev, gameDays on, mocked runtime)", () => {
    let s: Synthesis;
    let stop: AlarmDefinition;
    let drainMinutes: number;
    before(async () => {
        s = await stackWith("dev", { gameDays: "true" });
        stop = one(s, ALARM, "game-days-payments-still-failing").inputs as AlarmDefinition;
        drainMinutes = failoverDrainMinutes(s.outputs.recoveryObjectives as RecoveryObjectives);
    });

    const failing =
        (until = Infinity) =>
        (at: number) =>
            at >= START && at < until ? "init-failure" : "ok";

    it("fail-primary-payments trips the primary's failover check within the payment signal's detection time", () => {
        const ids = idsOf(s, "primary");
        const points = [...probePoints(ids, MINUTES), ...paymentPoints(ids, MINUTES, 100, failing())];
        expect(points.some((p) => p.namespace === "PaymentsDR" && p.atSeconds >= START)).to.equal(false);
        const health = regionHealth(failoverChildren(s, "primary"), points);
        expect(detectionAfter(health, START)).to.be.a("number").and.at.most(paymentSignalDetectionSeconds());
    });

    it("its stop condition fires when traffic never leaves the primary, after the drain time and not before", () => {
        const ids = idsOf(s, "primary");
        const states = alarmStates(stop, [...probePoints(ids, MINUTES), ...paymentPoints(ids, MINUTES, 100, failing())], MINUTES * 60);
        const firstAlarm = states.indexOf("ALARM");
        expect(firstAlarm).to.be.greaterThan(0);
        // Evaluations at the end of each minute: ALARM once drainMinutes minutes with failures have passed (the minute
        // the fault starts in counts once it has 10 failures).
        expect((firstAlarm + 1) * 60 - START)
            .to.be.at.least((drainMinutes - 1) * 60)
            .and.below((drainMinutes + 1) * 60);
    });

    it("its stop condition stays OK when DNS moves the traffic (no payments reach the primary after the failover)", () => {
        const ids = idsOf(s, "primary");
        const moved = START + (s.outputs.recoveryObjectives as RecoveryObjectives).paymentPath.rtoSeconds;
        // Payments stop arriving once clients resolve the standby; Route 53's probes of /health go on.
        const points = [...probePoints(ids, MINUTES), ...paymentPoints(ids, MINUTES, 100, failing()).filter((p) => p.atSeconds < moved)];
        expect(alarmStates(stop, points, MINUTES * 60)).to.not.include("ALARM");
    });

    it("the stop condition watches a metric that exists during the fault: one on the handler's PaymentFailed never fires", () => {
        const ids = idsOf(s, "primary");
        const onHandlerMetric: AlarmDefinition = { ...stop, namespace: "PaymentsDR", metricName: "PaymentFailed", dimensions: { Region: ids.region } };
        const points = [...probePoints(ids, MINUTES), ...paymentPoints(ids, MINUTES, 100, failing())];
        expect(alarmStates(onHandlerMetric, points, MINUTES * 60)).to.not.include("ALARM");
        expect(alarmStates(stop, points, MINUTES * 60)).to.include("ALARM");
    });

    it("slow-primary-payments (1.5 s more, nothing fails) keeps the region healthy and the stop condition OK", () => {
        const ids = idsOf(s, "primary");
        const points = [...probePoints(ids, MINUTES), ...paymentPoints(ids, MINUTES, 100, () => "ok")];
        expect(regionHealth(failoverChildren(s, "primary"), points)).to.not.include(false);
        expect(alarmStates(stop, points, MINUTES * 60)).to.not.include("ALARM");
    });
});
