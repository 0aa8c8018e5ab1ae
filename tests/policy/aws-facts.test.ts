import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as programFacts from "../../components/shared/aws-facts";
import * as packFacts from "../../policy/rules/aws-facts";

/**
 * The policy pack must load on its own (`pulumi policy publish` uploads only policy/), and product code must not
 * import from policy/: each keeps its copy of the AWS facts both rely on, and this test keeps the copies equal.
 */
describe("AWS facts: the program's copy and the policy pack's", () => {
    it("hold the same facts, every one of them", () => {
        expect(Object.keys(programFacts).sort()).to.deep.equal(Object.keys(packFacts).sort());
        expect(programFacts.WILDCARD_RESOURCE_ACTIONS).to.deep.equal(packFacts.WILDCARD_RESOURCE_ACTIONS);
        expect(programFacts.ROUTE53_METRICS_REGION).to.equal(packFacts.ROUTE53_METRICS_REGION);
    });

    it("no file of components/, functions/ or index.ts imports from policy/ or tests/", () => {
        const root = path.join(__dirname, "..", "..");
        const files = [
            "index.ts",
            ...["components", "functions"].flatMap((dir) =>
                fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }).map((f) => `${dir}/${f}`),
            ),
        ].filter((f) => f.endsWith(".ts") && !f.includes("node_modules"));
        expect(files.length).to.be.greaterThan(100);
        const offending = files.filter((f) => /from "(\.\.\/)+(policy|tests)\//.test(fs.readFileSync(path.join(root, f), "utf8")));
        expect(offending).to.deep.equal([]);
    });
});
