import * as fs from "fs";
import * as path from "path";

/**
 * What `npm test` runs. With no arguments: the static checks, then every mocha spec. With arguments: only mocha,
 * on the files and folders named (a folder means every `*.test.ts` under it) or on every spec when only mocha
 * options are given (`npm test -- --grep=receipts`: an option's value goes after `=`, since a bare word is a path). Each step is a command of the project's own toolchain, so it
 * runs on the Node that npm scripts put first on PATH (the pinned `node` dev dependency).
 */

export const ALL_SPECS = "tests/**/*.test.ts";

export const STATIC_CHECKS: readonly (readonly string[])[] = [
    ["npm", "run", "-s", "typecheck"],
    ["npm", "run", "-s", "lint"],
    ["npm", "run", "-s", "format:check"],
    ["npm", "run", "-s", "validate:workflows"],
];

export class TestUsageError extends Error {}

export function planTestRun(args: readonly string[], root: string): (readonly string[])[] {
    if (args.length === 0) {
        return [...STATIC_CHECKS, ["mocha", ALL_SPECS]];
    }
    const options = args.filter((a) => a.startsWith("-"));
    const targets = args.filter((a) => !a.startsWith("-"));
    const specs = targets.length === 0 ? [ALL_SPECS] : targets.map((t) => specsOf(t, root));
    return [["mocha", ...options, ...specs]];
}

function specsOf(target: string, root: string): string {
    const full = path.resolve(root, target);
    if (!fs.existsSync(full)) {
        throw new TestUsageError(`no such test file or folder: ${target} (mocha options take the form --name=value)`);
    }
    if (fs.statSync(full).isDirectory()) {
        return `${path.relative(root, full) || "."}/**/*.test.ts`;
    }
    if (!full.endsWith(".ts")) {
        throw new TestUsageError(`${target} is not a TypeScript test file (tests/**/*.test.ts, or a folder of them)`);
    }
    return path.relative(root, full);
}
