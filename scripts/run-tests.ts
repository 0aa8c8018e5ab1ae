/**
 * `npm test [-- <file|folder>... | <mocha options>]`: the whole gate with no arguments, or only the named specs.
 * The plan lives in scripts/test/plan.ts (tested there); this file only runs it and exits.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { planTestRun, TestUsageError } from "./test/plan";

function main(argv: readonly string[]): number {
    const root = path.join(__dirname, "..");
    let steps;
    try {
        steps = planTestRun(argv, root);
    } catch (err) {
        if (err instanceof TestUsageError) {
            process.stderr.write(`test: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
    for (const [command, ...args] of steps) {
        const { status, error } = spawnSync(command, args, { cwd: root, stdio: "inherit" });
        if (error) {
            throw error;
        }
        if (status !== 0) {
            return status ?? 1;
        }
    }
    return 0;
}

process.exitCode = main(process.argv.slice(2));
