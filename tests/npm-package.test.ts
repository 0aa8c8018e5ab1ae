import { expect } from "chai";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as semver from "semver";
import { bundleFunction } from "../components/shared/function-bundle";
import { packageBundles } from "../scripts/package/build";
import { consumerLock } from "./support/offline-install";
import type { InstalledSynthesis } from "./support/installed-synthesis";

const ROOT = path.join(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const repoLock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
const sha256 = (text: string | Buffer) => crypto.createHash("sha256").update(text).digest("hex");

function run(command: string, args: readonly string[], cwd: string, timeout = 180_000): SpawnSyncReturns<string> {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout, maxBuffer: 64 * 1024 * 1024 });
    expect(result.error, `${command} ${args.join(" ")}`).to.equal(undefined);
    expect(result.status, `${command} ${args.join(" ")} in ${cwd}:\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
}

/**
 * What a user of the package does, from scratch: `npm pack` (its `prepack` builds dist/lib), install the tarball in
 * an empty project that has only the peer dependencies, and run examples/minimal there with `import ... from
 * "payments-dr"`. The install is `npm ci --offline` on a lockfile cut from ours (tests/support/offline-install.ts):
 * the versions tested here, from the npm cache, with no registry request. About 40 s (pack ≈15 s, install ≈15 s,
 * type-check ≈8 s, synthesis ≈3 s); nothing is skipped: a failed step fails the test.
 */
describe("the npm package: packed, installed in an empty project, used as a consumer would", function () {
    this.timeout(360_000);
    let tmp: string;
    let consumer: string;
    let installed: string;
    let files: string[];
    let tarballName: string;
    const timings: string[] = [];
    const timed = <T>(what: string, step: () => T): T => {
        const started = Date.now();
        const result = step();
        timings.push(`${what} ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return result;
    };

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "npm-package-"));
        consumer = path.join(tmp, "consumer");
        fs.mkdirSync(consumer);
        const packed = timed("pack", () => run("npm", ["pack", "--json", "--pack-destination", consumer], ROOT)).stdout;
        // prepack's build prints its own lines first; npm's JSON report is the last part of stdout.
        const report = JSON.parse(packed.slice(packed.lastIndexOf("\n[\n") + 1))[0] as { filename: string; files: { path: string }[] };
        files = report.files.map((f) => f.path).sort();
        tarballName = report.filename;
        const tarball = path.join(consumer, report.filename);
        const peers = Object.fromEntries(Object.keys(pkg.peerDependencies).map((name) => [name, repoLock.packages[`node_modules/${name}`].version as string]));
        const { packageJson, lock } = consumerLock(tarball, pkg, peers, repoLock);
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify(packageJson, null, 2));
        fs.writeFileSync(path.join(consumer, "package-lock.json"), JSON.stringify(lock, null, 2));
        timed("install", () => run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], consumer));
        installed = path.join(consumer, "node_modules", pkg.name);
        // examples/minimal as its own project, importing the package by name instead of "../../components".
        const source = fs.readFileSync(path.join(ROOT, "examples", "minimal", "index.ts"), "utf8");
        expect(source.match(/from "\.\.\/\.\.\/components"/g), "the example imports the components once").to.have.length(1);
        fs.writeFileSync(path.join(consumer, "index.ts"), source.replace('from "../../components"', `from "${pkg.name}"`));
        fs.copyFileSync(path.join(ROOT, "examples", "minimal", "Pulumi.yaml"), path.join(consumer, "Pulumi.yaml"));
    });
    after(() => {
        console.log(`      ${timings.join(", ")}`);
        if (tmp) {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("is a public, semver-versioned package whose version has a CHANGELOG entry, and the documented install commands name its tarball", () => {
        expect(pkg.private).to.equal(undefined);
        expect(semver.valid(pkg.version), pkg.version).to.equal(pkg.version);
        expect(fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8")).to.include(`npm package \`payments-dr\` ${pkg.version}`);
        // The install commands in the README and docs/components.md name the tarball `npm pack` writes.
        expect(tarballName).to.equal(`payments-dr-${pkg.version}.tgz`);
        for (const page of ["README.md", "docs/components.md"]) {
            const text = fs.readFileSync(path.join(ROOT, page), "utf8");
            expect(text, page).to.include(`npm install /path/to/${tarballName}`);
            expect(
                text.match(/payments-dr-\d+\.\d+\.\d+[\w.-]*\.tgz/g)?.every((name) => name === tarballName),
                `${page} names only ${tarballName}`,
            ).to.equal(true);
        }
    });

    it("ships the compiled library (.js, .d.ts, source maps) and the Lambda bundles; no tests, scripts or TypeScript sources", () => {
        const outside = files.filter((f) => !f.startsWith("dist/lib/") && !["package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(f));
        expect(outside, "files outside dist/lib").to.deep.equal([]);
        expect(files.filter((f) => /(^|\/)(tests?|scripts|examples|policy\/tests)\//.test(f) || /\.test\./.test(f))).to.deep.equal([]);
        expect(
            files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
            "TypeScript sources",
        ).to.deep.equal([]);
        expect(files.filter((f) => f.startsWith("dist/dr-tools/"))).to.deep.equal([]);
        for (const entry of [pkg.main, pkg.types, pkg.exports["."].default, pkg.exports["."].types]) {
            expect(files, entry).to.include(entry.replace(/^\.\//, ""));
        }
        const compiled = files.filter((f) => f.endsWith(".js") && !f.startsWith("dist/lib/function-bundles/"));
        expect(compiled.length).to.be.greaterThan(50);
        for (const js of compiled) {
            expect(files, `${js}: declarations and source map`).to.include.members([js.replace(/\.js$/, ".d.ts"), `${js}.map`]);
        }
        // The source maps carry their sources (tsconfig.build.json inlineSources): stack traces and debuggers work.
        const map = JSON.parse(fs.readFileSync(path.join(installed, pkg.exports["."].default.replace(/^\.\//, "") + ".map"), "utf8"));
        expect(map.sourcesContent?.[0]).to.include("export { RegionalStack");
        for (const bundle of packageBundles()) {
            expect(files).to.include(`dist/lib/function-bundles/${bundle.name}.${bundle.target}.js`);
        }
    });

    it("declares the Pulumi SDKs as peers (one copy, the program's) and needs neither esbuild nor the functions' sources once installed", () => {
        expect(Object.keys(pkg.peerDependencies).sort()).to.deep.equal(["@pulumi/aws", "@pulumi/pulumi", "@pulumi/random"]);
        for (const [name, range] of Object.entries(pkg.peerDependencies as Record<string, string>)) {
            expect(pkg.dependencies[name], `${name} is a peer, not a dependency`).to.equal(undefined);
            expect(semver.satisfies(pkg.devDependencies[name], range), `${name}: the version tested here satisfies ${range}`).to.equal(true);
        }
        const top = fs.readdirSync(path.join(consumer, "node_modules"));
        expect(top).to.not.include("esbuild");
        expect(fs.existsSync(path.join(installed, "functions"))).to.equal(false);
        expect(fs.readdirSync(path.join(consumer, "node_modules", "@pulumi")).sort()).to.deep.equal(["aws", "pulumi", "random"]);
    });

    it("loads with a plain `node` (no TypeScript loader), as CommonJS and as an ES module, and registers nothing on import", () => {
        // Outside any Pulumi run, constructing a resource throws: requiring the package by its name must not.
        const script = 'const c = require("payments-dr"); console.log(Object.keys(c).sort().join(","))';
        const loaded = run(process.execPath, ["-e", script], consumer).stdout.trim().split(",");
        expect(loaded).to.include.members(["GlobalLayer", "RegionalDomain", "RegionalStack", "names", "REGION_ROLES"]);
        // An ES-module program gets the same named exports (Node reads them from the CommonJS build).
        const esm =
            'import { GlobalLayer, RegionalDomain, RegionalStack } from "payments-dr"; console.log([GlobalLayer, RegionalDomain, RegionalStack].map((c) => c.name).join(","))';
        expect(run(process.execPath, ["--input-type=module", "-e", esm], consumer).stdout.trim()).to.equal("GlobalLayer,RegionalDomain,RegionalStack");
    });

    it("loads every compiled component module (the optional ones too) with only the declared dependencies and peers", () => {
        const modules = files.filter((f) => f.startsWith("dist/lib/components/") && f.endsWith(".js"));
        expect(modules.length).to.be.greaterThan(50);
        const script = `let failed = []; for (const m of ${JSON.stringify(modules)}) { try { require("./node_modules/${pkg.name}/" + m); } catch (e) { failed.push(m + ": " + e.message.split("\\n")[0]); } } console.log(JSON.stringify(failed));`;
        expect(JSON.parse(run(process.execPath, ["-e", script], consumer).stdout)).to.deep.equal([]);
    });

    it("type-checks a TypeScript consumer against the installed declarations (strict, node16 resolution of `exports`)", () => {
        const tsconfig = {
            compilerOptions: { strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", skipLibCheck: true, noEmit: true, types: [] },
            files: ["index.ts"],
        };
        fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(tsconfig));
        timed("type-check", () => run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", consumer], consumer));
    });

    describe("examples/minimal, importing from the installed package, under the mocked runtime", () => {
        let synthesis: InstalledSynthesis;
        before(() => {
            const config = {
                "dr-example:domainName": "payments.example-corp.net",
                "dr-example:jwtIssuer": "https://auth.example-corp.net/",
                "dr-example:jwtAudience": "payments-api",
            };
            const runner = path.join(__dirname, "support", "installed-synthesis.ts");
            const args = ["-r", "ts-node/register/transpile-only", runner, path.join(consumer, "index.ts"), "dr-example", JSON.stringify(config)];
            synthesis = JSON.parse(timed("synthesis", () => run(process.execPath, args, ROOT)).stdout);
        });
        const ofType = (type: string) => synthesis.resources.filter((r) => r.type === type);

        it("registers both regions' stacks and processors, the global layer and its global table", () => {
            expect(ofType("payments-dr:regional:RegionalStack").map((r) => r.name)).to.deep.equal(["primary", "secondary"]);
            expect(ofType("payments-dr:global:GlobalLayer").map((r) => r.name)).to.deep.equal(["global"]);
            const processors = ofType("aws:lambda/function:Function").filter((r) => /-processor$/.test(r.name));
            expect(processors.map((r) => [r.name, r.region])).to.deep.equal([
                ["primary-processor", "us-east-1"],
                ["secondary-processor", "us-west-2"],
            ]);
            const tables = ofType("aws:dynamodb/table:Table");
            expect(tables.map((t) => [t.region, t.replicaRegions])).to.deep.equal([["us-east-1", ["us-west-2"]]]);
            expect(synthesis.outputs.failoverName).to.equal("api-dns-only.payments.example-corp.net");
            // The installed copy's delegation check asked public DNS, answered by the runner, never sent.
            expect(synthesis.dnsQueries).to.deep.equal(["payments.example-corp.net"]);
        });

        it("deploys each Lambda from the bundles inside the installed package: the same bytes the repository deploys", () => {
            const bundleDir = path.join(installed, "dist", "lib", "function-bundles");
            const shipped = new Map(fs.readdirSync(bundleDir).map((file) => [sha256(fs.readFileSync(path.join(bundleDir, file))), file]));
            const functions = ofType("aws:lambda/function:Function");
            expect(functions.length).to.be.at.least(6);
            for (const fn of functions) {
                expect(shipped.get(fn.codeSha256 ?? ""), `${fn.name}: its code is one of the package's bundles`).to.not.equal(undefined);
            }
            const processor = functions.find((f) => f.name === "primary-processor")!;
            expect(shipped.get(processor.codeSha256!)).to.equal("transaction-processor.node24.js");
            expect(processor.codeSha256).to.equal(bundleFunction("transaction-processor").sha256);
        });

        it("serializes each dynamic provider so that it loads from the consumer's project (what the engine runs at deploy time)", () => {
            const dynamic = synthesis.resources.filter((r) => r.dynamicProvider !== undefined);
            expect(dynamic.map((r) => r.name).sort()).to.deep.equal(["global-consistency-guard", "global-secondary-replica-stream"]);
            const loaded = dynamic.map((r, i) => {
                const file = path.join(consumer, `dynamic-provider-${i}.js`);
                fs.writeFileSync(file, r.dynamicProvider!);
                return file;
            });
            const script = `for (const f of ${JSON.stringify(loaded)}) console.log(Object.keys(require(f).handler()).sort().join(","))`;
            const methods = run(process.execPath, ["-e", script], consumer).stdout.trim().split("\n");
            expect(methods).to.have.length(dynamic.length);
            for (const line of methods) {
                expect(line.split(",")).to.include.members(["create", "diff"]);
            }
        });
    });
});
