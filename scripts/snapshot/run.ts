/**
 * `npm run preview:snapshot -- --out <dir>` writes the snapshot of dev, prod and the every-option stack
 * (`<dir>/<stack>.json`); `--compare <before> <after>` compares two such folders, prints every difference and
 * every URN change that `aliases` cover, and fails on any difference. The logic, with its file and program
 * access injected (tested in tests/preview-snapshot.test.ts).
 */
import * as path from "path";
import { parseArgs } from "util";
import { compareStacks } from "./compare";
import { StackSnapshot, snapshotJson } from "./document";

export const USAGE = `Usage: npm run preview:snapshot -- --out <dir>
       npm run preview:snapshot -- --compare <before-dir> <after-dir>

  --out <dir>          write <dir>/dev.json, prod.json and every-option.json: every resource the program registers
                       (type, name, URN, parent, provider, inputs, options) and the stack outputs, sorted
  --compare <a> <b>    compare two such folders: print every difference, and the URN changes that aliases cover
  -h, --help           show this help

Exit codes: 0 written, or identical (aliased URN changes allowed); 1 a difference; 2 usage.
`;

/** The stacks of a snapshot: the committed ones, and prod with every optional component on. */
export const SNAPSHOT_STACKS = ["dev", "prod", "every-option"] as const;
export type SnapshotStack = (typeof SNAPSHOT_STACKS)[number];

export type SnapshotCommand = { readonly out: string } | { readonly compare: readonly [string, string] } | "help";

export class SnapshotUsageError extends Error {}

export function parseSnapshotArgs(argv: readonly string[]): SnapshotCommand {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: { out: { type: "string" }, compare: { type: "boolean" }, help: { type: "boolean", short: "h" } },
            allowPositionals: true,
            strict: true,
        });
    } catch (err) {
        throw new SnapshotUsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        return "help";
    }
    if (values.compare) {
        if (values.out !== undefined || positionals.length !== 2) {
            throw new SnapshotUsageError("--compare takes two folders (before, after) and nothing else");
        }
        return { compare: [positionals[0], positionals[1]] };
    }
    if (values.out === undefined || positionals.length > 0) {
        throw new SnapshotUsageError("give --out <dir>, or --compare <before-dir> <after-dir>");
    }
    return { out: values.out };
}

export interface SnapshotDeps {
    readonly snapshot: (stack: SnapshotStack) => Promise<StackSnapshot>;
    readonly readFile: (file: string) => Promise<string>;
    readonly writeFile: (file: string, text: string) => Promise<void>;
    readonly stdout: (text: string) => void;
}

export async function writeSnapshots(dir: string, deps: SnapshotDeps): Promise<number> {
    for (const stack of SNAPSHOT_STACKS) {
        const snapshot = await deps.snapshot(stack);
        const file = path.join(dir, `${stack}.json`);
        await deps.writeFile(file, snapshotJson(snapshot));
        deps.stdout(`${stack}: ${snapshot.resources.length} resources, ${Object.keys(snapshot.outputs as object).length} outputs → ${file}\n`);
    }
    return 0;
}

export async function compareSnapshots(before: string, after: string, deps: SnapshotDeps): Promise<number> {
    let differences = 0;
    for (const stack of SNAPSHOT_STACKS) {
        const read = async (dir: string) => JSON.parse(await deps.readFile(path.join(dir, `${stack}.json`))) as StackSnapshot;
        const [a, b] = [await read(before), await read(after)];
        const result = compareStacks(a, b);
        differences += result.differences.length;
        deps.stdout(
            `${stack}: ${a.resources.length} → ${b.resources.length} resources, ${result.differences.length} difference(s), ` +
                `${result.aliased.length} aliased URN change(s)\n`,
        );
        for (const d of result.differences) {
            deps.stdout(`  differs: ${d}\n`);
        }
        for (const { from, to } of result.aliased) {
            deps.stdout(`  aliased: ${from} → ${to}\n`);
        }
    }
    deps.stdout(differences === 0 ? "identical (aliased URN changes aside)\n" : `${differences} difference(s)\n`);
    return differences === 0 ? 0 : 1;
}
