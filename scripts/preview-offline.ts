/**
 * `npm run preview:offline -- --stack dev|prod [--json plan.json]`
 * The logic lives in scripts/preview/ (tested there); this file only wires real dependencies and exits.
 */
import { promises as fs } from "fs";
import { readStackConfig } from "./synth/stack-config";
import { synthesize } from "./synth/synthesize";
import { parsePreviewArgs, PreviewUsageError, runOfflinePreview, USAGE } from "./preview/run";

async function main(argv: readonly string[]): Promise<number> {
    let options;
    try {
        options = parsePreviewArgs(argv);
    } catch (err) {
        if (err instanceof PreviewUsageError) {
            process.stderr.write(`preview:offline: ${err.message}\n\n${USAGE}`);
            return 2;
        }
        throw err;
    }
    if (options === "help") {
        process.stdout.write(USAGE);
        return 0;
    }
    const result = await runOfflinePreview(options, {
        readStackConfig: (stack) => readStackConfig(stack),
        synthesize,
        writeFile: (path, text) => fs.writeFile(path, text, "utf8"),
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
    });
    return result.exitCode;
}

main(process.argv.slice(2)).then(
    (code) => {
        // The mocked runtime may leave handles open; exit explicitly once everything is printed.
        process.exitCode = code;
        setImmediate(() => process.exit(code));
    },
    (err) => {
        process.stderr.write(`preview:offline: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
    },
);
