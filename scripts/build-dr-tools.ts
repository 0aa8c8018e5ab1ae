/**
 * `npm run build:dr-tools [-- --out <dir>]`: writes the DR commands as single-file bundles (failover.cjs,
 * failback.cjs, reconcile.cjs, drill-status.cjs) and SHA256SUMS to dist/dr-tools/ (or `--out`). They run with a
 * bare `node` (24, the current LTS and the Lambda runtime's major) and no node_modules.
 */
import * as path from "path";
import { parseArgs } from "util";
import { buildDrTools, DR_TOOLS_OUT_DIR } from "./dr-tools/bundle";

async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs({ args: [...argv], options: { out: { type: "string" } }, strict: true });
    const outDir = path.resolve(values.out ?? path.join(__dirname, "..", DR_TOOLS_OUT_DIR));
    const { tools, ms } = await buildDrTools(outDir);
    for (const tool of tools) {
        process.stdout.write(`${path.relative(process.cwd(), tool.file)}  ${(tool.bytes / 1024).toFixed(0)} KiB  sha256 ${tool.sha256}\n`);
    }
    process.stdout.write(`built ${tools.length} DR tools in ${(ms / 1000).toFixed(1)} s\n`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err: unknown) => {
        process.stderr.write(`build:dr-tools: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
    },
);
