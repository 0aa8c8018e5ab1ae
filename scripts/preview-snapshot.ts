/**
 * `npm run preview:snapshot -- --out <dir>` | `-- --compare <before-dir> <after-dir>`: the program's full resource
 * graph under the offline preview's mocked runtime, and a comparison of two of them (scripts/snapshot/run.ts).
 */
import { promises as fs } from "fs";
import * as path from "path";
import { format } from "util";
import { everyOptionConfig } from "./synth/every-option";
import { readStackConfigFile } from "./synth/stack-config";
import { synthesize } from "./synth/synthesize";
import { stackSnapshot } from "./snapshot/document";
import { compareSnapshots, parseSnapshotArgs, SnapshotDeps, SnapshotStack, SnapshotUsageError, USAGE, writeSnapshots } from "./snapshot/run";

/** Synthesized as the offline preview does: the stack file's values, its encrypted keys kept secret. */
async function snapshotOf(stack: SnapshotStack) {
    const file = readStackConfigFile(stack === "every-option" ? "prod" : stack);
    const config = stack === "every-option" ? everyOptionConfig() : file.config;
    return stackSnapshot(await synthesize(stack, config, undefined, { secretKeys: file.secretKeys }));
}

async function main(argv: readonly string[]): Promise<number> {
    let command;
    try {
        command = parseSnapshotArgs(argv);
    } catch (err) {
        if (err instanceof SnapshotUsageError) {
            process.stderr.write(`preview:snapshot: ${err.message}\n\n${USAGE}`);
            return 2;
        }
        throw err;
    }
    if (command === "help") {
        process.stdout.write(USAGE);
        return 0;
    }
    // The program's log lines (`info: [runtime] …` under the mocked runtime) go to stderr, apart from the report.
    console.log = console.info = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
    const deps: SnapshotDeps = {
        snapshot: snapshotOf,
        readFile: (file) => fs.readFile(file, "utf8"),
        writeFile: async (file, text) => {
            await fs.mkdir(path.dirname(file), { recursive: true });
            await fs.writeFile(file, text, "utf8");
        },
        stdout: (text) => process.stdout.write(text),
    };
    return "out" in command ? writeSnapshots(command.out, deps) : compareSnapshots(command.compare[0], command.compare[1], deps);
}

main(process.argv.slice(2)).then(
    // The mocked runtime may leave handles open: exit once stdout is flushed.
    (code) => process.stdout.write("", () => process.exit(code)),
    (err) => {
        process.stderr.write(`preview:snapshot: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
    },
);
