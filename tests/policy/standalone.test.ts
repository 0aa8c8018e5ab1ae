import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { ALL_RULES } from "../../policy/rules";

// `pulumi policy publish` uploads the policy/ folder alone: the pack must compile and load from a copy of that
// folder, with only what its own lockfile installs.
const ROOT = path.join(__dirname, "..", "..");
const POLICY = path.join(ROOT, "policy");
const LOADER = path.join(ROOT, "tests", "support", "load-policy-pack.cjs");

function packSources(dir = POLICY): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
            return e.name === "node_modules" ? [] : packSources(full);
        }
        return e.name.endsWith(".ts") ? [full] : [];
    });
}

/** Every module specifier a file imports, exports from or requires. */
function specifiers(source: string): string[] {
    const found = source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["']([^"']+)["']/gm);
    return [...found].map((m) => m[1]);
}

/** npm must not inherit `npm run`'s settings (npm_config_local_prefix would point it at the repository). */
function cleanEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")));
}

describe("policy pack: self-contained and publishable", function () {
    this.timeout(600_000);

    // That it imports nothing from outside policy/ is an ESLint boundary (tests/import-boundaries.test.ts).
    it("imports only packages its own package.json declares", () => {
        const pack = JSON.parse(fs.readFileSync(path.join(POLICY, "package.json"), "utf8"));
        const declared = new Set(Object.keys({ ...pack.dependencies, ...pack.devDependencies }));
        const problems: string[] = [];
        for (const file of packSources()) {
            for (const spec of specifiers(fs.readFileSync(file, "utf8"))) {
                const where = `${path.relative(ROOT, file)}: "${spec}"`;
                if (spec.startsWith(".")) {
                    continue;
                }
                const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                if (!spec.startsWith("node:") && !builtinModules.includes(name) && !declared.has(name)) {
                    problems.push(`${where} is not a dependency of policy/package.json`);
                }
            }
        }
        expect(packSources().length).to.be.greaterThan(10);
        expect(problems).to.deep.equal([]);
    });

    describe("a copy of policy/ alone, installed from its lockfile", () => {
        let dir: string;
        let loaded: { packs: { name: string; policies: { name: string; enforcementLevel: string; kind: string }[] }[]; errors: string[]; loaded: string[] };

        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
            fs.cpSync(POLICY, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
            fs.copyFileSync(LOADER, path.join(dir, "load-policy-pack.cjs"));
            const npm = (...args: string[]) => spawnSync("npm", ["ci", "--no-audit", "--no-fund", ...args], { cwd: dir, env: cleanEnv(), encoding: "utf8" });
            // From the npm cache when the root install already fetched the same versions; else from the registry.
            const offline = npm("--offline");
            const install = offline.status === 0 ? offline : npm("--prefer-offline");
            expect(install.status, `npm ci in the copy failed:\n${install.stderr}`).to.equal(0);
            const run = spawnSync(process.execPath, ["load-policy-pack.cjs"], { cwd: dir, env: cleanEnv(), encoding: "utf8" });
            expect(run.status, `loading the pack failed:\n${run.stderr}`).to.equal(0);
            loaded = JSON.parse(run.stdout);
        });

        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("compiles with type checking and constructs one PolicyPack with every rule, at its level", () => {
            expect(loaded.errors).to.deep.equal([]);
            expect(loaded.packs.map((p) => p.name)).to.deep.equal(["payments-dr-guardrails"]);
            expect(loaded.packs[0].policies).to.deep.equal(
                ALL_RULES.map((r) => ({ name: r.name, enforcementLevel: r.enforcementLevel, kind: r.validateStack ? "stack" : "resource" })),
            );
        });

        it("loads every module from the copy (its own node_modules), none from the repository", () => {
            const outside = loaded.loaded.filter((file) => !file.startsWith(`${fs.realpathSync(dir)}${path.sep}`) && !file.startsWith(`${dir}${path.sep}`));
            expect(outside).to.deep.equal([]);
            expect(loaded.loaded.some((file) => file.endsWith(path.join("rules", "aws-facts.ts")))).to.equal(true);
            expect(loaded.loaded.some((file) => file.includes(path.join("node_modules", "ts-node")))).to.equal(true);
        });
    });
});
