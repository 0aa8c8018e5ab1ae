/**
 * `npm run preview:offline -- --stack dev|prod [--details] [--json <file>|-]`
 * The logic lives in scripts/preview/ (tested there); this file only wires real dependencies and exits.
 */
import { promises as fs } from "fs";
import { format } from "util";
import { readStackConfig } from "./synth/stack-config";
import { synthesize } from "./synth/synthesize";
import { JSON_TO_STDOUT, parsePreviewArgs, PreviewUsageError, runOfflinePreview, USAGE } from "./preview/run";

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
    if (options.json === JSON_TO_STDOUT) {
        // The program's log lines (`info: [runtime] …` under the mocked runtime) must not mix with the document.
        console.log = console.info = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
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
        // A pipe takes stdout asynchronously: exit only once everything written so far has been flushed.
        process.stdout.write("", () => process.exit(code));
    },
    (err) => {
        process.stderr.write(`preview:offline: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
    },
);
