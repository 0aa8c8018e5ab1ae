import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as esbuildApi from "esbuild";
import * as pulumi from "@pulumi/pulumi";

/** A bundled Lambda entry point: one self-contained CommonJS file. */
export interface FunctionBundle {
    /** The bundled JavaScript, written to `index.js` in the archive. */
    readonly code: string;
    /** Size of `code` in bytes. */
    readonly bytes: number;
    /** SHA-256 of `code`, hex: identical sources give an identical hash. */
    readonly sha256: string;
}

/** Lambda runtime the functions run on (supported until 2028 per AWS's runtime deprecation table). */
export const LAMBDA_RUNTIME = "nodejs24.x";
/** Syntax level of the bundle: the Lambda runtime's Node major, which the toolchain also runs on (`node` dev dependency). */
export const ESBUILD_TARGET = "node24";

/** The nearest folder above this file with a package.json: the repository, or `node_modules/payments-dr` once installed. */
function packageRoot(from: string): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`payments-dr: no package.json above ${from}`);
        }
    }
}

// From this file's own folder, wherever it sits: the walk needs no path relative to it.
const PACKAGE_ROOT = packageRoot(path.dirname(__filename));
const FUNCTIONS_DIR = path.join(PACKAGE_ROOT, "functions");
/** Where `npm run build` writes each function's bundle: the npm package ships these, not the functions' sources. */
export const PREBUILT_BUNDLES_DIR = path.join(PACKAGE_ROOT, "dist", "lib", "function-bundles");
export const prebuiltBundleFile = (name: string, target: string = ESBUILD_TARGET): string => path.join(PREBUILT_BUNDLES_DIR, `${name}.${target}.js`);
const cache = new Map<string, FunctionBundle>();

/**
 * Bundles `functions/<name>/index.ts` with esbuild, or, where the sources are absent (the installed npm package),
 * reads the bundle `npm run build` made from them. Deterministic: no timestamps, no absolute paths,
 * no source maps in the output, so `pulumi preview` shows no diff for unchanged sources.
 * Bundled once per process: both regions deploy the same bytes. `target`: another runtime's Node (the canaries').
 */
export function bundleFunction(name: string, target: string = ESBUILD_TARGET): FunctionBundle {
    const cacheKey = `${name}@${target}`;
    const cached = cache.get(cacheKey);
    if (cached) {
        return cached;
    }
    const bundle = fs.existsSync(path.join(FUNCTIONS_DIR, name)) ? buildBundle(name, target) : prebuiltBundle(name, target);
    cache.set(cacheKey, bundle);
    return bundle;
}

/** One uncached esbuild run (the tests build twice to prove the output is deterministic). */
export function buildBundle(name: string, target: string = ESBUILD_TARGET): FunctionBundle {
    // Loaded only here: the installed package bundles nothing, so esbuild is a dev dependency, not the package's.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild: typeof esbuildApi = require("esbuild");
    const result = esbuild.buildSync({
        entryPoints: [path.join(FUNCTIONS_DIR, name, "index.ts")],
        absWorkingDir: PACKAGE_ROOT,
        bundle: true,
        platform: "node",
        target,
        format: "cjs",
        // Prefer the ES-module builds of dependencies: esbuild can only tree-shake those. For the
        // AWS SDK v3 clients this cuts the bundle by about a third (≈765 KiB → ≈515 KiB).
        mainFields: ["module", "main"],
        minify: true,
        legalComments: "none",
        sourcemap: false,
        write: false,
        logLevel: "silent",
    });
    return bundleOf(result.outputFiles[0].text);
}

function prebuiltBundle(name: string, target: string): FunctionBundle {
    const file = prebuiltBundleFile(name, target);
    if (!fs.existsSync(file)) {
        throw new Error(`payments-dr: no bundle of functions/${name} for ${target} (${file}); the package's build (npm run build) makes one per function`);
    }
    return bundleOf(fs.readFileSync(file, "utf8"));
}

function bundleOf(code: string): FunctionBundle {
    return Object.freeze({
        code,
        bytes: Buffer.byteLength(code),
        sha256: crypto.createHash("sha256").update(code).digest("hex"),
    });
}

/** The archive Lambda deploys: `index.js` exporting `handler`. */
export function functionArchive(name: string): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset(bundleFunction(name).code),
    });
}
