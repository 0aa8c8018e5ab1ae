import { expect } from "chai";
import * as programFacts from "../../components/shared/aws-facts";
import * as packFacts from "../../policy/rules/aws-facts";

/**
 * The policy pack must load on its own (`pulumi policy publish` uploads only policy/), and product code must not
 * import from policy/ (an ESLint boundary, tests/import-boundaries.test.ts): each keeps its copy of the AWS facts
 * both rely on, and this test keeps the copies equal.
 */
describe("AWS facts: the program's copy and the policy pack's", () => {
    it("hold the same facts, every one of them", () => {
        expect(Object.keys(programFacts).sort()).to.deep.equal(Object.keys(packFacts).sort());
        expect(programFacts.WILDCARD_RESOURCE_ACTIONS).to.deep.equal(packFacts.WILDCARD_RESOURCE_ACTIONS);
        expect(programFacts.ROUTE53_METRICS_REGION).to.equal(packFacts.ROUTE53_METRICS_REGION);
    });
});
