import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    CostResource,
    fixedMonthlyCosts,
    formatCostTable,
    gameDayCosts,
    HOURS_PER_MONTH,
    isoDurationMinutes,
    runsPerMonth,
    totalMonthly,
} from "../scripts/cost/estimate";
import { stack } from "./support/stacks";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
const line = (lines: ReturnType<typeof fixedMonthlyCosts>, item: string) => lines.find((l) => l.item === item);

describe("cost estimate (fixed monthly cost at list prices)", () => {
    it("prices keys, zones, each kind of health check and its options, alarm metrics, dashboards, canaries and provisioned concurrency", () => {
        const resources: CostResource[] = [
            { type: "aws:kms/key:Key", name: "k1", inputs: {} },
            { type: "aws:kms/key:Key", name: "k2", inputs: {} },
            { type: "aws:route53/zone:Zone", name: "z", inputs: {} },
            { type: "aws:route53/healthCheck:HealthCheck", name: "https", inputs: { type: "HTTPS", requestInterval: 10, measureLatency: true } },
            { type: "aws:route53/healthCheck:HealthCheck", name: "calc", inputs: { type: "CALCULATED" } },
            { type: "aws:route53/healthCheck:HealthCheck", name: "alarm", inputs: { type: "CLOUDWATCH_METRIC" } },
            { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "a", inputs: { period: 60 } },
            {
                type: "aws:cloudwatch/metricAlarm:MetricAlarm",
                name: "math",
                inputs: { metricQueries: [{ metric: {} }, { metric: {} }, { expression: "m1/m2" }] },
            },
            { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "fast", inputs: { period: 10 } },
            { type: "aws:cloudwatch/dashboard:Dashboard", name: "d", inputs: {} },
            { type: "aws:synthetics/canary:Canary", name: "c", inputs: { schedule: { expression: "rate(5 minutes)" } } },
            { type: "aws:lambda/function:Function", name: "f", inputs: { name: "fn", memorySize: 1024 } },
            {
                type: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
                name: "pc",
                inputs: { functionName: "fn", provisionedConcurrentExecutions: 2 },
            },
            { type: "aws:sqs/queue:Queue", name: "q", inputs: {} },
        ];
        const lines = fixedMonthlyCosts(resources);
        expect(line(lines, "KMS customer managed keys")).to.include({ quantity: 2, monthly: 2 });
        expect(line(lines, "Route 53 hosted zones")).to.include({ quantity: 1, monthly: 0.5 });
        expect(line(lines, "Route 53 endpoint health checks")).to.include({ quantity: 1, monthly: 0.75 });
        expect(line(lines, "Route 53 health-check options (HTTPS, 10 s interval, …)")).to.include({ quantity: 3, monthly: 6 });
        expect(line(lines, "Route 53 calculated and alarm health checks")).to.include({ quantity: 2, monthly: 1 });
        expect(line(lines, "CloudWatch alarm metrics")).to.include({ quantity: 3, monthly: 0.3 });
        expect(line(lines, "CloudWatch high-resolution alarm metrics")).to.include({ quantity: 1, monthly: 0.3 });
        expect(line(lines, "CloudWatch dashboards")).to.include({ quantity: 1, monthly: 3 });
        // Every 5 minutes for 730 hours: 8,760 runs at $0.0012.
        expect(line(lines, "Synthetics canary runs")).to.include({ quantity: 8760, monthly: 10.51 });
        // 2 × 1 GB × 730 h × 3600 s at $0.0000041667 per GB-s.
        expect(line(lines, "Lambda provisioned concurrency (GB-s)")).to.include({ quantity: 2 * HOURS_PER_MONTH * 3600, monthly: 21.9 });
        expect(totalMonthly(lines)).to.equal(46.26);
        expect(lines.every((l) => l.source.startsWith("https://aws.amazon.com/"))).to.equal(true);
    });

    it("prices each FIS experiment template per run, by the minutes its actions last (game days), and nothing per month", () => {
        const template = (name: string, durations: string[]): CostResource => ({
            type: "aws:fis/experimentTemplate:ExperimentTemplate",
            name,
            inputs: { actions: durations.map((value) => ({ parameters: [{ key: "duration", value }] })) },
        });
        const resources = [template("table", ["PT15M"]), template("documents", ["PT30M"]), template("two", ["PT1H", "PT90S"])];
        expect(fixedMonthlyCosts(resources)).to.deep.equal([]);
        const lines = gameDayCosts(resources);
        expect(lines.map((l) => [l.quantity, l.monthly])).to.deep.equal([
            [15, 1.5],
            [30, 3],
            [62, 6.2],
        ]);
        expect(formatCostTable("dev", lines.slice(0, 2), "game day")).to.contain("| dev: one run of each game day | Quantity | Unit price | Per run |");
        expect(formatCostTable("dev", lines.slice(0, 2), "game day")).to.contain("| **Total** | | | **$4.50** |");
        expect(isoDurationMinutes("PT2H")).to.equal(120);
        expect(isoDurationMinutes("15 minutes")).to.equal(0);
    });

    it("reads rate() schedules and leaves others at zero", () => {
        expect(runsPerMonth("rate(1 minute)")).to.equal(43_800);
        expect(runsPerMonth("rate(1 hour)")).to.equal(730);
        expect(runsPerMonth("cron(0 12 * * ? *)")).to.equal(0);
    });

    for (const name of ["dev", "prod"] as const) {
        it(`the README's ${name} table is what \`npm run cost:estimate -- --stack ${name}\` prints for the committed stack`, async () => {
            const table = formatCostTable(name, fixedMonthlyCosts((await stack(name)).resources));
            expect(README, `README.md must contain this table (run \`npm run -s cost:estimate -- --stack ${name}\` and paste it):\n${table}`).to.contain(table);
        });
    }
});
