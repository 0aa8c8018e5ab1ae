import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { bundleFunction } from "../components/shared/function-bundle";
import type { Violation } from "../policy/rules/evaluate";
import { buildPlan, planJson, planValue, REDACTED, SECRET } from "../scripts/preview/plan";
import { formatOutputs, redactOutputs } from "../scripts/preview/outputs";
import { formatNotices, formatViolations, noticesOf } from "../scripts/preview/report";
import { parsePreviewArgs, PreviewDeps, PreviewUsageError, projectConfig, runOfflinePreview } from "../scripts/preview/run";
import { formatResourceTree } from "../scripts/preview/tree";
import { readStackConfig } from "../scripts/synth/stack-config";
import { RecordedResource, Synthesis, synthesize } from "../scripts/synth/synthesize";
import { stack } from "./support/stacks";

const ROOT = path.join(__dirname, "..");

/** Deps that record what the preview prints and writes; synthesis reuses the cached committed stack. */
function fakeDeps(overrides: Partial<PreviewDeps> = {}) {
    const out = { stdout: "", stderr: "", files: new Map<string, string>(), synthesized: 0 };
    const deps: PreviewDeps = {
        readStackConfig: (name) => readStackConfig(name),
        synthesize: async (name) => {
            out.synthesized++;
            return stack(name as "dev" | "prod");
        },
        writeFile: async (path, text) => {
            out.files.set(path, text);
        },
        stdout: (t) => (out.stdout += t),
        stderr: (t) => (out.stderr += t),
        ...overrides,
    };
    return { deps, out };
}

function withResource(s: Synthesis, type: string, change: (r: RecordedResource) => RecordedResource): Synthesis {
    return { ...s, resources: s.resources.map((r) => (r.type === type ? change(r) : r)) };
}

describe("offline preview", () => {
    describe("arguments", () => {
        it("parses --stack and --json, and refuses a missing stack or an unknown flag", () => {
            expect(parsePreviewArgs(["--stack", "dev", "--json", "plan.json"])).to.deep.equal({ stack: "dev", json: "plan.json" });
            expect(parsePreviewArgs(["--help"])).to.equal("help");
            expect(() => parsePreviewArgs([])).to.throw(PreviewUsageError, "--stack <name> is required");
            expect(() => parsePreviewArgs(["--stack", "dev", "--yes"])).to.throw(PreviewUsageError);
            expect(() => parsePreviewArgs(["--stack", "dev", "--json", "--stack"])).to.throw(PreviewUsageError);
        });

        it("takes --details, and --json - for stdout", () => {
            expect(parsePreviewArgs(["--stack", "prod", "--details", "--json", "-"])).to.deep.equal({ stack: "prod", json: "-", details: true });
            expect(parsePreviewArgs(["--stack", "prod"])).to.deep.equal({ stack: "prod" });
            expect(() => parsePreviewArgs(["--stack", "dev", "--json=-x"])).to.throw(PreviewUsageError, "--json needs a file name, or - for stdout");
        });

        it("hands parseStackSettings only the project's keys, unprefixed", () => {
            expect(projectConfig({ "payments-dr:environment": "dev", "pulumi:disable-default-providers": "[aws]" })).to.deep.equal({ environment: "dev" });
        });
    });

    describe("runOfflinePreview", () => {
        it("stops on an invalid config before any synthesis, listing every problem (exit 1)", async () => {
            const { deps, out } = fakeDeps({
                readStackConfig: (name) => ({
                    ...readStackConfig(name),
                    "payments-dr:domainName": "example.com",
                    "payments-dr:healthCheckIntervalSeconds": "20",
                }),
            });
            const result = await runOfflinePreview({ stack: "dev" }, deps);
            expect(result.exitCode).to.equal(1);
            expect(out.synthesized).to.equal(0);
            expect(out.stderr)
                .to.contain("Invalid stack configuration (2 problems)")
                .and.contain("`payments-dr:domainName`")
                .and.contain("`payments-dr:healthCheckIntervalSeconds`");
        });

        it("reports an unknown stack (exit 1)", async () => {
            const { deps, out } = fakeDeps();
            expect((await runOfflinePreview({ stack: "nope" }, deps)).exitCode).to.equal(1);
            expect(out.stderr).to.contain("no stack file Pulumi.nope.yaml");
        });

        for (const name of ["dev", "prod"] as const) {
            it(`previews the committed ${name} stack: tree, violations, notices, objectives, exit 0`, async () => {
                const { deps, out } = fakeDeps();
                const result = await runOfflinePreview({ stack: name, json: "plan.json" }, deps);
                expect(result.exitCode, out.stdout + out.stderr).to.equal(0);
                expect(out.stdout).to.contain(`+ payments-dr-${name} (pulumi:pulumi:Stack)`);
                expect(out.stdout).to.match(/\+ payments-dr:regional:RegionalStack "primary"\s+\d+ resources(, \d+ protected)?\n\s+\[us-east-1\] \d+/);
                expect(out.stdout).to.contain("Policy Violations (payments-dr-guardrails").and.contain(": 0 mandatory");
                expect(out.stdout).to.contain("Recovery objectives (computed from this stack's settings)");
                expect(out.stdout)
                    .to.match(/\nOutputs:\n/)
                    .and.match(/\n {4}capacity +: \{…\} \(\d+ keys; --details shows it\)\n/);
                expect(out.stdout).to.match(new RegExp(`\n {4}environment +: "${name}"\n`));
                expect(out.stdout.indexOf("Outputs:")).to.be.greaterThan(out.stdout.indexOf("Recovery objectives"));
                expect(out.stdout).to.contain("Offline preview passed.");
                expect(out.files.has("plan.json")).to.equal(true);
            });
        }

        it("names resources and marks protected ones in the collapsed prod tree; --details lists every resource", async () => {
            const s = await stack("prod");
            const { deps, out } = fakeDeps();
            await runOfflinePreview({ stack: "prod" }, deps);
            const protectedResources = s.resources.filter((r) => r.protect);
            expect(protectedResources.length).to.be.greaterThan(0);
            for (const r of protectedResources) {
                expect(out.stdout, r.name).to.contain(`${r.name} [protect]`);
            }
            expect(out.stdout).to.contain(`(pulumi:pulumi:Stack)  ${s.resources.length} resources, ${protectedResources.length} protected`);

            const detailed = fakeDeps();
            await runOfflinePreview({ stack: "prod", details: true }, detailed.deps);
            const lines = detailed.out.stdout.split("\n").filter((l) => /^\s+\+ \S+ {2,}\S/.test(l) && !l.includes('"'));
            const listed = s.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length;
            expect(lines.length).to.equal(listed + s.resources.filter((r) => r.type.startsWith("pulumi:providers:")).length);
            expect(detailed.out.stdout).to.not.match(/, \+\d+ more/);
            expect(out.stdout).to.match(/, \+\d+ more/);
            expect(detailed.out.stdout).to.match(/\n {4}capacity +: \{\n/);
        });

        it("--json - prints one JSON document with resources, violations, notices, objectives and outputs, and nothing else", async () => {
            const { deps, out } = fakeDeps();
            const result = await runOfflinePreview({ stack: "prod", json: "-" }, deps);
            expect(result.exitCode, out.stderr).to.equal(0);
            const doc = JSON.parse(out.stdout);
            expect(Object.keys(doc)).to.deep.equal(["stack", "summary", "resources", "violations", "notices", "objectives", "outputs"]);
            expect(doc.stack).to.equal("prod");
            expect(doc.summary).to.deep.equal({ passed: true, mandatoryViolations: 0, advisoryViolations: result.advisoryViolations, objectivesProblems: 0 });
            expect(doc.resources.length).to.equal((await stack("prod")).resources.length);
            expect(doc.violations).to.have.length(result.advisoryViolations);
            expect(doc.objectives.rtoStatus).to.equal("OK");
            expect(doc.objectives.rpo.map((r: { status: string }) => r.status)).to.include("OK");
            expect(doc.outputs.environment).to.equal("prod");
            expect(out.files.size).to.equal(0);
            // The report still goes somewhere a person sees it.
            expect(out.stderr).to.contain("Recovery objectives").and.contain("Offline preview passed.");
        });

        it("prod: every S3 replication rule has an alarm (no s3-replication-alarmed finding, the log archive's rules included)", async () => {
            const { deps, out } = fakeDeps();
            await runOfflinePreview({ stack: "prod", json: "-" }, deps);
            const doc = JSON.parse(out.stdout);
            const rules = doc.resources.filter((r: { type: string }) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
            expect(rules.map((r: { urn: string }) => r.urn.split("::").pop())).to.include.members([
                "log-archive-replication-primary-to-secondary",
                "log-archive-replication-secondary-to-primary",
            ]);
            expect(doc.violations.filter((v: Violation) => v.policy === "s3-replication-alarmed")).to.deep.equal([]);
        });

        it("npm run -s preview:offline -- --stack prod --json - writes the document alone to stdout (the program's log lines go to stderr)", () => {
            const run = spawnSync("npm", ["run", "-s", "preview:offline", "--", "--stack", "prod", "--json", "-"], { cwd: ROOT, encoding: "utf8" });
            expect(run.status, run.stderr).to.equal(0);
            expect(Object.keys(JSON.parse(run.stdout))).to.include.members(["resources", "violations", "notices", "objectives", "outputs"]);
            expect(run.stderr).to.contain("info: [runtime] capacity:").and.contain("Offline preview passed.");
        }).timeout(120_000);

        it("--json - still prints one document when the objectives stop the preview", async () => {
            const { deps, out } = fakeDeps({
                readStackConfig: (name) => ({ ...readStackConfig(name), "payments-dr:rtoTargetMinutes": "1", "payments-dr:paymentRtoTargetMinutes": "1" }),
            });
            const result = await runOfflinePreview({ stack: "dev", json: "-" }, deps);
            expect(result.exitCode).to.equal(1);
            const doc = JSON.parse(out.stdout);
            expect(doc.summary).to.deep.equal({ passed: false, mandatoryViolations: 0, advisoryViolations: 0, objectivesProblems: 2 });
            expect(doc.objectives.rtoStatus).to.equal("MISSED");
            expect(doc.resources).to.deep.equal([]);
        });

        it("prints the program's notices", async () => {
            const { deps, out } = fakeDeps({ synthesize: async () => ({ ...(await stack("dev")), outputs: { notices: ["the failover name is DNS-only"] } }) });
            await runOfflinePreview({ stack: "dev" }, deps);
            expect(out.stdout).to.contain("Notices:\n    - the failover name is DNS-only\n");
        });

        it("fails (exit 1) on a mandatory violation and names the resource", async () => {
            const { deps, out } = fakeDeps({
                synthesize: async () =>
                    withResource(await stack("dev"), "aws:lambda/function:Function", (r) => ({ ...r, state: { ...r.state, runtime: "nodejs18.x" } })),
            });
            const result = await runOfflinePreview({ stack: "dev" }, deps);
            // Every function of the stack: both regions' processor, two health functions and receipt finisher.
            expect(result).to.include({ exitCode: 1, mandatoryViolations: 8 });
            expect(out.stdout).to.contain("[mandatory]  lambda-supported-runtime  (aws:lambda/function:Function: primary-processor, us-east-1)");
            expect(out.stdout).to.contain("[mandatory]  lambda-supported-runtime  (aws:lambda/function:Function: primary-health, us-east-1)");
            expect(out.stdout).to.contain("Offline preview FAILED: 8 mandatory policy violations.");
        });

        it("passes (exit 0) with only advisory violations", async () => {
            const { deps } = fakeDeps({
                synthesize: async () =>
                    withResource(await stack("dev"), "aws:iam/role:Role", (r) => ({
                        ...r,
                        state: { ...r.state, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
                    })),
            });
            const result = await runOfflinePreview({ stack: "dev" }, deps);
            expect(result.exitCode).to.equal(0);
            expect(result.advisoryViolations).to.be.greaterThan(0);
        });

        it("fails (exit 1) when the settings make a recovery objective impossible", async () => {
            const { deps, out } = fakeDeps({
                readStackConfig: (name) => ({ ...readStackConfig(name), "payments-dr:rtoTargetMinutes": "1", "payments-dr:paymentRtoTargetMinutes": "1" }),
            });
            const result = await runOfflinePreview({ stack: "dev" }, deps);
            expect(result).to.include({ exitCode: 1, objectivesProblems: 2, mandatoryViolations: 0 });
            expect(out.stdout)
                .to.contain("PROBLEM: worst-case failover is 186 s")
                .and.contain("PROBLEM: worst-case failover on failing payments is 330 s")
                .and.contain("Offline preview FAILED: 2 recovery-objectives problems (the program stops on them too; nothing was synthesized).");
            expect(out.synthesized).to.equal(0);
        });
    });

    describe("formatting", () => {
        const resources = [
            { urn: "urn:c", type: "p:index:Comp", name: "c", custom: false },
            { urn: "urn:a1", type: "aws:sqs/queue:Queue", name: "a1", custom: true, region: "us-east-1", parentUrn: "urn:c" },
            { urn: "urn:a2", type: "aws:sqs/queue:Queue", name: "a2", custom: true, region: "us-east-1", parentUrn: "urn:c" },
            { urn: "urn:a3", type: "aws:sns/topic:Topic", name: "a3", custom: true, region: "us-west-2", parentUrn: "urn:c" },
            ...["q1", "q2", "q3", "q4"].map((name) => ({
                urn: `urn:${name}`,
                type: "aws:sqs/queue:Queue",
                name,
                custom: true,
                region: "us-west-2",
                parentUrn: "urn:c",
            })),
            {
                urn: "urn:t",
                type: "aws:dynamodb/table:Table",
                name: "t",
                custom: true,
                region: "us-west-2",
                parentUrn: "urn:c",
                protect: true,
                retainOnDelete: true,
            },
        ];

        it("groups resources by component and region: counts and names by type, protected ones always named", () => {
            expect(formatResourceTree("dev", "p", resources)).to.equal(
                [
                    "+ p-dev (pulumi:pulumi:Stack)  9 resources, 1 protected",
                    '    + p:index:Comp "c"  8 resources, 1 protected',
                    "        [us-east-1] 2",
                    "            + aws:sqs/queue:Queue         2  a1, a2",
                    "        [us-west-2] 6",
                    "            + aws:dynamodb/table:Table    1  t [protect] [retain]",
                    "            + aws:sns/topic:Topic         1  a3",
                    "            + aws:sqs/queue:Queue         4  q1, q2, q3, +1 more",
                ].join("\n"),
            );
        });

        it("with details, lists one resource per line", () => {
            expect(formatResourceTree("dev", "p", resources, { details: true }).split("\n").slice(6)).to.deep.equal([
                "            + aws:dynamodb/table:Table  t [protect] [retain]",
                "            + aws:sns/topic:Topic       a3",
                "            + aws:sqs/queue:Queue       q1",
                "            + aws:sqs/queue:Queue       q2",
                "            + aws:sqs/queue:Queue       q3",
                "            + aws:sqs/queue:Queue       q4",
            ]);
        });

        it("prints outputs sorted, secrets as [secret], long values collapsed unless details", () => {
            const outputs = redactOutputs({ b: "x", a: { k: "v".repeat(120) }, token: "s3cr3t", gone: undefined }, ["token"]);
            expect(Object.keys(outputs)).to.deep.equal(["a", "b", "token"]);
            expect(formatOutputs(outputs)).to.equal(
                ["Outputs:", "    a    : {…} (1 keys; --details shows it)", '    b    : "x"', '    token: "[secret]"'].join("\n"),
            );
            expect(formatOutputs(outputs, true)).to.contain(`    a    : {\n        "k": "${"v".repeat(120)}"\n    }`);
            expect(formatOutputs({})).to.equal("Outputs: none");
        });

        it("lists mandatory violations first, each with its resource", () => {
            const violations: Violation[] = [
                { policy: "b-advisory", enforcementLevel: "advisory", message: "consider it", urn: "urn:q" },
                { policy: "a-mandatory", enforcementLevel: "mandatory", message: "fix it" },
            ];
            const text = formatViolations(violations, [{ urn: "urn:q", type: "aws:sqs/queue:Queue", name: "q", region: "us-east-1" }], 2);
            expect(text).to.equal(
                [
                    "Policy Violations (payments-dr-guardrails, 2 policies): 1 mandatory, 1 advisory",
                    "    [mandatory]  a-mandatory  (stack)",
                    "    fix it",
                    "    [advisory]  b-advisory  (aws:sqs/queue:Queue: q, us-east-1)",
                    "    consider it",
                ].join("\n"),
            );
        });

        it("reads notices only when the outputs have a list of strings", () => {
            expect(noticesOf({ notices: ["a", 1, "b"] })).to.deep.equal(["a", "b"]);
            expect(noticesOf({ notices: "a" })).to.deep.equal([]);
            expect(formatNotices([])).to.equal("");
        });
    });

    describe("plan (--json)", () => {
        it("is sorted by URN, keeps only the plan fields, and shows the Lambda archive as its content hash", async () => {
            const s = await stack("dev");
            const plan = await buildPlan("dev", s.resources);
            const urns = plan.resources.map((r) => r.urn);
            expect(urns).to.deep.equal([...urns].sort());
            expect(Object.keys(plan.resources[0])).to.deep.equal(["urn", "type", "name", "region", "parent", "protect", "retainOnDelete", "inputs"]);
            const fn = plan.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "primary-processor")!;
            const code = (fn.inputs as { code: { archive: string; entries: Record<string, string> } }).code;
            expect(code.entries["index.js"]).to.equal(`sha256:${bundleFunction("transaction-processor").sha256}`);
            expect(code.archive).to.match(/^sha256:[0-9a-f]{64}$/);
            expect(planJson(plan).length).to.be.lessThan(400_000);
        });

        it("redacts sensitive keys and values the runtime marks secret", async () => {
            const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
            expect(
                await planValue({
                    masterPassword: "p",
                    authToken: "t",
                    privateKey: "k",
                    clientSecret: "s",
                    value: secret,
                    nested: [{ value: secret, keep: 1 }],
                }),
            ).to.deep.equal({
                authToken: REDACTED,
                clientSecret: REDACTED,
                masterPassword: REDACTED,
                nested: [{ keep: 1, value: SECRET }],
                privateKey: REDACTED,
                value: SECRET,
            });
        });

        it("is byte-identical across two runs of the program", async () => {
            const cached = await stack("dev");
            await stack("prod"); // the mocked runtime is global: let pending syntheses finish first
            const fresh = await synthesize("dev", readStackConfig("dev"));
            expect(planJson(await buildPlan("dev", fresh.resources))).to.equal(planJson(await buildPlan("dev", cached.resources)));
        });
    });
});
