import { expect } from "chai";
import { capacityProblems, planCapacity, scaleUpSeconds } from "../program/capacity";
import { parseStackSettings, RawConfig } from "../program/config";
import { computeRecoveryObjectives, formatRecoveryObjectives, objectiveStatus } from "../program/objectives";

const BASE: RawConfig = { environment: "dev", domainName: "payments.acme-pay.net", owner: "o", costCenter: "c" };

describe("recovery objectives", () => {
    it("computes each failover path (/health and failing payments) and takes the worst as the RTO", () => {
        const o = computeRecoveryObjectives(parseStackSettings(BASE));
        expect(o.detectionSeconds).to.equal(90);
        expect(o.healthPath).to.include({ detectionSeconds: 90, rtoSeconds: 90 + 6 + 30 + 60 });
        // 2 one-minute periods + the period the failure starts in + 60 s evaluation; then aggregation and TTL.
        expect(o.paymentPath).to.include({ detectionSeconds: 240, rtoSeconds: 240 + 30 + 60 });
        expect(o.rtoSeconds).to.equal(330);
        expect(o.rtoTargetSeconds).to.equal(15 * 60);
        expect(o.paymentRtoTargetSeconds).to.equal(15 * 60);
        expect(o.problems).to.deep.equal([]);
        const fast = computeRecoveryObjectives(parseStackSettings({ ...BASE, healthCheckIntervalSeconds: "10", failoverRecordTtlSeconds: "30" }));
        expect(fast.healthPath.rtoSeconds).to.equal(30 + 6 + 30 + 30);
        expect(fast.paymentPath.rtoSeconds).to.equal(240 + 30 + 30);
        expect(fast.rtoSeconds).to.equal(300);
        const slowHealth = computeRecoveryObjectives(parseStackSettings({ ...BASE, healthCheckFailureThreshold: "10" }));
        expect(slowHealth.rtoSeconds)
            .to.equal(slowHealth.healthPath.rtoSeconds)
            .and.equal(300 + 6 + 30 + 60);
        const report = formatRecoveryObjectives(o);
        expect(report).to.match(
            /\n {2}RTO \/health path {6}186 s {3}target 900 s {3}OK\n {2}RTO payment path {6}330 s {3}target 900 s {3}OK\n {2}RTO \(worst case\) {6}330 s {3}OK/,
        );
        expect(report).to.contain("payment detection     240 s");
    });

    it("takes the TTL term from the records clients get: an alias target's 60 s, or the CNAMEs' own TTL", () => {
        const https = { ...BASE, domainMode: "custom-domain", zoneDelegated: "true", healthCheckIntervalSeconds: "10", healthCheckFailureThreshold: "2" };
        const alias = computeRecoveryObjectives(parseStackSettings({ ...https, failoverRecordTtlSeconds: "15" }));
        expect(alias).to.include({ detectionSeconds: 20, dnsTtlSeconds: 60, dnsTtlBasis: "alias target's TTL, set by AWS" });
        expect(alias.healthPath.rtoSeconds).to.equal(20 + 6 + 30 + 60);
        expect(alias.paymentPath.rtoSeconds).to.equal(240 + 30 + 60);
        const cname = computeRecoveryObjectives(parseStackSettings({ ...https, failoverRecordType: "cname", failoverRecordTtlSeconds: "15" }));
        expect(cname).to.include({ dnsTtlSeconds: 15, rtoSeconds: 240 + 30 + 15 });
        expect(cname.healthPath.rtoSeconds).to.equal(20 + 6 + 30 + 15);
        expect(cname.dnsTtlBasis).to.equal("the CNAMEs' TTL, `failoverRecordTtlSeconds`");
        // A prod stack that sets none of these meets both default targets: a region outage (/health fails) within
        // 2 minutes (71 s), payments failing while /health passes within 6 (285 s: the one-minute alarms).
        const prod = computeRecoveryObjectives(parseStackSettings({ ...BASE, environment: "prod", targetTps: "100", zoneDelegated: "true" }));
        expect(prod).to.include({
            detectionSeconds: 20,
            checkTimeoutSeconds: 6,
            aggregationSeconds: 30,
            dnsTtlSeconds: 15,
            rtoSeconds: 285,
            rtoTargetSeconds: 120,
            paymentRtoTargetSeconds: 360,
        });
        expect(prod.healthPath.rtoSeconds).to.be.at.most(75);
        expect(prod.healthPath.rtoSeconds).to.equal(71);
        expect(prod.problems).to.deep.equal([]);
    });

    it("tells an alias stack that misses its target about CNAMEs, and a CNAME stack about its TTL", () => {
        const https = { ...BASE, domainMode: "custom-domain", zoneDelegated: "true", rtoTargetMinutes: "2" };
        expect(computeRecoveryObjectives(parseStackSettings(https)).problems.slice(0, 1)).to.deep.equal([
            "worst-case failover is 186 s (30 s × 3 checks + 6 s check timeout + 30 s aggregation + 60 s alias-target TTL, set by AWS), above " +
                "`payments-dr:rtoTargetMinutes` 2 min: lower the interval or the failure threshold, or use `failoverRecordType: cname` (an alias record's TTL cannot be lowered).",
        ]);
        expect(computeRecoveryObjectives(parseStackSettings({ ...https, failoverRecordType: "cname" })).problems.slice(0, 1)).to.deep.equal([
            "worst-case failover is 186 s (30 s × 3 checks + 6 s check timeout + 30 s aggregation + 60 s TTL), above " +
                "`payments-dr:rtoTargetMinutes` 2 min: lower the interval, the failure threshold or the TTL.",
        ]);
    });

    it("flags a target the settings make impossible, per path and against that path's own target", () => {
        const o = computeRecoveryObjectives(
            parseStackSettings({ ...BASE, rtoTargetMinutes: "2", paymentRtoTargetMinutes: "5", healthCheckFailureThreshold: "10" }),
        );
        expect(o.rtoSeconds).to.equal(300 + 6 + 30 + 60);
        expect(o.problems).to.have.length(2);
        expect(o.problems[0]).to.match(/^worst-case failover is 396 s \(30 s × 10 checks .* above `payments-dr:rtoTargetMinutes` 2 min/);
        expect(o.problems[1]).to.match(
            /^worst-case failover on failing payments is 330 s \(240 s payment signal .* above `payments-dr:paymentRtoTargetMinutes` 5 min: .* raise the target or lower the TTL\.$/,
        );
        expect(formatRecoveryObjectives(o)).to.include("MISSED");
        // Each path answers to its own target: a 5-minute /health target says nothing about payments, and back.
        const health = computeRecoveryObjectives(parseStackSettings({ ...BASE, rtoTargetMinutes: "3", paymentRtoTargetMinutes: "6" }));
        expect(health.problems).to.have.length(1);
        expect(health.problems[0]).to.match(/^worst-case failover is 186 s .* `payments-dr:rtoTargetMinutes` 3 min/);
        const payment = computeRecoveryObjectives(parseStackSettings({ ...BASE, rtoTargetMinutes: "5", paymentRtoTargetMinutes: "5" }));
        expect(payment.problems).to.have.length(1);
        expect(payment.problems[0]).to.match(/^worst-case failover on failing payments is 330 s .* `payments-dr:paymentRtoTargetMinutes` 5 min/);
    });

    it("states S3's RPO as the RTC SLA with RTC and as unbounded without", () => {
        const withRtc = computeRecoveryObjectives(parseStackSettings({ ...BASE, replicationTimeControl: "true" }));
        const without = computeRecoveryObjectives(parseStackSettings(BASE));
        expect(withRtc.rpo[1].worstCaseSeconds).to.equal(900);
        expect(without.rpo[1].worstCaseSeconds).to.equal(undefined);
        expect(formatRecoveryObjectives(without)).to.include("unbounded");
        expect(withRtc.rpo[0].watchedBy).to.include("TableName, ReceivingRegion");
    });

    it("gives every RPO line a status like the RTO line: OK, MISSED, UNBOUNDED or n/a", () => {
        const o = computeRecoveryObjectives(parseStackSettings({ ...BASE, replicationTimeControl: "true" }));
        expect(formatRecoveryObjectives(o)).to.match(/\n {2}RPO DynamoDB global table \(transactions, system of record\) {3}60 s {3}target 300 s {3}OK\n/);
        expect(formatRecoveryObjectives(o)).to.match(/\n {2}RPO S3 documents .* {3}900 s {3}no target {3}n\/a\n/);
        expect(objectiveStatus(301, 300)).to.equal("MISSED");
        expect(objectiveStatus(300, 300)).to.equal("OK");
        expect(objectiveStatus(undefined, 300)).to.equal("UNBOUNDED");
        expect(objectiveStatus(5, undefined)).to.equal("n/a");
    });
});

describe("capacity plan", () => {
    const prod = { targetTps: 10_000, expectedDurationMs: 80, reservedConcurrency: 1200, accountConcurrencyLimit: 3000, apiAccountRateLimit: 10_000 };

    it("sizes concurrency, write units and stage throttling for 10,000 TPS", () => {
        const plan = planCapacity(prod);
        expect(plan).to.include({
            requiredConcurrency: 800,
            availableConcurrency: 1200,
            requiredWriteUnitsPerSecond: 20_000,
            stageRateLimit: 10_000,
            stageBurstLimit: 5000,
        });
        expect(plan.warmWriteUnitsPerSecond).to.equal(20_000);
        expect(capacityProblems(prod)).to.deep.equal([]);
    });

    it("needs no warm throughput while the on-demand baseline carries the target", () => {
        const plan = planCapacity({ ...prod, targetTps: 100, reservedConcurrency: undefined });
        expect(plan.warmWriteUnitsPerSecond).to.equal(undefined);
        // The account's pool less the health function's reservation.
        expect(plan.availableConcurrency).to.equal(3000 - 5);
    });

    it("refuses a reservation too small for the target", () => {
        expect(capacityProblems({ ...prod, reservedConcurrency: 500 })[0]).to.include(
            "needs 800 concurrent Lambda executions, but `payments-dr:reservedConcurrency` is 500",
        );
    });
});

describe("standby scale-up (Lambda's scaling rate: 1,000 environments or 10,000 requests/s per 10 s)", () => {
    const prod = { targetTps: 10_000, expectedDurationMs: 80, reservedConcurrency: 1200, accountConcurrencyLimit: 3000, apiAccountRateLimit: 10_000 };
    it("needs one 10 s step from cold to prod's 10,000 TPS at 80 ms (800 environments, 10,000 requests/s)", () => {
        expect(scaleUpSeconds(0, 10_000, 80)).to.equal(10);
        expect(planCapacity({ ...prod, standbyProvisionedConcurrency: 0 }).standbyScaleUpSeconds).to.equal(10);
    });

    it("needs none with every environment warm, and counts whichever step needs more", () => {
        expect(scaleUpSeconds(800, 10_000, 80)).to.equal(0);
        expect(scaleUpSeconds(300, 10_000, 80)).to.equal(10);
        // 30,000 TPS at 80 ms: 2,400 environments (3 steps) and 30,000 requests/s (3 steps).
        expect(scaleUpSeconds(0, 30_000, 80)).to.equal(30);
        // 2,000 TPS at 1 s: 2,000 environments (2 steps) although 2,000 requests/s fit one request step.
        expect(scaleUpSeconds(0, 2_000, 1000)).to.equal(20);
        expect(scaleUpSeconds(1_000, 2_000, 1000)).to.equal(10);
    });

    it("reports the warm environments in the plan", () => {
        expect(planCapacity({ ...prod, standbyProvisionedConcurrency: 400 })).to.include({ standbyWarmEnvironments: 400, standbyScaleUpSeconds: 10 });
    });
});
