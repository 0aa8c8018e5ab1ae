import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { CHECKSUM_FILE, DR_TOOLS, DR_TOOLS_OUT_DIR } from "../scripts/dr-tools/bundle";

interface Step {
    id?: string;
    if?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    "working-directory"?: string;
}
interface Job {
    name?: string;
    needs?: string | string[];
    if?: string;
    environment?: string;
    permissions?: Record<string, string>;
    strategy?: { matrix?: { stack?: string[] } };
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    jobs: Record<string, Job>;
}

const ROOT = path.join(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const load = (file: string) => yaml.load(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
const workflows: Record<string, Workflow> = Object.fromEntries(
    fs
        .readdirSync(WORKFLOWS)
        .filter((f) => f.endsWith(".yml"))
        .map((f) => [f, load(f)]),
);
const pr = workflows["pull-request.yml"];
const deploy = workflows["deploy.yml"];
const drift = workflows["drift.yml"];

/** Every committed stack (Pulumi.<stack>.yaml). */
const STACKS = fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();

/**
 * Every action, pinned by the full commit SHA of its newest release tag (a tag can be moved, a commit cannot). Each
 * SHA was read from the action's own repository (`git rev-parse <tag>^{commit}`) and its `action.yml` there checked
 * for `runs.using: node24`. Dependabot (.github/dependabot.yml) proposes the updates.
 */
const PINNED: Record<string, { sha: string; tag: string }> = {
    "actions/checkout": { sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", tag: "v7.0.1" },
    "actions/setup-node": { sha: "820762786026740c76f36085b0efc47a31fe5020", tag: "v7.0.0" },
    "aws-actions/configure-aws-credentials": { sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c", tag: "v6.2.3" },
    "pulumi/actions": { sha: "8e5e406f4007fca908480587cb9893c07090f58d", tag: "v7.0.0" },
    "pulumi/auth-actions": { sha: "141415910c3beb54e03b48e9057c204c97b956f2", tag: "v2.1.0" },
};
const ORGANIZATION_TOKEN = "urn:pulumi:token-type:access_token:organization";
const TEAM_TOKEN = "urn:pulumi:token-type:access_token:team";
const rawWorkflow = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), "utf8");

const allJobs = () => Object.entries(workflows).flatMap(([file, wf]) => Object.entries(wf.jobs).map(([name, job]) => ({ where: `${file}:${name}`, job })));
const stepIndex = (job: Job, match: (s: Step) => boolean) => job.steps.findIndex(match);
const pulumiStep = (job: Job) => job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
const cloudJobs = () => allJobs().filter(({ job }) => job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")));

describe("CI workflows", () => {
    it("has the pull-request, deploy and drift workflows, and each job checks out first", () => {
        expect(Object.keys(workflows).sort()).to.deep.equal(["deploy.yml", "drift.yml", "pull-request.yml"]);
        for (const { where, job } of allJobs()) {
            expect(job.steps[0].uses, where).to.match(/^actions\/checkout@/);
        }
    });

    it("pins every action by full commit SHA with its release tag in a comment, and runs Node from .nvmrc", () => {
        for (const { where, job } of allJobs()) {
            for (const step of job.steps.filter((s) => s.uses)) {
                const [action, ref] = step.uses!.split("@");
                expect(PINNED, `${where}: ${step.uses}`).to.have.property(action);
                expect(ref, `${where}: ${step.uses} is not pinned by commit SHA`).to.match(/^[0-9a-f]{40}$/);
                expect(ref, `${where}: ${step.uses}`).to.equal(PINNED[action].sha);
                if (action === "actions/setup-node") {
                    expect(step.with?.["node-version-file"], where).to.equal(".nvmrc");
                    expect(step.with).to.not.have.property("node-version");
                }
            }
        }
        // The comment is what a reviewer (and Dependabot) reads: every `uses:` line carries the pinned SHA's tag.
        for (const file of Object.keys(workflows)) {
            const lines = rawWorkflow(file)
                .split("\n")
                .filter((line) => /^\s*(-\s+)?uses:/.test(line));
            expect(lines.length, file).to.be.greaterThan(0);
            for (const line of lines) {
                const match = /uses: ([\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line.trim().replace(/^-\s+/, ""));
                expect(match, `${file}: "${line.trim()}" must read uses: <action>@<40-hex SHA> # <tag>`).to.not.equal(null);
                expect(match![3], `${file}: ${match![1]}`).to.equal(PINNED[match![1]].tag);
            }
        }
        expect(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim()).to.equal("24");
    });

    it("has Dependabot keep the pinned actions current", () => {
        const config = yaml.load(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8")) as {
            version: number;
            updates: { "package-ecosystem": string; directory: string; schedule: { interval: string } }[];
        };
        expect(config.version).to.equal(2);
        const actions = config.updates.find((u) => u["package-ecosystem"] === "github-actions");
        expect(actions, "a github-actions entry").to.not.equal(undefined);
        expect(actions!.directory).to.equal("/");
        expect(["daily", "weekly"]).to.include(actions!.schedule.interval);
    });

    it("holds no long-lived credential: AWS through OIDC roles, Pulumi Cloud through OIDC tokens", () => {
        const text = Object.keys(workflows)
            .map((f) => fs.readFileSync(path.join(WORKFLOWS, f), "utf8"))
            .join("\n");
        expect(text).to.not.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|PULUMI_ACCESS_TOKEN|secrets\./);
        expect(cloudJobs().map((j) => j.where)).to.have.members(["pull-request.yml:preview", "deploy.yml:up-dev", "deploy.yml:up-prod", "drift.yml:drift"]);
        for (const { where, job } of cloudJobs()) {
            expect(job.permissions, where).to.include({ "id-token": "write", contents: "read" });
            const aws = stepIndex(job, (s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
            const auth = stepIndex(job, (s) => s.uses?.startsWith("pulumi/auth-actions@") === true);
            const pulumi = stepIndex(job, (s) => s.uses?.startsWith("pulumi/actions@") === true);
            expect(job.steps[aws].with?.["role-to-assume"], where).to.match(/^\$\{\{ .*vars\.AWS_\w+_ROLE_ARN.* \}\}$/);
            expect(job.steps[auth].with, where).to.include({ organization: "${{ vars.PULUMI_ORG }}" });
            // An organization token acts for the whole Pulumi organization: only deployment jobs, bound to a
            // GitHub environment (reviewers, branch rules), may ask for one. Everything else previews with a team token.
            if (job.environment === undefined) {
                expect(job.steps[auth].with, where).to.include({ "requested-token-type": TEAM_TOKEN, scope: "team:${{ vars.PULUMI_PREVIEW_TEAM }}" });
            } else {
                expect(job.steps[auth].with?.["requested-token-type"], where).to.equal(ORGANIZATION_TOKEN);
            }
            expect(aws, where).to.be.lessThan(pulumi);
            expect(auth, where).to.be.lessThan(pulumi);
        }
        // Everything else gets a read-only token.
        for (const wf of Object.values(workflows)) {
            expect(wf.permissions).to.deep.equal({ contents: "read" });
        }
    });

    it("gives pull requests no organization token and no deployment: preview with a read-only role and a team token", () => {
        for (const [name, job] of Object.entries(pr.jobs)) {
            expect(job.environment, name).to.equal(undefined);
            for (const step of job.steps) {
                expect(step.with?.["requested-token-type"], `${name}: ${step.uses}`).to.not.equal(ORGANIZATION_TOKEN);
                expect(step.with?.command, name).to.not.be.oneOf(["up", "destroy", "refresh", "import"]);
            }
        }
        expect(rawWorkflow("pull-request.yml")).to.not.include(ORGANIZATION_TOKEN).and.not.include("AWS_DEPLOY_ROLE_ARN");
        const role = pr.jobs.preview.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-to-assume"];
        expect(role).to.match(/PREVIEW_ROLE_ARN/);
    });

    it("deploys prod only from main through the prod environment (a run by hand on a branch deploys nothing)", () => {
        const prodJobs = allJobs().filter(({ job }) => job.environment === "prod" || pulumiStep(job)?.with?.["stack-name"] === "${{ vars.PULUMI_ORG }}/prod");
        const deployers = prodJobs.filter(({ job }) => pulumiStep(job)?.with?.command === "up");
        expect(deployers.map((j) => j.where)).to.deep.equal(["deploy.yml:up-prod"]);
        for (const { where, job } of allJobs().filter(({ job }) => pulumiStep(job)?.with?.command === "up")) {
            expect(job.environment, where).to.be.a("string");
            expect(job.if, where).to.include("github.ref == 'refs/heads/main'");
        }
        expect(deploy.on).to.have.property("workflow_dispatch");
        expect(deploy.on.push).to.deep.equal({ branches: ["main"] });
        // Only deployment jobs assume a deploy role.
        for (const { where, job } of cloudJobs()) {
            const role = String(job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-to-assume"]);
            expect(role.includes("AWS_DEPLOY_ROLE_ARN"), where).to.equal(job.environment !== undefined);
        }
    });

    it("skips every cloud job cleanly in forks and for pull requests from forks (no failure, no secrets needed)", () => {
        for (const { where, job } of cloudJobs()) {
            expect(job.if, where).to.include("vars.PULUMI_ORG != ''");
        }
        expect(pr.jobs.preview.if).to.include("github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("pull requests: the offline suite (.ci/run), then pulumi preview of every stack with the policy pack", () => {
        expect(pr.on).to.have.property("pull_request");
        expect(pr.jobs.offline.steps.filter((s) => s.run).map((s) => s.run)).to.deep.equal(["bash .ci/run"]);
        const job = pr.jobs.preview;
        expect(job.needs).to.equal("offline");
        expect(job.strategy?.matrix?.stack).to.deep.equal(STACKS);
        const policyInstall = stepIndex(job, (s) => s.run === "npm ci" && s["working-directory"] === "policy");
        expect(policyInstall)
            .to.be.greaterThan(-1)
            .and.lessThan(stepIndex(job, (s) => s.uses?.startsWith("pulumi/actions@") === true));
        expect(pulumiStep(job)?.with).to.include({
            command: "preview",
            "stack-name": "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}",
            policyPacks: "policy",
            "comment-on-pr": true,
        });
        expect(job.permissions).to.include({ "pull-requests": "write" });
        expect(fs.readFileSync(path.join(ROOT, "policy/PulumiPolicy.yaml"), "utf8")).to.match(/^runtime: nodejs$/m);
    });

    it("merge to main: offline suite, pulumi up of dev, then prod in the prod environment (required reviewers)", () => {
        expect(deploy.on).to.deep.include({ push: { branches: ["main"] } });
        expect(deploy.concurrency).to.deep.equal({ group: "deploy", "cancel-in-progress": false });
        expect(deploy.jobs["up-dev"]).to.include({ needs: "offline", environment: "dev" });
        expect(deploy.jobs["up-prod"]).to.include({ needs: "up-dev", environment: "prod" });
        for (const stack of ["dev", "prod"]) {
            const job = deploy.jobs[`up-${stack}`];
            expect(pulumiStep(job)?.with, stack).to.include({ command: "up", "stack-name": `\${{ vars.PULUMI_ORG }}/${stack}`, policyPacks: "policy" });
            expect(job.steps.some((s) => s.run === "npm ci" && s["working-directory"] === "policy")).to.equal(true);
        }
        expect(deploy.jobs.offline.steps.map((s) => s.run).filter(Boolean)).to.deep.equal(["bash .ci/run"]);
    });

    it("a published release: the DR tools built from its commit after the offline suite, attached by the only job that may write contents", () => {
        expect(deploy.on).to.deep.include({ release: { types: ["published"] } });
        const job = deploy.jobs["dr-tools"];
        expect(job).to.include({ needs: "offline", if: "github.event_name == 'release'" });
        expect(job.environment).to.equal(undefined);
        expect(job.permissions).to.deep.equal({ contents: "write" });
        const writers = allJobs().filter(({ job }) => job.permissions?.contents === "write");
        expect(writers.map((j) => j.where)).to.deep.equal(["deploy.yml:dr-tools"]);
        const runs = job.steps.filter((s) => s.run).map((s) => s.run);
        const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        expect(scripts["build:dr-tools"]).to.equal("ts-node --transpile-only scripts/build-dr-tools.ts");
        expect(runs.slice(0, 2)).to.deep.equal(["npm ci --no-audit --no-fund", "npm run build:dr-tools"]);
        // Everything the build writes (each bundle and SHA256SUMS), to the release the event names.
        const upload = job.steps[job.steps.length - 1];
        expect(upload.run).to.equal(`gh release upload "$TAG" ${DR_TOOLS_OUT_DIR}/* --clobber`);
        expect(upload.env).to.deep.equal({ GH_TOKEN: "${{ github.token }}", TAG: "${{ github.event.release.tag_name }}" });
        expect(DR_TOOLS.map((t) => `${t.name}.cjs`).concat(CHECKSUM_FILE)).to.deep.equal([
            "failover.cjs",
            "failback.cjs",
            "reconcile.cjs",
            "drill-status.cjs",
            "SHA256SUMS",
        ]);
        // A release run deploys nothing: the `up` jobs need the main branch, which a release's tag ref is not.
        for (const stack of ["dev", "prod"]) {
            expect(deploy.jobs[`up-${stack}`].if).to.include("github.ref == 'refs/heads/main'");
        }
        expect(fs.readFileSync(path.join(ROOT, ".gitignore"), "utf8").split("\n")).to.include("/dist/");
    });

    it("scheduled drift check: preview --refresh --expect-no-changes of every stack, failing and opening an issue", () => {
        expect(drift.on).to.have.property("schedule");
        const job = drift.jobs.drift;
        expect(job.strategy?.matrix?.stack).to.deep.equal(STACKS);
        expect(pulumiStep(job)).to.deep.include({ id: "drift" });
        expect(pulumiStep(job)?.with).to.include({ command: "preview", refresh: true, "expect-no-changes": true });
        const report = job.steps[job.steps.length - 1];
        expect(report.if).to.equal("failure() && steps.drift.outcome == 'failure'");
        expect(report.run).to.include("gh issue create").and.include("gh issue comment");
        expect(job.permissions).to.include({ issues: "write" });
    });
});
