import { expect } from "chai";
import { RecordedResource, Synthesis } from "../scripts/synth/synthesize";
import { one, stack, stackWith } from "./support/stacks";

/**
 * Every resource option that hides a difference between the program and AWS (`ignoreChanges`), with the reason.
 * A new one must be added here on purpose: each hides drift that `pulumi preview` would otherwise show.
 */
const SUPPRESSED_DRIFT: ReadonlyArray<{ type: string; name: string; ignoreChanges: readonly string[]; reason: string }> = [
    {
        type: "aws:dynamodb/table:Table",
        name: "global-transactions-table",
        ignoreChanges: ["warmThroughput"],
        reason:
            "DynamoDB raises a table's warm throughput by itself as traffic grows and refuses any decrease " +
            '("decreasing WarmThroughput is not supported"): a declared value below the live one would fail every update',
    },
];

/**
 * Attributes AWS could be suspected of changing by itself, checked and left unsuppressed, with why. Listed so
 * that the next reader does not add an ignoreChanges for them without a reason.
 */
export const CHECKED_NOT_SUPPRESSED: Readonly<Record<string, string>> = {
    "apigatewayv2 Stage deploymentId (autoDeploy)":
        "AWS sets a new deployment id on every auto-deploy; the provider treats deploymentId as computed when autoDeploy " +
        "is on (terraform-provider-aws #13644), and the program never sets it",
    "dynamodb Table replicas":
        "AWS does not rewrite the replica settings we declare (region, key, PITR, deletion protection); tags are no longer " +
        "propagated from the table (they named the wrong region), the replica's own come from aws.dynamodb.Tag",
    "replicas' warm throughput": "not an input of a replica: DynamoDB applies the table's to its replicas, covered by the table's entry",
    "cloudwatch MetricAlarm dimensions": "stored as sent; every dimension value is an id or name the program itself declares",
};

function suppressions(s: Synthesis): Array<{ type: string; name: string; ignoreChanges: string[] }> {
    return s.resources
        .filter((r: RecordedResource) => r.ignoreChanges.length > 0)
        .map((r) => ({ type: r.type, name: r.name, ignoreChanges: [...r.ignoreChanges].sort() }));
}

describe("drift: what the program lets AWS change by itself", () => {
    const variants: Record<string, () => Promise<Synthesis>> = {
        dev: () => stack("dev"),
        prod: () => stack("prod"),
        "dev with custom domains": () => stackWith("dev", { domainMode: "custom-domain", zoneDelegated: "true" }),
    };
    for (const [label, synth] of Object.entries(variants)) {
        it(`suppresses drift only where SUPPRESSED_DRIFT says why (${label})`, async () => {
            const found = suppressions(await synth());
            const expected = SUPPRESSED_DRIFT.map(({ type, name, ignoreChanges }) => ({ type, name, ignoreChanges: [...ignoreChanges].sort() }));
            expect(
                found,
                "a resource option suppresses drift that tests/drift.test.ts does not list (or a listed one is gone): add " +
                    "{ type, name, ignoreChanges, reason } to SUPPRESSED_DRIFT, and the reason to the Drift section of docs/deployment.md",
            ).to.deep.equal(expected);
        });
    }

    it("gives every suppression a reason", () => {
        for (const entry of SUPPRESSED_DRIFT) {
            expect(entry.reason, entry.name).to.have.length.greaterThan(40);
        }
    });

    it("still declares warm throughput at creation in prod (config sets it; AWS may only raise it later)", async () => {
        const table = one(await stack("prod"), "aws:dynamodb/table:Table", "global-transactions-table");
        expect(table.inputs.warmThroughput).to.deep.include({ writeUnitsPerSecond: 20000, readUnitsPerSecond: 12000 });
    });
});
