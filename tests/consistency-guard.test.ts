import { expect } from "chai";
import * as vm from "vm";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../program/config-keys";
import { CONSISTENCY_GUARD_TYPE, consistencyGuardProvider, type ConsistencyGuardProps } from "../components/global/consistency-guard";
import { fixedMonthlyCosts } from "../scripts/cost/estimate";
import { ofType, stack } from "./support/stacks";

const TABLE = "transactions-table-prod-k3x9qa";
const STRONG: ConsistencyGuardProps = { consistency: "strong", tableName: TABLE };
const EVENTUAL: ConsistencyGuardProps = { consistency: "eventual", tableName: TABLE };
const GUARD_TYPE = `pulumi-nodejs:dynamic:${CONSISTENCY_GUARD_TYPE}`;

const STRONG_TO_EVENTUAL =
    '`payments-dr:consistency` is "eventual": the transactions table transactions-table-prod-k3x9qa was created with "strong", ' +
    'and DynamoDB cannot change a global table\'s consistency mode after creation. Keep `consistency` "strong" ' +
    '(pulumi config set consistency strong), or create a new stack with "eventual" and migrate the data to it ' +
    '(README: "Consistency across regions").';
const EVENTUAL_TO_STRONG =
    '`payments-dr:consistency` is "strong": the transactions table transactions-table-prod-k3x9qa was created with "eventual", ' +
    'and DynamoDB cannot change a global table\'s consistency mode after creation. Keep `consistency` "eventual" ' +
    '(pulumi config set consistency eventual), or create a new stack with "strong" and migrate the data to it ' +
    '(README: "Consistency across regions").';

type Provider = typeof consistencyGuardProvider;
/** What the engine gets back from `check`, as plain JSON (a provider loaded in another context has other prototypes). */
async function checked(provider: Provider, olds: Partial<ConsistencyGuardProps>, news: ConsistencyGuardProps): Promise<unknown> {
    return JSON.parse(JSON.stringify(await provider.check!(olds as ConsistencyGuardProps, news)));
}

/**
 * Loads a serialized provider the way Pulumi's dynamic provider host does (the text is a CommonJS module whose
 * `handler()` returns the provider), but in a fresh V8 context whose `require` refuses everything: the provider
 * must work with nothing but its own text.
 */
function loadSerialized(text: string): Provider {
    const module = { exports: {} as { handler?: () => Provider } };
    const refuse = (id: string) => {
        throw new Error(`the serialized provider requires ${id}`);
    };
    vm.compileFunction(text, ["exports", "require", "module"], { parsingContext: vm.createContext({}) })(module.exports, refuse, module);
    return module.exports.handler!();
}

describe("ConsistencyGuard: a consistency change on a deployed table fails with our message", () => {
    describe("the provider's check", () => {
        it("passes the first deployment (no previous inputs) in either mode", async () => {
            expect(await checked(consistencyGuardProvider, {}, STRONG)).to.deep.equal({ inputs: STRONG });
            expect(await checked(consistencyGuardProvider, {}, EVENTUAL)).to.deep.equal({ inputs: EVENTUAL });
        });

        it("passes an unchanged mode", async () => {
            expect(await checked(consistencyGuardProvider, STRONG, STRONG)).to.deep.equal({ inputs: STRONG });
            expect(await checked(consistencyGuardProvider, EVENTUAL, EVENTUAL)).to.deep.equal({ inputs: EVENTUAL });
        });

        it("refuses strong -> eventual and eventual -> strong on the consistency property, naming the key, both values and the way out", async () => {
            expect(await checked(consistencyGuardProvider, STRONG, EVENTUAL)).to.deep.equal({
                inputs: EVENTUAL,
                failures: [{ property: "consistency", reason: STRONG_TO_EVENTUAL }],
            });
            expect(await checked(consistencyGuardProvider, EVENTUAL, STRONG)).to.deep.equal({
                inputs: STRONG,
                failures: [{ property: "consistency", reason: EVENTUAL_TO_STRONG }],
            });
            expect(STRONG_TO_EVENTUAL).to.contain(`\`${CONFIG_NAMESPACE}:consistency\``);
        });

        it("lets a new table (a new name: the stack's suffix was replaced) take the other mode", async () => {
            const renamed = { consistency: "eventual", tableName: "transactions-table-prod-zz9zz9" } as const;
            expect(await checked(consistencyGuardProvider, STRONG, renamed)).to.deep.equal({ inputs: renamed });
        });
    });

    describe("diff and create", () => {
        it("reports no change for an unchanged mode and table, and a replacement for a new table", async () => {
            expect(await consistencyGuardProvider.diff!("id", STRONG, STRONG)).to.deep.equal({ changes: false, replaces: [] });
            expect(await consistencyGuardProvider.diff!("id", STRONG, { ...STRONG, tableName: "transactions-table-prod-zz9zz9" })).to.deep.equal({
                changes: true,
                replaces: ["tableName"],
            });
        });

        it("creates nothing in AWS: a stable id from the table name, the mode kept in the outputs", async () => {
            const first = await consistencyGuardProvider.create(STRONG);
            expect(first).to.deep.equal({ id: `${TABLE}/consistency`, outs: STRONG });
            expect(await consistencyGuardProvider.create(STRONG)).to.deep.equal(first);
        });
    });

    describe("serialized as pulumi.dynamic.Resource does", () => {
        it("loads in a fresh context without requiring any module, and still refuses a change", async () => {
            // dynamic.Resource serializes `() => provider` (node_modules/@pulumi/pulumi/dynamic/index.js).
            const provider = consistencyGuardProvider;
            const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
            expect(serialized.text).to.not.match(/require\(/);
            expect(serialized.text.length).to.be.below(10_000);
            const loaded = loadSerialized(serialized.text);
            expect(await checked(loaded, STRONG, EVENTUAL)).to.deep.equal({
                inputs: EVENTUAL,
                failures: [{ property: "consistency", reason: STRONG_TO_EVENTUAL }],
            });
            expect(await checked(loaded, STRONG, STRONG)).to.deep.equal({ inputs: STRONG });
            expect(JSON.parse(JSON.stringify(await loaded.diff!("id", EVENTUAL, EVENTUAL)))).to.deep.equal({ changes: false, replaces: [] });
        });
    });

    for (const [name, mode] of [
        ["dev", "eventual"],
        ["prod", "strong"],
    ] as const) {
        describe(`in the ${name} stack (mocked runtime)`, () => {
            it(`registers the guard with ${mode} and the table's name, before the table, which depends on it`, async () => {
                const s = await stack(name);
                const [guard] = ofType(s, GUARD_TYPE);
                const [table] = ofType(s, "aws:dynamodb/table:Table");
                expect(guard.inputs).to.include({ consistency: mode, tableName: table.inputs.name });
                expect(table.dependsOn).to.include(guard.urn);
                expect(s.resources.indexOf(guard)).to.be.below(s.resources.indexOf(table));
                // Nothing in AWS, so nothing in the cost estimate.
                expect(fixedMonthlyCosts([guard])).to.deep.equal(fixedMonthlyCosts([]));
            });

            it("carries a serialized provider that loads on its own and refuses the other mode", async () => {
                const s = await stack(name);
                const [guard] = ofType(s, GUARD_TYPE);
                const loaded = loadSerialized(guard.inputs.__provider);
                const deployed = { consistency: mode, tableName: guard.inputs.tableName };
                const other = { ...deployed, consistency: mode === "strong" ? "eventual" : "strong" } as const;
                const result = (await checked(loaded, deployed, other)) as { failures: { property: string; reason: string }[] };
                expect(result.failures.map((f) => f.property)).to.deep.equal(["consistency"]);
                expect(result.failures[0].reason).to.contain(`was created with "${mode}"`);
                expect(await checked(loaded, deployed, deployed)).to.deep.equal({ inputs: deployed });
            });
        });
    }
});
