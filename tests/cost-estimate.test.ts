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
import { parseStackSettings } from "../program/config";
import { albInsteadOfHttpApi } from "../scripts/cost/alb";
import { ACCESS_LOG_BYTES, BENCH_CREATE_P50_MS, tieredCost, USAGE_PRICES, UsageEstimate, usageCosts } from "../scripts/cost/usage";
import { formatAlbTable, formatUsageTable } from "../scripts/cost/usage-report";
import { projectConfig } from "../scripts/preview/run";
import { readStackConfig } from "../scripts/synth/stack-config";
import { stack } from "./support/stacks";

/** The cost page holds the estimate's tables; the testing page the benchmark they take the duration from. */
const COSTS = fs.readFileSync(path.join(__dirname, "..", "docs", "costs.md"), "utf8");
const TESTING = fs.readFileSync(path.join(__dirname, "..", "docs", "testing.md"), "utf8");
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
        it(`docs/costs.md's ${name} table is what \`npm run cost:estimate -- --stack ${name}\` prints for the committed stack`, async () => {
            const table = formatCostTable(name, fixedMonthlyCosts((await stack(name)).resources));
            expect(COSTS, `docs/costs.md must contain this table (run \`npm run -s cost:estimate -- --stack ${name}\` and paste it):\n${table}`).to.contain(
                table,
            );
        });
    }
});

describe("cost estimate --tps (usage at a sustained payment rate)", () => {
    const settings = (name: "dev" | "prod") => parseStackSettings(projectConfig(readStackConfig(name)), undefined, name);
    const item = (u: UsageEstimate, prefix: string) => {
        const found = u.lines.filter((l) => l.item.startsWith(prefix));
        expect(found, prefix).to.have.length(1);
        return found[0];
    };

    it("prod at 10,000 payments/s: the figures worked out by hand", () => {
        const u = usageCosts(settings("prod"), { tps: 10_000 });
        // 10,000/s × 730 h × 3,600 s.
        expect(u.paymentsPerMonth).to.equal(26_280_000_000);
        // 300 million at $1.00 per million, the other 25,980 million at $0.90.
        expect(item(u, "API Gateway HTTP API requests")).to.include({ quantity: 26_280_000_000, monthly: 300 + 25_980 * 0.9 });
        expect(item(u, "Lambda requests (processor)").monthly).to.equal(26_280 * 0.2);
        // 1,769 MB = 1.7275390625 GB, × 11 ms (10.7 ms rounded up) = 499,396,992 GB-s at $0.0000133334.
        expect(item(u, "Lambda duration (processor, 1769 MB × 11 ms, GB-s)")).to.include({ quantity: 499_396_992, monthly: 6658.66 });
        // strong: the transaction put and the STORED update, each a replicated write in both Regions.
        expect(item(u, "DynamoDB replicated writes (2 per payment × 2 Regions, strong)")).to.include({ quantity: 105_120_000_000, monthly: 65_700 });
        expect(item(u, "DynamoDB index writes").monthly).to.equal(52_560 * 0.625);
        expect(item(u, "DynamoDB reads").monthly).to.equal(26_280 * 0.125);
        // Each receipt is a PUT here and a replication PUT there: 52,560 million at $0.005 per 1,000.
        expect(item(u, "S3 PUTs").monthly).to.equal(262_800);
        expect(item(u, "S3 Replication Time Control").quantity).to.equal(Math.round((26_280_000_000 * 300) / 1024 ** 3));
        // 1,000 resolvers × 2 types × 2,628,000 s / 15 s, within the first billion at $0.40 per million.
        expect(item(u, "Route 53 queries")).to.include({ quantity: 350_400_000, monthly: 140.16 });
        // 10,000/s × 11 ms = 110 environments, each reading the alarm every 2 s: 55/s.
        expect(item(u, "CloudWatch DescribeAlarms").quantity).to.equal(55 * 2_628_000);
        // cloudTrailDataEvents (on in prod): the put, the STORED update, the finisher's GetItem and the receipt's PutObject,
        // 4 × 26,280 million = 105,120 million events at $0.10 per 100,000.
        expect(item(u, "CloudTrail data events (4 per payment")).to.include({ quantity: 105_120_000_000, monthly: 105_120 });
        expect(u.monthly).to.equal(Math.round(u.lines.reduce((n, l) => n + l.monthly, 0) * 100) / 100);
        expect(u.perMillionPayments).to.equal(Math.round((u.monthly / 26_280) * 100) / 100);
        expect(u.lines.every((l) => l.source.startsWith("https://aws.amazon.com/"))).to.equal(true);
    });

    it("prices what the stack's settings change: eventual's version write, memory, aliases' free queries, no RTC, the TTL", () => {
        const dev = usageCosts(settings("dev"), { tps: 100 });
        expect(item(dev, "DynamoDB replicated writes (3 per payment × 2 Regions, eventual)").quantity).to.equal(100 * 2_628_000 * 6);
        expect(item(dev, "Lambda duration (processor, 1024 MB × 11 ms, GB-s)").quantity).to.equal(Math.round(100 * 2_628_000 * 0.011));
        expect(dev.lines.some((l) => l.item.startsWith("S3 Replication Time Control"))).to.equal(false);
        // dev leaves CloudTrail data events off; on, eventual mode makes 5 per payment (its version write).
        expect(dev.lines.some((l) => l.item.startsWith("CloudTrail data events"))).to.equal(false);
        expect(item(usageCosts({ ...settings("dev"), cloudTrailDataEvents: true }, { tps: 100 }), "CloudTrail data events (5 per payment").quantity).to.equal(
            100 * 2_628_000 * 5,
        );
        // dev's DNS-only CNAMEs have a 60 s TTL.
        expect(item(dev, "Route 53 queries (1,000 resolvers × A and AAAA every 60 s TTL)").quantity).to.equal(1000 * 2 * 43_800);
        const alias = usageCosts({ ...settings("prod"), failoverRecordType: "alias" }, { tps: 100 });
        expect(item(alias, "Route 53 queries (alias records: free)")).to.include({ quantity: 0, monthly: 0 });
        const slower = usageCosts(settings("prod"), { tps: 100, durationMs: 80, resolvers: 10 });
        expect(item(slower, "Lambda duration (processor, 1769 MB × 80 ms, GB-s)").quantity).to.equal(Math.round(100 * 2_628_000 * (1769 / 1024) * 0.08));
        // Never more queries than the payments' own lookups.
        expect(item(usageCosts(settings("prod"), { tps: 1, resolvers: 1_000_000 }), "Route 53 queries").quantity).to.equal(2 * 2_628_000);
    });

    it("applies volume tiers from the first unit of the month", () => {
        const price = USAGE_PRICES.httpApiRequests;
        expect(tieredCost(300_000_000, price)).to.be.closeTo(300, 1e-9);
        expect(tieredCost(300_000_001, price)).to.be.closeTo(300 + 0.9e-6, 1e-9);
        expect(tieredCost(0, price)).to.equal(0);
        // Lambda logs: 60 TB = 10 TB at $0.50 + 20 TB at $0.25 + 20 TB at $0.10 + 10 TB at $0.05.
        expect(tieredCost(60 * 1024, USAGE_PRICES.lambdaLogsGb)).to.be.closeTo((5000 + 5000 + 2000 + 500) * 1.024, 1e-6);
    });

    it("an ALB instead of the HTTP API at 10,000 payments/s: processed bytes decide the LCUs", () => {
        const alb = albInsteadOfHttpApi(10_000);
        // 10,000 × 2,048 B × 3,600 s = 68.66 GB an hour, at 0.4 GB per LCU for Lambda targets: 172 LCUs.
        expect(Math.ceil(alb.lcus)).to.equal(172);
        expect(alb.monthly).to.equal(Math.round((2 * 730 * 0.0225 + 172 * 730 * 0.008) * 100) / 100);
        expect(alb.httpApiMonthly).to.equal(23_682);
    });

    it("prices the API access log line the stack configures, at most ACCESS_LOG_BYTES with typical values", async () => {
        const stage = (await stack("prod")).resources.find((r) => r.type === "aws:apigatewayv2/stage:Stage")!;
        const typical: Record<string, string> = {
            "$context.requestId": "JjLsMiR5IAMEVXw=",
            "$context.routeKey": "POST /transactions",
            "$context.status": "201",
            "$context.responseLatency": "23",
            "$context.integrationLatency": "21",
            "$context.integrationErrorMessage": "-",
            "$context.domainName": "api.payments-dr.acme-pay.net",
            "$context.identity.sourceIp": "2001:db8:85a3::8a2e:370:7334",
            "$context.requestTimeEpoch": "1764700000000",
            "$context.identity.userAgent": "acme-pay-client/2.4.1 (java 21)",
            "$context.authorizer.claims.sub": "3f2b8c1e-8d4a-4c7e-9a51-2f6d0b7e9c13",
            "$context.authorizer.claims.client_id": "7sk2f9q1m4c8v0b3n6x5z2a1",
            "$context.authorizer.claims.merchant_id": "merchant_42",
            "$context.authorizer.error": "-",
        };
        let line = String((stage.inputs.accessLogSettings as { format: string }).format);
        for (const variable of Object.keys(typical).sort((a, b) => b.length - a.length)) {
            line = line.split(variable).join(typical[variable]);
        }
        expect(line).to.not.contain("$context");
        expect(Buffer.byteLength(line, "utf8"))
            .to.be.at.most(ACCESS_LOG_BYTES)
            .and.at.least(ACCESS_LOG_BYTES * 0.8);
    });

    it("takes the processor's duration from the benchmark docs/testing.md shows", () => {
        expect(TESTING).to.match(new RegExp(`\\| POST 201, 500 sequential \\| p50 ${BENCH_CREATE_P50_MS} ms,`));
    });

    for (const name of ["dev", "prod"] as const) {
        it(`docs/costs.md's ${name} tables at 10,000 payments/s are what \`npm run cost:estimate -- --stack ${name} --tps 10000\` prints`, () => {
            // The ALB comparison depends on the rate only: the page shows prod's.
            const tables = [
                formatUsageTable(name, usageCosts(settings(name), { tps: 10_000 })),
                ...(name === "prod" ? [formatAlbTable(name, 10_000, albInsteadOfHttpApi(10_000))] : []),
            ];
            for (const table of tables) {
                expect(
                    COSTS,
                    `docs/costs.md must contain (run \`npm run -s cost:estimate -- --stack ${name} --tps 10000\` and paste it):\n${table}`,
                ).to.contain(table);
            }
        });
    }
});
