import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CANARY_ESBUILD_TARGET } from "../../components/resilience/canaries";
import { buildBundle, ESBUILD_TARGET, PREBUILT_BUNDLES_DIR, prebuiltBundleFile } from "../../components/shared/function-bundle";

/**
 * The npm package's build (`npm run build`, run by `npm pack` as `prepack`): the library compiled to `dist/lib`
 * (`.js`, `.d.ts`, source maps; tsconfig.build.json) and every function's Lambda bundle beside it, so an installed
 * package deploys the same bytes as this repository without shipping the functions' sources or esbuild.
 */

const ROOT = path.join(__dirname, "..", "..");
/** tsconfig.build.json's `outDir`, relative to the repository root. */
export const LIB_OUT_DIR = "dist/lib";

export interface PackageBundle {
    readonly name: string;
    readonly target: string;
}

/** Every function at the Lambda runtime's Node, and the canary also at its Synthetics runtime's. */
export function packageBundles(root: string = ROOT): PackageBundle[] {
    const functions = fs
        .readdirSync(path.join(root, "functions"), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, "functions", entry.name, "index.ts")))
        .map((entry) => entry.name)
        .sort();
    return [...functions.map((name) => ({ name, target: ESBUILD_TARGET })), { name: "canary", target: CANARY_ESBUILD_TARGET }];
}

export interface PackageBuild {
    readonly bundles: readonly (PackageBundle & { readonly file: string; readonly bytes: number })[];
    readonly ms: number;
}

export function buildPackage(): PackageBuild {
    const started = Date.now();
    fs.rmSync(path.join(ROOT, LIB_OUT_DIR), { recursive: true, force: true });
    const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], {
        cwd: ROOT,
        encoding: "utf8",
    });
    if (tsc.status !== 0) {
        throw new Error(`tsc -p tsconfig.build.json failed:\n${tsc.stdout}${tsc.stderr}`);
    }
    fs.mkdirSync(PREBUILT_BUNDLES_DIR, { recursive: true });
    const bundles = packageBundles().map((bundle) => {
        const file = prebuiltBundleFile(bundle.name, bundle.target);
        const { code, bytes } = buildBundle(bundle.name, bundle.target);
        fs.writeFileSync(file, code);
        return { ...bundle, file, bytes };
    });
    return { bundles, ms: Date.now() - started };
}
