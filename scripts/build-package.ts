/**
 * `npm run build` (also `prepack`): compiles the library to dist/lib and writes each function's Lambda bundle
 * to dist/lib/function-bundles, what the npm package ships (package.json `files`).
 */
import * as path from "path";
import { buildPackage, LIB_OUT_DIR } from "./package/build";

try {
    const { bundles, ms } = buildPackage();
    for (const bundle of bundles) {
        process.stdout.write(`${path.relative(process.cwd(), bundle.file)}  ${(bundle.bytes / 1024).toFixed(0)} KiB\n`);
    }
    process.stdout.write(`built ${LIB_OUT_DIR} and ${bundles.length} function bundles in ${(ms / 1000).toFixed(1)} s\n`);
} catch (err) {
    process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
}
