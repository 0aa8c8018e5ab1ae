import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    "working-directory"?: string;
}
interface Job {
    needs?: string;
    permissions?: Record<string, string>;
    steps: Step[];
}

const ROOT = path.join(__dirname, "..");
const workflow = yaml.load(fs.readFileSync(path.join(ROOT, ".github/workflows/pull-request.yml"), "utf8")) as {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
};

describe("CI: pull-request workflow", () => {
    it("runs on pull requests: npm ci && npm test on Node 20", () => {
        expect(workflow.on).to.have.property("pull_request");
        const steps = workflow.jobs.test.steps;
        expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"]).to.equal(20);
        expect(steps.filter((s) => s.run).map((s) => s.run)).to.deep.equal(["npm ci", "npm test"]);
    });

    it("previews dev with the policy pack after installing it, with OIDC credentials", () => {
        const job = workflow.jobs["preview-dev"];
        expect(job.permissions).to.include({ "id-token": "write" });
        const policyInstall = job.steps.findIndex((s) => s.run === "npm ci" && s["working-directory"] === "policy");
        const credentials = job.steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        const preview = job.steps.findIndex((s) => s.uses === "pulumi/actions@v6");
        expect(policyInstall).to.be.greaterThan(-1);
        expect(credentials).to.be.greaterThan(policyInstall);
        expect(preview).to.be.greaterThan(credentials);
        expect(job.steps[credentials].with?.["role-to-assume"]).to.equal("${{ secrets.AWS_PREVIEW_ROLE_ARN }}");
        expect(job.steps[preview].with).to.include({ command: "preview", "stack-name": "dev", policyPacks: "policy" });
        // The pack the workflow points at is a policy pack.
        expect(fs.readFileSync(path.join(ROOT, "policy/PulumiPolicy.yaml"), "utf8")).to.match(/^runtime: nodejs$/m);
    });
});
