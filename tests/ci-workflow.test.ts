import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

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
 * The current major of every action, each checked against the action's own repository (its newest tag and
 * `runs.using: node24`): checkout v7.0.1, setup-node v7.0.0, configure-aws-credentials v6.2.3, pulumi/actions
 * v7.0.0, pulumi/auth-actions v2.1.0.
 */
const CURRENT_MAJORS: Record<string, string> = {
    "actions/checkout": "v7",
    "actions/setup-node": "v7",
    "aws-actions/configure-aws-credentials": "v6",
    "pulumi/actions": "v7",
    "pulumi/auth-actions": "v2",
};

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

    it("uses only known actions at their current major, and runs Node from .nvmrc (the Lambda's 24)", () => {
        for (const { where, job } of allJobs()) {
            for (const step of job.steps.filter((s) => s.uses)) {
                const [action, version] = step.uses!.split("@");
                expect(CURRENT_MAJORS, `${where}: ${step.uses}`).to.have.property(action);
                expect(version, `${where}: ${step.uses}`).to.equal(CURRENT_MAJORS[action]);
                if (action === "actions/setup-node") {
                    expect(step.with?.["node-version-file"], where).to.equal(".nvmrc");
                    expect(step.with).to.not.have.property("node-version");
                }
            }
        }
        expect(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim()).to.equal("24");
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
            expect(job.steps[auth].with, where).to.include({
                organization: "${{ vars.PULUMI_ORG }}",
                "requested-token-type": "urn:pulumi:token-type:access_token:organization",
            });
            expect(aws, where).to.be.lessThan(pulumi);
            expect(auth, where).to.be.lessThan(pulumi);
        }
        // Everything else gets a read-only token.
        for (const wf of Object.values(workflows)) {
            expect(wf.permissions).to.deep.equal({ contents: "read" });
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
