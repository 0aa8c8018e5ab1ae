import { expect } from "chai";
import * as path from "path";
import { ALL_SPECS, planTestRun, STATIC_CHECKS, TestUsageError } from "../scripts/test/plan";

const ROOT = path.join(__dirname, "..");

describe("npm test: the whole gate, or only the specs named", () => {
    it("with no arguments runs the static checks, then every spec", () => {
        const plan = planTestRun([], ROOT);
        expect(plan.slice(0, -1)).to.deep.equal(STATIC_CHECKS);
        expect(plan.at(-1)).to.deep.equal(["mocha", ALL_SPECS]);
        expect(STATIC_CHECKS.map((step) => step.at(-1))).to.deep.equal(["typecheck", "lint", "format:check", "validate:workflows"]);
    });

    it("runs one file alone, without the static checks", () => {
        expect(planTestRun(["tests/naming.test.ts"], ROOT)).to.deep.equal([["mocha", "tests/naming.test.ts"]]);
    });

    it("runs every spec under a folder, and accepts absolute paths", () => {
        expect(planTestRun([path.join(ROOT, "tests", "ledger")], ROOT)).to.deep.equal([["mocha", "tests/ledger/**/*.test.ts"]]);
    });

    it("passes mocha options through, on every spec when no path is named", () => {
        expect(planTestRun(["--grep=receipt", "--bail"], ROOT)).to.deep.equal([["mocha", "--grep=receipt", "--bail", ALL_SPECS]]);
        expect(planTestRun(["tests/dr", "--grep=failback"], ROOT)).to.deep.equal([["mocha", "--grep=failback", "tests/dr/**/*.test.ts"]]);
    });

    it("refuses a path that does not exist, naming it (an option's value is only taken as --name=value)", () => {
        expect(() => planTestRun(["tests/nope.test.ts"], ROOT)).to.throw(TestUsageError, "no such test file or folder: tests/nope.test.ts");
        expect(() => planTestRun(["--grep", "receipt"], ROOT)).to.throw(
            TestUsageError,
            "no such test file or folder: receipt (mocha options take the form --name=value)",
        );
    });

    it("refuses a file that is not a TypeScript spec", () => {
        expect(() => planTestRun(["README.md"], ROOT)).to.throw(TestUsageError, "README.md is not a TypeScript test file");
    });
});
