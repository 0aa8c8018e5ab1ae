import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ALL_RULES, evaluate } from "../../policy/rules";
import { mandatory } from "../../policy/rules/evaluate";
import { route53FailoverPair } from "../../policy/rules/monitoring";
import { dynamodbReplicaKeyInRegion } from "../../policy/rules/dynamodb";
import { fromSynthesis, ResourceView } from "../../policy/rules/view";
import { stack } from "../support/stacks";
import { listViolations } from "./support";

for (const name of ["dev", "prod"] as const) {
    describe(`policy pack on the real ${name} stack (mocked runtime)`, () => {
        let views: ResourceView[];
        before(async () => {
            views = fromSynthesis((await stack(name)).resources);
        });

        it("passes every mandatory policy", async () => {
            const found = mandatory(await evaluate(views, ALL_RULES));
            expect(found, `mandatory violations in ${name}:\n${listViolations(found)}`).to.deep.equal([]);
        });

        it("reads the environment and region of every AWS resource", () => {
            for (const v of views.filter((r) => r.type.startsWith("aws:"))) {
                expect(v.environment, v.urn).to.equal(name);
                expect(v.region, v.urn).to.match(/^[a-z]{2}-[a-z]+-\d$/);
            }
        });

        // The rules see the program's real shapes: breaking one of them is caught.
        it("catches a failover record losing its partner, and a replica keyed from the wrong region", async () => {
            const withoutSecondary = views.filter(
                (v) => !(v.type === "aws:route53/record:Record" && /SECONDARY/.test(JSON.stringify(v.props.failoverRoutingPolicies))),
            );
            expect(await evaluate(withoutSecondary, [route53FailoverPair])).to.not.deep.equal([]);
            const table = views.find((v) => v.type === "aws:dynamodb/table:Table")!;
            const homeKey = (table.props.serverSideEncryption as { kmsKeyArn: string }).kmsKeyArn;
            const broken = { ...table, props: { ...table.props, replicas: (table.props.replicas as object[]).map((r) => ({ ...r, kmsKeyArn: homeKey })) } };
            expect(await evaluate([broken], [dynamodbReplicaKeyInRegion])).to.have.length(1);
        });
    });
}

describe("policy pack test coverage", () => {
    it("every rule is named in a test under tests/policy", () => {
        const dir = __dirname;
        const text = fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".test.ts") && f !== path.basename(__filename))
            .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
            .join("\n");
        const untested = ALL_RULES.map((r) => r.name).filter((n) => !text.includes(n));
        expect(untested).to.deep.equal([]);
    });
});
