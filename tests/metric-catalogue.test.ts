import { expect } from "chai";
import { countCrossRegionConflict } from "../contracts/payment-metrics";
import { LEDGER_METRICS_NAMESPACE, REJECTED_RECORDS_METRIC } from "../components/ledger/projector";
import { TAKEOVER_DIMENSION, TAKEOVER_METRIC, TAKEOVER_NAMESPACE } from "../contracts/takeover-signal";
import { RecordedResource, Synthesis } from "../scripts/synth/synthesize";
import { closedPort } from "./handler/support/local-aws";
import { invoke, postTransactionEvent, validBody } from "./handler/support/events";
import { useHandlerFixture } from "./handler/support/fixture";
import { CatalogueEntry, METRIC_CATALOGUE, MetricUse, metricUseProblems } from "./support/metric-catalogue";
import { ofType, stack, stackWith } from "./support/stacks";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ROUTE53_STATISTICS = ["Average", "Minimum", "Maximum", "Sum", "SampleCount"];

/** Every option on: ledger, game days, canaries, the region switch plan, backup, log archive. */
const EVERY_OPTION = {
    ledger: "aurora-global",
    gameDays: "true",
    canarySchedule: "rate(5 minutes)",
    canaryTokenSecret: "payments-dr/canary-client",
    regionSwitchPlan: "true",
    backup: "true",
    logArchive: "true",
};

function alarmUses(s: Synthesis): MetricUse[] {
    return ofType(s, ALARM).flatMap((a) => {
        const metrics = a.inputs.metricName
            ? [
                  {
                      namespace: a.inputs.namespace,
                      metricName: a.inputs.metricName,
                      dimensions: a.inputs.dimensions,
                      unit: a.inputs.unit,
                      period: a.inputs.period,
                  },
              ]
            : ((a.inputs.metricQueries ?? []) as any[]).filter((q) => q.metric).map((q) => ({ ...q.metric, period: q.metric.period }));
        return metrics.map((m) => ({
            what: `alarm ${a.name} (${a.region})`,
            namespace: m.namespace,
            metric: m.metricName,
            dimensions: Object.keys(m.dimensions ?? {}),
            unit: m.unit,
            periodSeconds: m.period,
            region: a.region,
        }));
    });
}

/** Dashboard lines: `[namespace, metric, dimension, value, …, { options }?]`. */
function widgetUses(s: Synthesis): MetricUse[] {
    return ofType(s, "aws:cloudwatch/dashboard:Dashboard").flatMap((d) =>
        (JSON.parse(d.inputs.dashboardBody).widgets as any[])
            .filter((w) => w.type === "metric")
            .flatMap((w) =>
                (w.properties.metrics as unknown[][]).map((line) => {
                    const options = typeof line[line.length - 1] === "object" ? (line[line.length - 1] as Record<string, unknown>) : {};
                    const pairs = line.slice(2).filter((v) => typeof v === "string") as string[];
                    return {
                        what: `dashboard ${d.name} "${w.properties.title}"`,
                        namespace: line[0] as string,
                        metric: line[1] as string,
                        dimensions: pairs.filter((_, i) => i % 2 === 0),
                        periodSeconds: (options.period as number | undefined) ?? w.properties.period,
                        region: (options.region as string | undefined) ?? w.properties.region,
                    };
                }),
            ),
    );
}

/** Alarm-type health checks: the alarm exists in its region and is one Route 53 can follow. */
function healthCheckProblems(s: Synthesis): string[] {
    return ofType(s, HEALTH_CHECK)
        .filter((c) => c.inputs.type === "CLOUDWATCH_METRIC")
        .flatMap((c) => {
            const alarm = ofType(s, ALARM, c.inputs.cloudwatchAlarmRegion).find((a) => a.inputs.name === c.inputs.cloudwatchAlarmName);
            if (!alarm) {
                return [`health check ${c.name}: no alarm ${c.inputs.cloudwatchAlarmName} in ${c.inputs.cloudwatchAlarmRegion}`];
            }
            return [
                ROUTE53_STATISTICS.includes(alarm.inputs.statistic)
                    ? undefined
                    : `health check ${c.name}: alarm statistic ${alarm.inputs.statistic} (Route 53: standard only)`,
                alarm.inputs.extendedStatistic === undefined ? undefined : `health check ${c.name}: a percentile alarm`,
                alarm.inputs.metricQueries === undefined ? undefined : `health check ${c.name}: a metric-math alarm`,
                alarm.inputs.period >= 60 ? undefined : `health check ${c.name}: a high-resolution alarm`,
            ].filter((p): p is string => p !== undefined);
        });
}

function problemsOf(s: Synthesis, catalogue: readonly CatalogueEntry[] = METRIC_CATALOGUE): string[] {
    return [...alarmUses(s), ...widgetUses(s)].flatMap((use) => metricUseProblems(use, catalogue)).concat(healthCheckProblems(s));
}

/** What the EMF directives in captured log lines publish: namespace, metric, exact dimension set, unit. */
function emittedMetrics(lines: readonly Record<string, unknown>[]): { namespace: string; metric: string; dimensions: string[]; unit: string }[] {
    return lines.flatMap((line) => {
        const directives = ((line._aws as { CloudWatchMetrics?: unknown[] } | undefined)?.CloudWatchMetrics ?? []) as {
            Namespace: string;
            Dimensions: string[][];
            Metrics: { Name: string; Unit: string; StorageResolution?: number }[];
        }[];
        return directives.flatMap((d) =>
            d.Dimensions.flatMap((dims) =>
                d.Metrics.map((m) => {
                    // Standard resolution only: Route 53 follows no alarm on a high-resolution metric.
                    expect(m.StorageResolution ?? 60, m.Name).to.equal(60);
                    expect(line[m.Name], `${m.Name} has a value on its line`).to.be.a("number");
                    dims.forEach((dim) => expect(line[dim], `dimension ${dim} has a value on its line`).to.be.a("string"));
                    return { namespace: d.Namespace, metric: m.Name, dimensions: [...dims].sort(), unit: m.Unit };
                }),
            ),
        );
    });
}

describe("metric catalogue: every alarm, health check and dashboard line watches a metric that exists", () => {
    const syntheses: Record<string, Synthesis> = {};
    before(async () => {
        syntheses.dev = await stack("dev");
        syntheses.prod = await stack("prod");
        syntheses["every option"] = await stackWith("prod", EVERY_OPTION);
    });

    for (const name of ["dev", "prod", "every option"]) {
        it(`${name}: every alarm, alarm-type health check and dashboard line is in the catalogue with a published dimension set, unit, period and region`, () => {
            const s = syntheses[name];
            expect(alarmUses(s).length).to.be.greaterThan(20);
            expect(widgetUses(s).length).to.be.greaterThan(20);
            expect(problemsOf(s)).to.deep.equal([]);
        });
    }

    it("the every-option stack really has every option's alarms (ledger, backup, canaries, game days)", () => {
        const namespaces = new Set(alarmUses(syntheses["every option"]).map((u) => u.namespace));
        for (const ns of ["AWS/RDS", "AWS/Backup", "CloudWatchSynthetics", LEDGER_METRICS_NAMESPACE, "PaymentsDR", "AWS/ApiGateway"]) {
            expect([...namespaces], ns).to.include(ns);
        }
    });

    it("every catalogue entry names a documentation page or the code that emits it", () => {
        for (const e of METRIC_CATALOGUE) {
            expect(e.doc, `${e.namespace} ${e.metric}`).to.match(
                e.source === "aws" ? /^https:\/\/docs\.aws\.amazon\.com\// : /^(functions|components|contracts)\/.*\.ts$/,
            );
        }
    });

    describe("tests of the test", () => {
        const lambdaErrors = (over: Partial<MetricUse>): MetricUse => ({
            what: "alarm x",
            namespace: "AWS/Lambda",
            metric: "Errors",
            dimensions: ["FunctionName"],
            unit: "Count",
            periodSeconds: 60,
            region: "us-east-1",
            ...over,
        });

        it("fails a wrong dimension, a wrong namespace, a wrong unit, a period finer than the metric's and a wrong region", () => {
            expect(metricUseProblems(lambdaErrors({}))).to.deep.equal([]);
            expect(metricUseProblems(lambdaErrors({ dimensions: ["Function"] }))[0]).to.match(/has no dimension set \[Function\]/);
            expect(metricUseProblems(lambdaErrors({ dimensions: ["FunctionName", "Region"] }))[0]).to.match(/has no dimension set/);
            expect(metricUseProblems(lambdaErrors({ namespace: "AWS/ApiGateway" }))[0]).to.match(
                /AWS\/ApiGateway Errors is not in the catalogue \(Errors exists in AWS\/Lambda\)/,
            );
            expect(metricUseProblems(lambdaErrors({ unit: "Milliseconds" }))[0]).to.match(/is in Count, not Milliseconds/);
            expect(
                metricUseProblems(
                    lambdaErrors({
                        namespace: "AWS/DynamoDB",
                        metric: "ReplicationLatency",
                        dimensions: ["TableName", "ReceivingRegion"],
                        unit: "Milliseconds",
                    }),
                )[0],
            ).to.match(/period 60 s, but ReplicationLatency has a datapoint every 300 s/);
            expect(
                metricUseProblems(
                    lambdaErrors({
                        namespace: "AWS/Route53",
                        metric: "HealthCheckStatus",
                        dimensions: ["HealthCheckId"],
                        unit: undefined,
                        region: "us-west-2",
                    }),
                )[0],
            ).to.match(/published only in us-east-1/);
        });

        it("fails the real stack once one of its alarms gets a wrong dimension or namespace", async () => {
            const s = syntheses.dev;
            const mutate = (change: (a: RecordedResource) => RecordedResource): Synthesis => ({
                ...s,
                resources: s.resources.map((r) => (r.type === ALARM && r.name === "primary-payments-lambda-errors" ? change(r) : r)),
            });
            const wrongDimension = mutate((r) => ({ ...r, inputs: { ...r.inputs, dimensions: { Function: r.inputs.dimensions.FunctionName } } }));
            expect(problemsOf(wrongDimension)).to.have.length(1);
            const wrongNamespace = mutate((r) => ({ ...r, inputs: { ...r.inputs, namespace: "AWS/Lambdas" } }));
            expect(problemsOf(wrongNamespace)[0]).to.match(/AWS\/Lambdas Errors is not in the catalogue/);
        });
    });
});

describe("metric catalogue: our own metrics are exactly what the code emits", () => {
    const fixture = useHandlerFixture();
    let emitted: ReturnType<typeof emittedMetrics>;
    before(async () => {
        // The handler's access lines for a created payment, a client error and a payment the region fails, and the
        // line the cross-region conflict detector writes.
        fixture.logs.clear();
        await invoke(postTransactionEvent(validBody()));
        await invoke(postTransactionEvent({ ...validBody(), amount: "12" }));
        fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await closedPort()}` });
        await invoke(postTransactionEvent(validBody()));
        fixture.resetEnv();
        countCrossRegionConflict("transactions-test", "txn_x", ["us-east-1", "us-west-2"]);
        emitted = emittedMetrics(fixture.logs.lines);
    });

    const matches = (e: CatalogueEntry) =>
        emitted.some(
            (m) =>
                m.namespace === e.namespace && m.metric === e.metric && m.unit === e.unit && e.dimensionSets.some((set) => set.join() === m.dimensions.join()),
        );

    it("every EMF metric in the catalogue is emitted with that namespace, name, exact dimension set and unit", () => {
        const ours = METRIC_CATALOGUE.filter((e) => e.source === "emf");
        expect(ours.map((e) => e.metric)).to.have.members(["PaymentFailed", "CrossRegionConflicts"]);
        for (const e of ours) {
            expect(matches(e), `${e.namespace} ${e.metric}: emitted ${JSON.stringify(emitted)}`).to.equal(true);
        }
    });

    it("fails a custom metric the code does not emit, or emits with another dimension set or unit (tests of the test)", () => {
        const paymentFailed = METRIC_CATALOGUE.find((e) => e.metric === "PaymentFailed")!;
        expect(matches({ ...paymentFailed, metric: "PaymentFailures" })).to.equal(false);
        expect(matches({ ...paymentFailed, dimensionSets: [["Region", "Stage"]] })).to.equal(false);
        expect(matches({ ...paymentFailed, namespace: "PaymentsDR/Prod" })).to.equal(false);
        expect(matches({ ...paymentFailed, unit: "None" })).to.equal(false);
    });

    it("the takeover metric and the ledger's rejected records are the ones their publisher and metric filter write", async () => {
        const takeover = METRIC_CATALOGUE.find((e) => e.source === "put-metric-data")!;
        expect([takeover.namespace, takeover.metric, takeover.dimensionSets]).to.deep.equal([TAKEOVER_NAMESPACE, TAKEOVER_METRIC, [[TAKEOVER_DIMENSION]]]);
        const rejected = METRIC_CATALOGUE.find((e) => e.source === "metric-filter")!;
        const filters = ofType(await stackWith("prod", EVERY_OPTION), "aws:cloudwatch/logMetricFilter:LogMetricFilter")
            .map((f) => f.inputs.metricTransformation)
            .filter((t) => t.name === rejected.metric);
        expect(filters.length).to.be.greaterThan(0);
        for (const t of filters) {
            expect([t.namespace, t.name, t.unit, t.dimensions]).to.deep.equal([LEDGER_METRICS_NAMESPACE, REJECTED_RECORDS_METRIC, rejected.unit, undefined]);
        }
        expect([rejected.namespace, rejected.metric, rejected.dimensionSets]).to.deep.equal([LEDGER_METRICS_NAMESPACE, REJECTED_RECORDS_METRIC, [[]]]);
    });
});
