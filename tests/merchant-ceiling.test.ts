import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { merchantRegionalCeiling } from "../program/capacity";
import { HEALTH_RESERVED_CONCURRENCY } from "../components/regional/health-capacity";
import { parseStackSettings } from "../program/config";
import { readStackConfig } from "../scripts/synth/stack-config";
import { lambdaEnv, ofType, stackWith } from "./support/stacks";

/**
 * The per-merchant limit is per execution environment (issue 27): docs/api.md states what it means per region for each
 * committed stack. This checks those figures against the stacks' own settings and the functions they synthesize.
 */

const API_PAGE = fs.readFileSync(path.join(__dirname, "..", "docs", "api.md"), "utf8");
const LIMIT = { ratePerSecond: 2, burst: 4 };
const figure = (n: number) => n.toLocaleString("en-US");

function settingsOf(stack: "dev" | "prod") {
    const own = Object.entries(readStackConfig(stack)).filter(([key]) => key.startsWith("payments-dr:"));
    const raw = Object.fromEntries(own.map(([key, value]) => [key.slice("payments-dr:".length), value]));
    return parseStackSettings(raw);
}

/** docs/api.md's row for a stack in the per-merchant ceiling table. */
function readmeRow(stack: string): string {
    const section = API_PAGE.slice(API_PAGE.indexOf("## Per-merchant limits"), API_PAGE.indexOf("## Read a transaction"));
    const rows = section.split("\n").filter((line) => line.trim().startsWith(`| ${stack} |`));
    expect(rows, `one docs/api.md row for ${stack}`).to.have.length(1);
    return rows[0];
}

describe("per-merchant limit: the documented regional ceiling matches each stack", function () {
    this.timeout(120_000);

    it("is min(limit, 1000 / duration) × the region's environments, and the burst × environments", () => {
        const reserved = merchantRegionalCeiling(LIMIT, { reservedConcurrency: 1200, accountConcurrencyLimit: 3000, expectedDurationMs: 80 });
        expect(reserved).to.deep.equal({ environments: 1200, perEnvironment: 2, requestsPerSecond: 2400, burst: 4800 });
        const unreserved = merchantRegionalCeiling({ ratePerSecond: 50, burst: 50 }, { accountConcurrencyLimit: 1000, expectedDurationMs: 80 });
        // one environment cannot serve more than 12.5 requests/s at 80 ms, whatever the limit says
        expect(unreserved).to.deep.equal({ environments: 1000 - HEALTH_RESERVED_CONCURRENCY, perEnvironment: 12.5, requestsPerSecond: 12437, burst: 49750 });
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the docs/api.md row's figures come from the synthesized processors in both regions`, async () => {
            // given: the committed stack with a limit of 2/s, burst 4
            const settings = settingsOf(stack);
            const synthesis = await stackWith(stack, { merchantRateLimit: String(LIMIT.ratePerSecond), merchantBurst: String(LIMIT.burst) });
            const processors = ofType(synthesis, "aws:lambda/function:Function").filter((fn) => fn.name.endsWith("-processor"));
            expect(processors.map((fn) => fn.region).sort()).to.deep.equal([settings.primaryRegion, settings.secondaryRegion].sort());
            // when
            const ceiling = merchantRegionalCeiling(LIMIT, settings);
            // then: every region's function runs at most that many environments, each with the limit
            for (const fn of processors) {
                expect(fn.inputs.reservedConcurrentExecutions).to.equal(settings.reservedConcurrency);
                expect(lambdaEnv(fn)).to.include({ MERCHANT_RATE_LIMIT: "2", MERCHANT_BURST: "4" });
            }
            expect(ceiling.environments).to.equal(settings.reservedConcurrency ?? settings.accountConcurrencyLimit - HEALTH_RESERVED_CONCURRENCY);
            const row = readmeRow(stack);
            const environments = figure(ceiling.environments);
            expect(row).to.include(`| ${environments}: `);
            expect(row).to.include(`L × ${environments} requests/s`);
            expect(row).to.include(`B × ${environments} at once`);
            expect(row).to.include(`no limit: all ${environments}`);
            if (stack === "prod") {
                expect(row).to.include(`(${figure(ceiling.requestsPerSecond)} at L = ${LIMIT.ratePerSecond})`);
            }
        });
    }

    it("the committed stacks set no limit, as the last column of docs/api.md's table says", () => {
        for (const stack of ["dev", "prod"] as const) {
            expect(settingsOf(stack).merchantLimit, stack).to.equal(undefined);
        }
    });
});
