import * as crypto from "crypto";
import { promises as fs } from "fs";
import * as path from "path";
import * as esbuild from "esbuild";
import { ESBUILD_TARGET } from "../../components/shared/function-bundle";

/**
 * The DR commands as single-file bundles: everything they import (the AWS SDK clients included) in one CommonJS
 * file each, run by a bare `node` with no repository and no node_modules, so an operator can download them before
 * an outage (README "Failover runbook") instead of cloning and installing during one.
 */

export interface DrTool {
    /** The bundle's file name without `.cjs`. */
    readonly name: string;
    /** The npm script that runs the same code from the repository. */
    readonly npmScript: string;
    /** The script bundled, relative to the repository root. */
    readonly script: string;
}

export const DR_TOOLS: readonly DrTool[] = [
    { name: "failover", npmScript: "failover", script: "scripts/failover.ts" },
    { name: "failback", npmScript: "failback", script: "scripts/failback.ts" },
    { name: "reconcile", npmScript: "reconcile", script: "scripts/reconcile.ts" },
    { name: "drill-status", npmScript: "drill:status", script: "scripts/drill-status.ts" },
];

/** Where `npm run build:dr-tools` writes them, relative to the repository root (gitignored; the deploy workflow uploads it). */
export const DR_TOOLS_OUT_DIR = "dist/dr-tools";

/** The checksum file written beside the bundles (`sha256sum -c SHA256SUMS` checks a download). */
export const CHECKSUM_FILE = "SHA256SUMS";

const ROOT = path.join(__dirname, "..", "..");

export interface BuiltTool {
    readonly name: string;
    readonly file: string;
    readonly bytes: number;
    readonly sha256: string;
}

export interface DrToolsBuild {
    readonly tools: readonly BuiltTool[];
    readonly ms: number;
}

/**
 * The bundle's entry: each script runs its own `main` only when it is Node's main module, and inside one bundle
 * every inlined module would pass that check (failback imports reconcile). So `require.main` is defined away at
 * build time and this entry alone calls the script's `main`, with runMain's exit-code and error handling.
 */
function entrySource(tool: DrTool): string {
    return [
        `import { main } from ${JSON.stringify(`./${tool.script.replace(/\.ts$/, "")}`)};`,
        "main(process.argv.slice(2)).then(",
        "    (code) => { process.exitCode = code; },",
        `    (err) => { process.stderr.write(${JSON.stringify(`${tool.name}: internal error: `)} + (err instanceof Error ? err.message : String(err)) + "\\n"); process.exitCode = 2; },`,
        ");",
    ].join("\n");
}

async function bundle(tool: DrTool, version: string): Promise<string> {
    const result = await esbuild.build({
        stdin: { contents: entrySource(tool), resolveDir: ROOT, sourcefile: `${tool.name}-entry.ts`, loader: "ts" },
        absWorkingDir: ROOT,
        bundle: true,
        platform: "node",
        // The Lambda runtime's Node major, also the current LTS the npm scripts run on.
        target: ESBUILD_TARGET,
        format: "cjs",
        mainFields: ["module", "main"],
        define: { "require.main": "undefined", DR_TOOL_FILE: JSON.stringify(`${tool.name}.cjs`) },
        banner: {
            js: `#!/usr/bin/env node\n// payments-dr ${version} ${tool.name}: ${tool.script} bundled with its dependencies; \`node ${tool.name}.cjs --help\``,
        },
        minify: true,
        legalComments: "eof",
        sourcemap: false,
        write: false,
        logLevel: "silent",
    });
    return result.outputFiles[0].text;
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * Writes `<name>.cjs` for every tool (or `only` these) and SHA256SUMS to `outDir`. Deterministic: the same sources give the same
 * bytes (no timestamps, no absolute paths), so a release's checksums can be rebuilt from its commit.
 */
export async function buildDrTools(outDir: string, only: readonly DrTool[] = DR_TOOLS): Promise<DrToolsBuild> {
    const started = Date.now();
    const { version } = JSON.parse(await fs.readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const codes = await Promise.all(only.map((tool) => bundle(tool, version)));
    await fs.mkdir(outDir, { recursive: true });
    const tools: BuiltTool[] = [];
    for (const [i, tool] of only.entries()) {
        const file = path.join(outDir, `${tool.name}.cjs`);
        await fs.writeFile(file, codes[i], { mode: 0o755 });
        tools.push({ name: tool.name, file, bytes: Buffer.byteLength(codes[i]), sha256: sha256(codes[i]) });
    }
    const sums = tools.map((t) => `${t.sha256}  ${path.basename(t.file)}\n`).join("");
    await fs.writeFile(path.join(outDir, CHECKSUM_FILE), sums);
    return { tools, ms: Date.now() - started };
}
