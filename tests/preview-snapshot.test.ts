import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { aliasUrns } from "../scripts/snapshot/aliases";
import { compareStacks } from "../scripts/snapshot/compare";
import { canonical, INLINE_STRING_LIMIT, SnapshotResource, StackSnapshot, snapshotJson, stackSnapshot } from "../scripts/snapshot/document";
import { compareSnapshots, parseSnapshotArgs, SnapshotDeps, SnapshotUsageError, writeSnapshots } from "../scripts/snapshot/run";
import { synthesize } from "../scripts/synth/synthesize";
import { readStackConfig } from "../scripts/synth/stack-config";
import { stack } from "./support/stacks";

const ROOT = path.join(__dirname, "..");
const FIXTURE = path.join(__dirname, "support", "moved-component.ts");

/** The fixture program with a component of type `type`, optionally aliased to `aliasOf`, its queue kept `retention` seconds. */
async function fixture(type: string, options: { aliasOf?: string; retention?: number } = {}): Promise<StackSnapshot> {
    const config: Record<string, string> = { "fixture:type": type, "fixture:retention": String(options.retention ?? 60) };
    if (options.aliasOf) {
        config["fixture:aliasOf"] = options.aliasOf;
    }
    return stackSnapshot(await synthesize("test", config, "fixture", { program: FIXTURE }));
}

const OLD = "payments-dr:index:Box";
const NEW = "payments-dr:shared:Box";
const urn = (qualifiedType: string, name: string) => `urn:pulumi:test::fixture::${qualifiedType}::${name}`;

/** In-memory files for the run functions. */
function memoryDeps(files: Map<string, string>, snapshots: Partial<Record<string, StackSnapshot>> = {}) {
    const out = { stdout: "" };
    const deps: SnapshotDeps = {
        snapshot: async (name) => snapshots[name]!,
        readFile: async (file) => {
            const text = files.get(file);
            if (text === undefined) {
                throw new Error(`no file ${file}`);
            }
            return text;
        },
        writeFile: async (file, text) => {
            files.set(file, text);
        },
        stdout: (t) => (out.stdout += t),
    };
    return { deps, out };
}

describe("preview:snapshot: the full resource graph, and a comparison that allows only aliased moves", function () {
    this.timeout(120_000);

    describe("the snapshot of the committed dev stack", () => {
        let dev: StackSnapshot;
        before(async () => {
            dev = stackSnapshot(await stack("dev"));
        });

        it("holds every resource, sorted by URN, with its parent, provider, inputs and options", () => {
            expect(dev.resources.length).to.be.greaterThan(150);
            const urns = dev.resources.map((r) => r.urn);
            expect(urns).to.deep.equal([...urns].sort());
            const table = dev.resources.find((r) => r.type === "aws:dynamodb/table:Table")!;
            expect(table.parent).to.match(/payments-dr:[a-z-]+:GlobalLayer::/);
            expect(table.provider).to.match(/^urn:pulumi:dev::payments-dr::pulumi:providers:aws::/);
            expect(table.inputs).to.have.property("hashKey", "pk");
            for (const key of [
                "protect",
                "retainOnDelete",
                "deleteBeforeReplace",
                "ignoreChanges",
                "dependsOn",
                "aliases",
                "customTimeouts",
                "additionalSecretOutputs",
            ]) {
                expect(table, key).to.have.property(key);
            }
            // A shipped move the program keeps with an alias: recorded as the engine receives it.
            const guard = dev.resources.find((r) => r.name === "global-consistency-guard")!;
            expect(guard.aliases).to.deep.equal([{ name: "consistency-guard", noParent: true }]);
            expect(dev.outputs).to.have.property("dayIndexName", "createdAt-by-day");
        });

        it("is deterministic: keys sorted at every level, bundled code kept as its digest", () => {
            expect(snapshotJson(stackSnapshot({ stack: "s", resources: [], outputs: { b: 1, a: { d: 2, c: 3 } } }))).to.equal(
                '{\n  "stack": "s",\n  "resources": [],\n  "outputs": {\n    "a": {\n      "c": 3,\n      "d": 2\n    },\n    "b": 1\n  },\n  "secretOutputs": []\n}\n',
            );
            const long = canonical("x".repeat(INLINE_STRING_LIMIT + 1)) as Record<string, { length: number; sha256: string }>;
            expect(long["[long string]"].length).to.equal(INLINE_STRING_LIMIT + 1);
            expect(long["[long string]"].sha256).to.match(/^[0-9a-f]{64}$/);
        });

        it("is the same text on a second synthesis of the same sources", async () => {
            expect(snapshotJson(stackSnapshot(await synthesize("dev", readStackConfig("dev"))))).to.equal(snapshotJson(dev));
        });

        it("compared with itself: identical", () => {
            expect(compareStacks(dev, dev)).to.deep.equal({ differences: [], aliased: [] });
        });

        it("a seeded input change is reported at its path, and fails the comparison", async () => {
            const changed = JSON.parse(JSON.stringify(dev)) as StackSnapshot;
            const table = changed.resources.find((r) => r.type === "aws:dynamodb/table:Table")! as { inputs: Record<string, unknown>; urn: string };
            table.inputs.hashKey = "id";
            const result = compareStacks(dev, changed);
            expect(result.differences).to.deep.equal([`${table.urn}.inputs.hashKey: "pk" → "id"`]);
            expect(result.aliased).to.deep.equal([]);

            const files = new Map<string, string>();
            for (const name of ["dev", "prod", "every-option"]) {
                files.set(path.join("a", `${name}.json`), snapshotJson(dev));
                files.set(path.join("b", `${name}.json`), snapshotJson(name === "prod" ? changed : dev));
            }
            const { deps, out } = memoryDeps(files);
            expect(await compareSnapshots("a", "b", deps)).to.equal(1);
            expect(out.stdout).to.include(`prod: ${dev.resources.length} → ${dev.resources.length} resources, 1 difference(s), 0 aliased URN change(s)`);
            expect(out.stdout).to.include(`  differs: ${table.urn}.inputs.hashKey: "pk" → "id"`);
            expect(out.stdout).to.match(/1 difference\(s\)\n$/);
        });

        it("a seeded option change (protect, dependsOn) and a changed output are differences too", () => {
            const changed = JSON.parse(JSON.stringify(dev));
            changed.resources[0].protect = !changed.resources[0].protect;
            changed.resources[1].dependsOn = [...changed.resources[1].dependsOn, "urn:x"];
            changed.outputs.dashboardName = "other";
            const { differences } = compareStacks(dev, changed);
            expect(differences).to.have.length(3);
            expect(differences[0]).to.match(/\.protect: (true|false) → (true|false)$/);
            expect(differences[1]).to.match(/\.dependsOn\[\d+\]: \(absent\) → "urn:x"$/);
            expect(differences[2]).to.match(/^outputs\.dashboardName: ".*" → "other"$/);
        });
    });

    describe("a component whose type token changes (the mocked runtime, a real alias)", () => {
        let original: StackSnapshot;
        before(async () => {
            original = await fixture(OLD);
        });

        it("without an alias: the component and its child are removed and added, a failing difference", async () => {
            const after = await fixture(NEW);
            const result = compareStacks(original, after);
            expect(result.aliased).to.deep.equal([]);
            expect(result.differences).to.have.members([
                `removed: ${urn(OLD, "box")}`,
                `removed: ${urn(`${OLD}$aws:sqs/queue:Queue`, "box-queue")}`,
                `added: ${urn(NEW, "box")}`,
                `added: ${urn(`${NEW}$aws:sqs/queue:Queue`, "box-queue")}`,
                `outputs.boxUrn: "${urn(OLD, "box")}" → "${urn(NEW, "box")}"`,
            ]);
        });

        it("with `aliases: [{ type: old }]`: the component and its child (through its parent) are aliased, nothing differs", async () => {
            const after = await fixture(NEW, { aliasOf: OLD });
            expect(after.resources.find((r) => r.name === "box")!.aliases).to.deep.equal([{ type: OLD }]);
            expect(aliasUrns(after.resources).get(urn(`${NEW}$aws:sqs/queue:Queue`, "box-queue"))).to.deep.equal(
                new Set([urn(`${OLD}$aws:sqs/queue:Queue`, "box-queue")]),
            );
            const result = compareStacks(original, after);
            expect(result.differences).to.deep.equal([]);
            expect(result.aliased).to.have.deep.members([
                { from: urn(OLD, "box"), to: urn(NEW, "box") },
                { from: urn(`${OLD}$aws:sqs/queue:Queue`, "box-queue"), to: urn(`${NEW}$aws:sqs/queue:Queue`, "box-queue") },
            ]);
        });

        it("an alias to another old token covers nothing", async () => {
            const result = compareStacks(original, await fixture(NEW, { aliasOf: "payments-dr:other:Box" }));
            expect(result.aliased).to.deep.equal([]);
            expect(result.differences).to.include(`removed: ${urn(OLD, "box")}`);
        });

        it("an aliased move that also changes an input: the move is allowed, the input is still a difference", async () => {
            const result = compareStacks(original, await fixture(NEW, { aliasOf: OLD, retention: 120 }));
            expect(result.aliased).to.have.length(2);
            expect(result.differences).to.deep.equal([
                `${urn(`${OLD}$aws:sqs/queue:Queue`, "box-queue")} → ${urn(`${NEW}$aws:sqs/queue:Queue`, "box-queue")}.inputs.messageRetentionSeconds: 60 → 120`,
            ]);
        });
    });

    describe("URN references after a move", () => {
        const P = "urn:pulumi:s::p::";
        const resource = (urn: string, over: Partial<SnapshotResource> = {}): SnapshotResource => ({
            urn,
            type: urn.split("::")[2].split("$").pop()!,
            name: urn.split("::")[3],
            custom: true,
            parent: null,
            provider: null,
            inputs: {},
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            ignoreChanges: [],
            dependsOn: [],
            aliases: [],
            customTimeouts: null,
            additionalSecretOutputs: [],
            replaceOnChanges: [],
            deletedWith: null,
            ...over,
        });
        const snapshot = (resources: SnapshotResource[]): StackSnapshot => ({ stack: "s", resources, outputs: {}, secretOutputs: [] });

        it("dependsOn on a moved resource follows it, whatever order the new URN sorts in", () => {
            const before = snapshot([
                resource(`${P}a:index:A::a`),
                resource(`${P}m:m:Z::z`),
                resource(`${P}x:x:X::x`, { dependsOn: [`${P}a:index:A::a`, `${P}m:m:Z::z`] }),
            ]);
            const after = snapshot([
                resource(`${P}z:moved:A::a`, { aliases: [{ type: "a:index:A" }] }),
                resource(`${P}m:m:Z::z`),
                resource(`${P}x:x:X::x`, { dependsOn: [`${P}m:m:Z::z`, `${P}z:moved:A::a`] }),
            ]);
            expect(compareStacks(before, after)).to.deep.equal({ differences: [], aliased: [{ from: `${P}a:index:A::a`, to: `${P}z:moved:A::a` }] });
        });

        it("an alias naming a shipped parent on purpose is not rewritten to the parent's new URN", () => {
            const shipped = { parentUrn: `${P}old:mod:C::c` };
            const before = snapshot([resource(`${P}old:mod:C::c`), resource(`${P}aws:iam/role:Role::role`, { aliases: [shipped] })]);
            const kept = snapshot([
                resource(`${P}new:mod:C::c`, { aliases: [{ type: "old:mod:C" }] }),
                resource(`${P}aws:iam/role:Role::role`, { aliases: [shipped] }),
            ]);
            expect(compareStacks(before, kept).differences).to.deep.equal([]);
            const followed = snapshot([
                resource(`${P}new:mod:C::c`, { aliases: [{ type: "old:mod:C" }] }),
                resource(`${P}aws:iam/role:Role::role`, { aliases: [{ parentUrn: `${P}new:mod:C::c` }] }),
            ]);
            expect(compareStacks(before, followed).differences).to.deep.equal([]);
            const lost = snapshot([resource(`${P}new:mod:C::c`, { aliases: [{ type: "old:mod:C" }] }), resource(`${P}aws:iam/role:Role::role`)]);
            expect(compareStacks(before, lost).differences).to.deep.equal([
                `${P}aws:iam/role:Role::role.aliases[0]: {"parentUrn":"${P}new:mod:C::c"} → (absent)`,
            ]);
        });
    });

    describe("the command", () => {
        it("parses --out and --compare, and refuses anything else", () => {
            expect(parseSnapshotArgs(["--out", "snap"])).to.deep.equal({ out: "snap" });
            expect(parseSnapshotArgs(["--compare", "a", "b"])).to.deep.equal({ compare: ["a", "b"] });
            expect(parseSnapshotArgs(["-h"])).to.equal("help");
            for (const bad of [[], ["--compare", "a"], ["--out", "x", "--compare", "a", "b"], ["--stack", "dev"]]) {
                expect(() => parseSnapshotArgs(bad), bad.join(" ")).to.throw(SnapshotUsageError);
            }
        });

        it("--out writes one file per stack: dev, prod and every-option", async () => {
            const files = new Map<string, string>();
            const s = { stack: "x", resources: [], outputs: {}, secretOutputs: [] };
            const { deps } = memoryDeps(files, { dev: s, prod: s, "every-option": s });
            expect(await writeSnapshots("snap", deps)).to.equal(0);
            expect([...files.keys()]).to.deep.equal(["dev", "prod", "every-option"].map((n) => path.join("snap", `${n}.json`)));
        });

        it("npm run preview:snapshot -- --compare: exit 1 and the aliased list on a real run of the script", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-"));
            try {
                const [a, b] = [path.join(dir, "a"), path.join(dir, "b")];
                const old = await fixture(OLD);
                const moved = await fixture(NEW, { aliasOf: OLD, retention: 90 });
                for (const [folder, snapshot] of [
                    [a, old],
                    [b, moved],
                ] as const) {
                    fs.mkdirSync(folder);
                    for (const name of ["dev", "prod", "every-option"]) {
                        fs.writeFileSync(path.join(folder, `${name}.json`), snapshotJson(name === "dev" ? snapshot : old));
                    }
                }
                const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/preview-snapshot.ts", "--compare", a, b], {
                    cwd: ROOT,
                    encoding: "utf8",
                });
                expect(run.status, run.stderr).to.equal(1);
                expect(run.stdout).to.include("dev: 3 → 3 resources, 1 difference(s), 2 aliased URN change(s)");
                expect(run.stdout).to.include(`  aliased: ${urn(OLD, "box")} → ${urn(NEW, "box")}`);
                expect(run.stdout).to.include(".inputs.messageRetentionSeconds: 60 → 90");
                expect(run.stdout).to.include("prod: 3 → 3 resources, 0 difference(s), 0 aliased URN change(s)");

                const usage = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/preview-snapshot.ts", "--compare", a], {
                    cwd: ROOT,
                    encoding: "utf8",
                });
                expect(usage.status).to.equal(2);
                expect(usage.stderr).to.include("--compare takes two folders");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
