/**
 * `npm run cost:estimate -- --stack dev|prod`: synthesizes the stack offline (mocked runtime) and prints its fixed
 * monthly cost at list prices as a Markdown table, with the price sources. The logic lives in scripts/cost/.
 */
import { format, parseArgs } from "util";
import { formatCostTable, fixedMonthlyCosts, gameDayCosts } from "./cost/estimate";
import { readStackConfig } from "./synth/stack-config";
import { synthesize } from "./synth/synthesize";

async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs({ args: [...argv], options: { stack: { type: "string" } }, strict: true });
    if (!values.stack) {
        process.stderr.write("Usage: npm run cost:estimate -- --stack <name>\n");
        return 2;
    }
    // The program's log lines (`info: [runtime] …`) go to stderr: stdout is the table alone.
    console.log = console.info = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
    const synthesis = await synthesize(values.stack, readStackConfig(values.stack));
    const lines = fixedMonthlyCosts(synthesis.resources);
    // Game days (`gameDays`) cost nothing until run: priced per run, in a table of their own.
    const gameDays = gameDayCosts(synthesis.resources);
    const tables = [formatCostTable(values.stack, lines), ...(gameDays.length > 0 ? [formatCostTable(values.stack, gameDays, "game day")] : [])];
    const sources = [...new Set([...lines, ...gameDays].map((l) => `- ${l.source}`))];
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
