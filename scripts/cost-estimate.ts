/**
 * `npm run cost:estimate -- --stack dev|prod [--tps <n> [--duration-ms <ms>] [--resolvers <n>]]`: synthesizes the
 * stack offline (mocked runtime) and prints its fixed monthly cost at list prices as a Markdown table, with the price
 * sources; with `--tps`, also the usage cost of that sustained payment rate, per month and per million payments, and
 * what an ALB would cost instead of the HTTP API. The logic lives in scripts/cost/.
 */
import { format, parseArgs } from "util";
import { parseStackSettings } from "../program/config";
import { albInsteadOfHttpApi } from "./cost/alb";
import { formatCostTable, fixedMonthlyCosts, gameDayCosts } from "./cost/estimate";
import { usageCosts } from "./cost/usage";
import { formatAlbTable, formatUsageTable } from "./cost/usage-report";
import { projectConfig } from "./preview/run";
import { readStackConfig } from "./synth/stack-config";
import { synthesize } from "./synth/synthesize";

const USAGE = "Usage: npm run cost:estimate -- --stack <name> [--tps <payments per second> [--duration-ms <ms>] [--resolvers <n>]]\n";

/** A positive number from a flag, or undefined when the flag is absent; throws a usage error otherwise. */
function positive(flag: string, value: string | undefined): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
        throw new UsageError(`--${flag} is ${JSON.stringify(value)}: must be a positive number`);
    }
    return n;
}

class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs({
        args: [...argv],
        options: { stack: { type: "string" }, tps: { type: "string" }, "duration-ms": { type: "string" }, resolvers: { type: "string" } },
        strict: true,
    });
    let tps: number | undefined, durationMs: number | undefined, resolvers: number | undefined;
    try {
        [tps, durationMs, resolvers] = [positive("tps", values.tps), positive("duration-ms", values["duration-ms"]), positive("resolvers", values.resolvers)];
    } catch (e) {
        process.stderr.write(`cost:estimate: ${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    if (!values.stack || (tps === undefined && (durationMs !== undefined || resolvers !== undefined))) {
        process.stderr.write(USAGE);
        return 2;
    }
    // The program's log lines (`info: [runtime] …`) go to stderr: stdout is the table alone.
    console.log = console.info = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
    const synthesis = await synthesize(values.stack, readStackConfig(values.stack));
    const lines = fixedMonthlyCosts(synthesis.resources);
    // Game days (`gameDays`) cost nothing until run: priced per run, in a table of their own.
    const gameDays = gameDayCosts(synthesis.resources);
    const tables = [formatCostTable(values.stack, lines), ...(gameDays.length > 0 ? [formatCostTable(values.stack, gameDays, "game day")] : [])];
    const priced = [...lines, ...gameDays];
    if (tps !== undefined) {
        const settings = parseStackSettings(projectConfig(readStackConfig(values.stack)), undefined, values.stack);
        const usage = usageCosts(settings, { tps, durationMs, resolvers });
        const alb = albInsteadOfHttpApi(tps);
        tables.push(formatUsageTable(values.stack, usage), formatAlbTable(values.stack, tps, alb));
        priced.push(...usage.lines, ...alb.lines);
    }
    const sources = [...new Set(priced.map((l) => `- ${l.source}`))];
    process.stdout.write(`${tables.join("\n\n")}\n\nPrices:\n${sources.join("\n")}\n`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
        // The mocked runtime may leave handles open; exit explicitly once everything is printed.
        // A pipe takes stdout asynchronously: exit only once everything written so far has been flushed.
        process.stdout.write("", () => process.exit(code));
    },
    (err) => {
        process.stderr.write(`cost:estimate: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
    },
);
