import { expect } from "chai";
import { ofType, one, stack } from "./support/stacks";

describe("the table replica carries its own region's tags", () => {
    it("does not propagate the table's (primary) tags, and tags the replica in us-west-2 as secondary", async () => {
        const prod = await stack("prod");
        const table = one(prod, "aws:dynamodb/table:Table", "global-transactions-table");
        expect(table.inputs.replicas.map((r: { propagateTags: boolean }) => r.propagateTags)).to.deep.equal([false]);
        const tags = ofType(prod, "aws:dynamodb/tag:Tag");
        const replicaArn = table.state.replicas[0].arn;
        expect(Object.fromEntries(tags.map((t) => [t.inputs.key, t.inputs.value]))).to.deep.equal({
            Environment: "prod",
            Application: "payments-dr",
            Owner: "payments-platform",
            CostCenter: "cc-4711",
            ManagedBy: "Pulumi",
            RegionRole: "secondary",
        });
        for (const tag of tags) {
            expect(tag.region).to.equal("us-west-2");
            expect(tag.inputs.resourceArn)
                .to.equal(replicaArn)
                .and.match(/^arn:aws:dynamodb:us-west-2:/);
        }
    });
});
