import { expect } from "chai";
import { CreateTableCommand, DeleteItemCommand } from "@aws-sdk/client-dynamodb";
import { spawn } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { LAMBDA_RUNTIME } from "../../components/shared/function-bundle";
import { buildDrTools, CHECKSUM_FILE, DR_TOOLS, type DrToolsBuild } from "../../scripts/dr-tools/bundle";
import { USAGE as DRILL_STATUS_USAGE } from "../../scripts/drill-status";
import { USAGE as FAILBACK_USAGE } from "../../scripts/failback";
import { USAGE as FAILOVER_USAGE } from "../../scripts/failover";
import { USAGE as RECONCILE_USAGE } from "../../scripts/reconcile";
import { BlackHole } from "../handler/support/black-hole";
import { LOCAL_CREDENTIALS, LocalAws } from "../handler/support/local-aws";
import { SignalStandIn } from "../handler/support/signal-stand-in";
import { RegionRouter } from "./support/region-router";
import { PROD_OUTPUTS, STANDBY } from "./support/prod-outputs";

// The DR commands as the operator downloads them: built once, copied into a temp folder with no node_modules
// anywhere above it, run by the bare `node` binary of this toolchain (24: the current LTS and the Lambda runtime's
// major), with an environment that holds nothing but PATH, a home and the AWS settings the test gives.

const ROOT = path.join(__dirname, "..", "..");
const USAGES: Record<string, string> = {
    failover: FAILOVER_USAGE,
    failback: FAILBACK_USAGE,
    reconcile: RECONCILE_USAGE,
    "drill-status": DRILL_STATUS_USAGE,
};

const OUTPUTS = PROD_OUTPUTS;

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly ms: number;
}

function run(args: readonly string[], cwd: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr, ms: Date.now() - started });
        });
    });
}

/** The step log without its timings (`[+   0.2 s]`, `(0.2 s)`, ISO times), which differ from run to run. */
const withoutTimings = (text: string) =>
    text
        .replace(/^\[\+\s*[\d.]+ s\] /gm, "")
        .replace(/\(\d+\.\d s\)/g, "(t)")
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>");

describe("DR tools as single-file bundles (npm run build:dr-tools), run without the repository", function () {
    this.timeout(120_000);
    let build: DrToolsBuild;
    let checksums: string;
    let folder: string;
    let home: string;

    before(async () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "dr-tools-build-"));
        build = await buildDrTools(out);
        folder = fs.mkdtempSync(path.join(os.tmpdir(), "dr-tools-run-"));
        home = fs.mkdtempSync(path.join(os.tmpdir(), "dr-tools-home-"));
        for (const tool of build.tools) {
            fs.copyFileSync(tool.file, path.join(folder, path.basename(tool.file)));
        }
        checksums = fs.readFileSync(path.join(out, CHECKSUM_FILE), "utf8");
        fs.rmSync(out, { recursive: true, force: true });
        const sizes = build.tools.map((t) => `${t.name} ${(t.bytes / 1024).toFixed(0)} KiB`).join(", ");
        console.log(`      built ${build.tools.length} DR tools in ${(build.ms / 1000).toFixed(1)} s: ${sizes}`);
    });
    after(() => {
        for (const dir of [folder, home]) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    /** Nothing but PATH, HOME and the AWS settings: no NODE_OPTIONS, NODE_PATH or profile from this machine. */
    const bareEnv = (aws: Record<string, string> = {}): Record<string, string> => ({
        PATH: process.env.PATH ?? "",
        HOME: home,
        AWS_CONFIG_FILE: path.join(home, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        ...aws,
    });

    it("builds each command in budget, on the Node major of the LTS toolchain and the Lambda runtime", () => {
        expect(build.tools.map((t) => t.name)).to.deep.equal(["failover", "failback", "reconcile", "drill-status"]);
        expect(build.ms, "the build must fit the test budget").to.be.below(60_000);
        const major = process.versions.node.split(".")[0];
        expect(LAMBDA_RUNTIME).to.equal(`nodejs${major}.x`);
        expect(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim()).to.equal(major);
        for (const tool of build.tools) {
            expect(tool.bytes, tool.name).to.be.within(100 * 1024, 1024 * 1024);
        }
    });

    it("runs from a folder with no node_modules in it or above it, requiring only Node's own modules", () => {
        for (let dir = folder; ; dir = path.dirname(dir)) {
            expect(fs.existsSync(path.join(dir, "node_modules")), dir).to.equal(false);
            if (path.dirname(dir) === dir) {
                break;
            }
        }
        const builtins = new Set(builtinModules);
        for (const tool of build.tools) {
            const code = fs.readFileSync(path.join(folder, `${tool.name}.cjs`), "utf8");
            // Every require call; `[require("…")]` is the SDK's advice text inside an error message, not a call.
            const required = [...code.matchAll(/(?<![[\w$.])require\("([^"]+)"\)/g)].map((m) => m[1]);
            expect(required.length, tool.name).to.be.greaterThan(0);
            expect(
                required.filter((name) => !builtins.has(name.replace(/^node:/, ""))),
                tool.name,
            ).to.deep.equal([]);
            expect(code, tool.name).to.not.include(ROOT);
            expect(code.startsWith("#!/usr/bin/env node\n"), tool.name).to.equal(true);
        }
    });

    it("writes SHA256SUMS for the bundles, and a rebuild gives the same bytes (failover, to keep the test short)", async () => {
        expect(checksums).to.equal(build.tools.map((t) => `${t.sha256}  ${t.name}.cjs\n`).join(""));
        const again = fs.mkdtempSync(path.join(os.tmpdir(), "dr-tools-again-"));
        try {
            const second = await buildDrTools(again, [DR_TOOLS[0]]);
            expect(second.tools[0].name).to.equal("failover");
            expect(second.tools[0].sha256).to.equal(build.tools[0].sha256);
        } finally {
            fs.rmSync(again, { recursive: true, force: true });
        }
    });

    for (const tool of DR_TOOLS) {
        it(`${tool.name}.cjs --help: exit 0 and the script's own usage, naming the bundle`, async () => {
            const result = await run([`${tool.name}.cjs`, "--help"], folder, bareEnv());
            expect(result.code, result.stderr).to.equal(0);
            expect(result.stderr).to.equal("");
            // Only the entry's main runs (failback.cjs also holds reconcile, which must not print its usage too).
            expect(result.stdout).to.equal(USAGES[tool.name].replace(`npm run ${tool.npmScript} --`, `node ${tool.name}.cjs`));
            expect(result.stdout.split("\n")[0]).to.match(new RegExp(`^Usage: node ${tool.name}\\.cjs \\(--stack <name> \\| --outputs `));
        });
    }

    describe("failover.cjs with the primary black-holed (accepts TCP, never answers)", () => {
        let hole: BlackHole;
        let signal: SignalStandIn;
        let router: RegionRouter;
        let standbyDynamo: LocalAws;

        before(async () => {
            hole = await BlackHole.start();
            signal = await SignalStandIn.start();
            signal.followPublished = true;
            standbyDynamo = await LocalAws.start();
            await standbyDynamo.dynamo.send(
                new CreateTableCommand({
                    TableName: OUTPUTS.takeoverAuthority.tableName,
                    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
                    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
                    BillingMode: "PAY_PER_REQUEST",
                }),
            );
            // The standby's CloudWatch and DynamoDB answer; everything in the primary region (and elsewhere) is the black hole.
            const standby: Record<string, string> = { monitoring: signal.endpoint, dynamodb: standbyDynamo.dynamoEndpoint };
            router = await RegionRouter.start((service, region) => (region === STANDBY ? (standby[service] ?? hole.endpoint) : hole.endpoint));
            fs.writeFileSync(path.join(folder, "prod-outputs.json"), JSON.stringify(OUTPUTS));
        });
        after(async () => {
            await router.stop();
            await signal.stop();
            await standbyDynamo.stop();
            await hole.stop();
        });

        /** One failover run from the folder; `entry` is the bundle, or the unbundled script through ts-node. */
        async function failoverRun(entry: readonly string[], extraEnv: Record<string, string> = {}) {
            signal.mode = "OK";
            signal.published.length = 0;
            // Each run starts from no takeover: the previous run's authority item is removed.
            await standbyDynamo.dynamo.send(new DeleteItemCommand({ TableName: OUTPUTS.takeoverAuthority.tableName, Key: { pk: { S: "TAKEOVER" } } }));
            router.calls.length = 0;
            const env = bareEnv({
                AWS_ENDPOINT_URL: router.endpoint,
                AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
                AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
                ...extraEnv,
            });
            // --no-wait: the last step (is DNS following?) would query public DNS, which this test must not reach.
            const result = await run([...entry, "--outputs", "prod-outputs.json", "--to", "secondary", "--no-wait"], folder, env);
            return { result, published: signal.published.map((p) => p.MetricData[0].Value), calls: [...router.calls] };
        }

        it("sets the takeover from the standby alone, with the same outcome as the unbundled script", async () => {
            const bundled = await failoverRun(["failover.cjs"]);
            expect(bundled.result.code, bundled.result.stderr).to.equal(0);
            expect(bundled.result.stderr).to.equal("");
            expect(bundled.published).to.deep.equal([1]);
            expect(bundled.calls.map((c) => c.service)).to.include("monitoring");
            expect(bundled.calls.filter((c) => c.region !== STANDBY || !["monitoring", "dynamodb"].includes(c.service))).to.deep.equal([]);
            expect(bundled.result.stdout).to.contain("the primary (us-east-1) is not contacted");
            expect(bundled.result.stdout).to.contain("alarm ALARM");
            // One unanswered call would take 32 s (README "Time limits"): the run never waited on the black hole.
            expect(bundled.result.ms).to.be.below(20_000);

            const script = await failoverRun(["-r", require.resolve("ts-node/register/transpile-only"), path.join(ROOT, "scripts", "failover.ts")], {
                TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"),
            });
            expect(script.result.code, script.result.stderr).to.equal(bundled.result.code);
            expect(script.result.stderr).to.equal(bundled.result.stderr);
            expect(script.published).to.deep.equal(bundled.published);
            expect(script.calls.map((c) => `${c.service}:${c.region}`)).to.deep.equal(bundled.calls.map((c) => `${c.service}:${c.region}`));
            expect(withoutTimings(script.result.stdout)).to.equal(withoutTimings(bundled.result.stdout));
        });
    });
});
