import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { requireDelegationTo, ZoneNotDelegatedError } from "../components/global/delegation";
import { parseDrOutputs } from "../scripts/dr/outputs";
import { documentationFiles } from "./support/markdown-links";
import { one, ofType, stack } from "./support/stacks";

const read = (file: string) => fs.readFileSync(path.join(__dirname, "..", file), "utf8");

describe("Pulumi hygiene (issue 20)", () => {
    it("prod: the keys, the zone and the Aurora-free data stores are protected AND kept on delete", async () => {
        const prod = await stack("prod");
        for (const [type, name] of [
            ["aws:kms/key:Key", "primary-key"],
            ["aws:kms/key:Key", "secondary-key"],
            ["aws:route53/zone:Zone", "global-zone"],
            ["aws:dynamodb/table:Table", "global-transactions-table"],
        ]) {
            const r = one(prod, type, name);
            expect([r.protect, r.retainOnDelete], name).to.deep.equal([true, true]);
        }
        // Nothing protected that a `pulumi destroy` or `--remove` would silently take with it.
        const protectedOnly = prod.resources.filter((r) => r.protect && !r.retainOnDelete).map((r) => `${r.type} ${r.name}`);
        expect(protectedOnly).to.deep.equal([]);
    });

    it("dev: nothing protected, nothing retained", async () => {
        const dev = await stack("dev");
        expect(dev.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
    });

    it("exports the reverse rule's id only when reverse replication is on, and the DR scripts accept both", async () => {
        const dev = await stack("dev");
        const prod = await stack("prod");
        expect(dev.outputs.reverseReplication).to.equal(false);
        expect(dev.outputs.replicationRuleIds).to.deep.equal({ primary: "documents-primary-to-secondary" });
        expect(prod.outputs.reverseReplication).to.equal(true);
        expect(prod.outputs.replicationRuleIds).to.deep.equal({ primary: "documents-primary-to-secondary", secondary: "documents-secondary-to-primary" });
        expect(parseDrOutputs(dev.outputs, "dev").replicationRuleIds).to.deep.equal({ primary: "documents-primary-to-secondary" });
        expect(() => parseDrOutputs({ ...prod.outputs, replicationRuleIds: { primary: "documents-primary-to-secondary" } }, "prod")).to.throw(
            "stack output `replicationRuleIds` must name the primary rule and, with reverse replication, the secondary rule in prod",
        );
    });

    it("the GlobalLayer creates the ConsistencyGuard (any program composing it is guarded), aliased to its shipped root name", async () => {
        const prod = await stack("prod");
        const [guard] = ofType(prod, "pulumi-nodejs:dynamic:ConsistencyGuard");
        expect(guard.name).to.equal("global-consistency-guard");
        expect(prod.resources.find((r) => r.urn === guard.parentUrn)?.name).to.equal("global");
        expect(read("components/global/table.ts")).to.match(/aliases: \[\{ name: "consistency-guard", parent: pulumi\.rootStackResource \}\]/);
        expect(read("index.ts")).to.not.include("new ConsistencyGuard(");
    });

    it("raises RunErrors, not plain Errors, from the GlobalLayer", () => {
        // The layer and the parts it composes.
        for (const file of fs.readdirSync(path.join(__dirname, "..", "components")).filter((f) => /^(global-|document-replication|operator-role)/.test(f))) {
            expect(read(`components/${file}`), file).to.not.match(/throw new Error\(/);
        }
    });

    it("looks public DNS up outside output callbacks: the comparison takes a lookup already under way", async () => {
        let asked = 0;
        const published = (async () => {
            asked++;
            return ["ns-1.awsdns-1.org."];
        })();
        await requireDelegationTo("pay.acme-pay.net", ["ns-1.awsdns-1.org"], published);
        await requireDelegationTo("pay.acme-pay.net", ["ns-1.awsdns-1.org"], published);
        expect(asked).to.equal(1);
        await requireDelegationTo("pay.acme-pay.net", ["ns-2.awsdns-2.org"], Promise.resolve(["ns-1.awsdns-1.org"])).then(
            () => expect.fail("accepted another zone's delegation"),
            (e: unknown) => expect(e).to.be.instanceOf(ZoneNotDelegatedError),
        );
        expect(read("components/global/dns.ts")).to.match(/const published = nameServerLookup\(\)\(a\.domainName\);/);
    });

    it("documents the key alias the code creates", () => {
        for (const file of documentationFiles(path.join(__dirname, ".."))) {
            expect(read(file), file).to.not.include("alias/payments-dr-<env>-<role>-<suffix>");
        }
        expect(read("docs/architecture.md")).to.include("alias/transaction-encryption-<role>-<env>");
        expect(read("components/regional/regional-stack.ts")).to.include("alias/transaction-encryption-<role>-<env>");
    });
});
