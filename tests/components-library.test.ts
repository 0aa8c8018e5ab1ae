import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as library from "../components";
import { providerRegionProblem } from "../components/provider-region";
import { synthesize } from "../scripts/synth/synthesize";
import { componentReference } from "../scripts/component-reference";
import { stack } from "./support/stacks";

const ROOT = path.join(__dirname, "..");
const EXAMPLE = path.join(ROOT, "examples", "minimal", "index.ts");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("components as a library", () => {
    it("exports RegionalStack, GlobalLayer and RegionalDomain (and what their args need) from components/index.ts", () => {
        for (const name of ["RegionalStack", "GlobalLayer", "RegionalDomain", "parseStackSettings", "names"] as const) {
            expect(library[name], name).to.not.equal(undefined);
        }
        expect(library.REGION_ROLES).to.deep.equal(["primary", "secondary"]);
    });

    it("importing the package registers nothing: package.json exports the components, Pulumi.yaml names the program", () => {
        const pkg = JSON.parse(read("package.json"));
        // Pulumi runs package.json's `exports`/`main` when Pulumi.yaml names no `main`: the program must be named there.
        expect(pkg.main).to.equal(undefined);
        expect(pkg.exports).to.deep.equal({ ".": "./components/index.ts" });
        expect((yaml.load(read("Pulumi.yaml")) as { main?: string }).main).to.equal("index.ts");
        // Outside any Pulumi run, constructing a resource throws: requiring the package by its name must not.
        const run = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "-e", 'const c = require("payments-dr"); console.log(Object.keys(c).sort().join(","))'],
            {
                cwd: ROOT,
                encoding: "utf8",
            },
        );
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout.trim().split(",")).to.include.members(["GlobalLayer", "RegionalDomain", "RegionalStack"]);
    }).timeout(60_000);

    it("refuses a provider of another region than the component's `region`", () => {
        expect(providerRegionProblem('RegionalStack "secondary"', "us-west-2", "us-west-2")).to.equal(undefined);
        expect(providerRegionProblem('RegionalStack "secondary"', "us-west-2", "us-east-1")).to.equal(
            'RegionalStack "secondary": `region` is us-west-2 but its aws provider deploys to us-east-1; pass the provider of us-west-2',
        );
        expect(providerRegionProblem('RegionalDomain "d"', "us-west-2", undefined)).to.match(/sets no region/);
    });

    it("the example program (under 60 lines, its own project and config) synthesizes both regions and the global layer", async () => {
        expect(read("examples/minimal/index.ts").split("\n").length).to.be.lessThan(60);
        await stack("dev");
        await stack("prod"); // the mocked runtime is global: let the cached syntheses finish first
        const config = {
            "dr-example:environment": "dev",
            "dr-example:domainName": "payments.example-corp.net",
            "dr-example:owner": "platform",
            "dr-example:costCenter": "cc-1",
        };
        const s = await synthesize("dev", config, "dr-example", { program: EXAMPLE });
        const ofType = (type: string) => s.resources.filter((r) => r.type === type);
        expect(ofType("payments-dr:index:RegionalStack").map((r) => r.name)).to.deep.equal(["primary", "secondary"]);
        expect(ofType("payments-dr:index:GlobalLayer")).to.have.length(1);
        expect(
            ofType("aws:lambda/function:Function")
                .map((r) => r.region)
                .sort(),
        ).to.include.members(["us-east-1", "us-west-2"]);
        expect(ofType("aws:dynamodb/table:Table").map((t) => t.region)).to.deep.equal(["us-east-1"]);
        expect((ofType("aws:dynamodb/table:Table")[0].inputs.replicas as { regionName: string }[]).map((r) => r.regionName)).to.deep.equal(["us-west-2"]);
        expect(s.outputs.failoverUrl).to.match(/^https:\/\/.*payments\.example-corp\.net$/);
        expect(s.outputs.apiEndpoints).to.have.keys(["primary", "secondary"]);
    });

    it("the README's component reference is generated from the source (npm run docs:components)", () => {
        expect(read("README.md"), "the README's component reference is stale: run `npm run docs:components`").to.contain(componentReference());
    });
});
