import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ESLint } from "eslint";

const ROOT = path.join(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("lint and format", () => {
    it("npm test type-checks, lints (no warnings), checks the format and validates the workflows before the tests", () => {
        // The steps themselves are scripts/test/plan.ts's STATIC_CHECKS, asserted in tests/test-runner.test.ts.
        expect(pkg.scripts.test).to.equal("ts-node --transpile-only scripts/run-tests.ts");
        expect(pkg.scripts.lint).to.equal("eslint --max-warnings 0 .");
        expect(pkg.scripts["format:check"]).to.equal('prettier --check "**/*.ts"');
        expect(pkg.scripts["validate:workflows"]).to.include("action-validator");
        for (const tool of ["eslint", "typescript-eslint", "@pulumi/eslint-plugin", "eslint-plugin-import-x", "prettier", "@action-validator/cli"]) {
            expect(pkg.devDependencies[tool], tool).to.match(/^\d+\.\d+\.\d+$/);
        }
    });

    it("Prettier keeps the project's layout: 4 spaces, double quotes, trailing commas, wide lines", () => {
        const config = JSON.parse(fs.readFileSync(path.join(ROOT, ".prettierrc.json"), "utf8"));
        expect(config).to.deep.equal({ printWidth: 160, tabWidth: 4, trailingComma: "all" });
    });

    it("a component file gets Pulumi's Output-in-template-literal rules and typescript-eslint's as errors", async () => {
        const config = await new ESLint({ cwd: ROOT }).calculateConfigForFile(path.join(ROOT, "components/regional/regional-stack.ts"));
        const level = (rule: string) => [config.rules[rule]].flat()[0];
        expect(level("@pulumi/no-output-in-template-literal")).to.be.oneOf([2, "error"]);
        expect(level("@pulumi/no-output-instance-in-template-literal")).to.be.oneOf([2, "error"]);
        expect(level("@typescript-eslint/no-explicit-any")).to.be.oneOf([2, "error"]);
    });
});
