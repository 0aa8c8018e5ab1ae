import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { parseStackSettings } from "../program/config";
import { UNDELEGATED_FIX } from "../components/global/delegation";
import { dnsOnlyFqdn, failoverDns } from "../components/global/failover-dns";
import { projectConfig } from "../scripts/preview/run";
import { readStackConfig } from "../scripts/synth/stack-config";
import { synthesize, Synthesis } from "../scripts/synth/synthesize";
import { RecordSet, recordSets, transitionConflicts } from "./support/route53-transition";
import { stack, stackWith } from "./support/stacks";

/**
 * Moving a stack between DNS-only and custom-domain (either way, and when the zone becomes delegated), and between
 * alias and CNAME failover records, must never make Route 53 hold two record sets it refuses together. Each
 * configuration is synthesized; every pair of record sets that Pulumi's step order lets coexist during the
 * `pulumi up` between them is checked.
 */
describe("DNS transitions are safe in Route 53", () => {
    const configs: Record<string, () => Promise<Synthesis>> = {
        "dev, dns-only": () => stack("dev"),
        "dev, custom-domain (delegated)": () => stackWith("dev", { domainMode: "custom-domain", zoneDelegated: "true" }),
        "dev, custom-domain CNAMEs (delegated)": () =>
            stackWith("dev", { domainMode: "custom-domain", zoneDelegated: "true", failoverRecordType: "cname", failoverRecordTtlSeconds: "15" }),
        "dev, custom-domain (pending delegation)": () => stackWith("dev", { domainMode: "custom-domain", zoneDelegated: "false" }),
        "prod, pending delegation": () => stackWith("prod", { zoneDelegated: "false" }),
        "prod, delegated": () => stack("prod"),
        "prod, delegated, aliases": () => stackWith("prod", { failoverRecordType: "alias" }),
    };
    const sets = new Map<string, RecordSet[]>();
    before(async function () {
        this.timeout(300_000);
        for (const [label, synth] of Object.entries(configs)) {
            sets.set(label, recordSets((await synth()).resources));
        }
    });

    const transitions: Array<[string, string]> = [
        ["dev, dns-only", "dev, custom-domain (delegated)"],
        ["dev, custom-domain (delegated)", "dev, dns-only"],
        ["dev, dns-only", "dev, custom-domain CNAMEs (delegated)"],
        ["dev, custom-domain CNAMEs (delegated)", "dev, dns-only"],
        ["dev, custom-domain (pending delegation)", "dev, custom-domain (delegated)"],
        ["dev, custom-domain (delegated)", "dev, custom-domain (pending delegation)"],
        ["dev, custom-domain (pending delegation)", "dev, custom-domain CNAMEs (delegated)"],
        ["dev, custom-domain CNAMEs (delegated)", "dev, custom-domain (pending delegation)"],
        ["dev, dns-only", "dev, custom-domain (pending delegation)"],
        ["prod, pending delegation", "prod, delegated"],
        ["prod, delegated", "prod, pending delegation"],
        ["prod, pending delegation", "prod, delegated, aliases"],
        ["prod, delegated, aliases", "prod, pending delegation"],
    ];
    for (const [from, to] of transitions) {
        it(`${from} → ${to}`, () => {
            expect(transitionConflicts(sets.get(from)!, sets.get(to)!)).to.deep.equal([]);
        });
    }
    for (const label of Object.keys(configs)) {
        it(`a first deployment of ${label} declares nothing Route 53 refuses`, () => {
            expect(transitionConflicts([], sets.get(label)!)).to.deep.equal([]);
        });
    }

    /** Aliases ↔ CNAMEs at the HTTPS name: both regions' records share the name (failover-record.ts). */
    const switches: Array<[string, string]> = [
        ["prod, delegated, aliases", "prod, delegated"],
        ["prod, delegated", "prod, delegated, aliases"],
        ["dev, custom-domain (delegated)", "dev, custom-domain CNAMEs (delegated)"],
        ["dev, custom-domain CNAMEs (delegated)", "dev, custom-domain (delegated)"],
    ];
    for (const [from, to] of switches) {
        it(`${from} → ${to}: a plain \`pulumi up\` stops at a create Route 53 refuses, before it deletes anything`, () => {
            const [before, after] = [sets.get(from)!, sets.get(to)!];
            const conflicts = transitionConflicts(before, after);
            expect(conflicts).to.have.length.greaterThan(0);
            expect(conflicts.every((c) => /a CNAME cannot share its name with another type$/.test(c))).to.equal(true);
            // Every record of the new shape is a new resource: Pulumi creates it while the program runs, Route 53
            // refuses the create, and the deletes of the old pair (run last) never start. No in-place type change
            // could leave one region's record switched and the other's not.
            const oldUrns = new Set(before.map((r) => r.urn));
            const httpsName = after.find((r) => r.setIdentifier !== undefined && !r.name.includes("-dns-only"))!.name;
            const created = after.filter((r) => r.name === httpsName && r.setIdentifier !== undefined);
            expect(created).to.have.length.greaterThan(0);
            expect(created.filter((r) => oldUrns.has(r.urn))).to.deep.equal([]);
        });

        it(`${from} → ${to}: one atomic change batch, then \`pulumi up --refresh\`, converges with nothing refused`, () => {
            const [before, after] = [sets.get(from)!, sets.get(to)!];
            const isSwitched = (r: RecordSet) => r.setIdentifier !== undefined && after.some((n) => n.name === r.name && n.setIdentifier === r.setIdentifier);
            // The batch deleted the old pair and created the new one outside Pulumi; the refresh dropped the old
            // pair from the state. What Route 53 holds when `pulumi up` starts:
            const batchCreated = after.filter(isSwitched).map((r) => ({ ...r, urn: `route53-batch:${r.type}:${r.setIdentifier}`, allowOverwrite: false }));
            const state = before.filter((r) => !isSwitched(r));
            expect(batchCreated).to.have.length(after.filter(isSwitched).length).and.length.greaterThan(0);
            // The program's records UPSERT (allowOverwrite) over the identical ones the batch created.
            expect(transitionConflicts([...state, ...batchCreated], after)).to.deep.equal([]);
            expect(after.filter(isSwitched).every((r) => r.allowOverwrite)).to.equal(true);
        });
    }

    it("gives each name one kind of record per configuration; only the HTTPS name changes kind, and only between aliases and CNAMEs", () => {
        const kindsByName = new Map<string, Set<string>>();
        for (const [label, records] of sets) {
            const kinds = new Map<string, Set<string>>();
            for (const r of records) {
                const kind = r.type === "CNAME" ? "CNAME" : "address";
                kinds.set(r.name, (kinds.get(r.name) ?? new Set()).add(kind));
                kindsByName.set(r.name, (kindsByName.get(r.name) ?? new Set()).add(kind));
            }
            expect(
                [...kinds].filter(([, k]) => k.size > 1).map(([name]) => name),
                label,
            ).to.deep.equal([]);
        }
        const mixed = [...kindsByName].filter(([, types]) => types.size > 1).map(([name]) => name);
        expect(mixed.sort()).to.deep.equal(["api.dev.payments-dr.acme-pay.net", "api.payments-dr.acme-pay.net"]);
        const at = (label: string, name: string) =>
            sets
                .get(label)!
                .filter((r) => r.name === name)
                .map((r) => r.type)
                .sort();
        expect(at("prod, delegated", "api.payments-dr.acme-pay.net")).to.deep.equal(["CNAME", "CNAME"]);
        expect(at("prod, delegated, aliases", "api.payments-dr.acme-pay.net")).to.deep.equal(["A", "A", "AAAA", "AAAA"]);
        expect(at("prod, pending delegation", "api-dns-only.payments-dr.acme-pay.net")).to.deep.equal(["CNAME", "CNAME"]);
    });

    it("catches the old design: CNAMEs replaced by aliases at the same name", () => {
        const cname = (role: string): RecordSet => ({
            urn: `urn:${role}-cname`,
            zoneId: "Z1",
            name: "api.x.io",
            type: "CNAME",
            setIdentifier: role,
            allowOverwrite: false,
        });
        const alias = (role: string, type: string): RecordSet => ({
            urn: `urn:${role}-${type}`,
            zoneId: "Z1",
            name: "api.x.io",
            type,
            setIdentifier: role,
            allowOverwrite: false,
        });
        const before = [cname("primary"), cname("secondary")];
        const after = [alias("primary", "A"), alias("secondary", "A"), alias("primary", "AAAA"), alias("secondary", "AAAA")];
        expect(transitionConflicts(before, after)).to.include("CNAME and A at api.x.io: a CNAME cannot share its name with another type");
        expect(transitionConflicts(after, before)).to.include("A and CNAME at api.x.io: a CNAME cannot share its name with another type");
        // One resource whose type changes in place is one atomic batch, but the other role's old record remains.
        const swapped = [{ ...before[0], type: "A" }, before[1]];
        expect(transitionConflicts(before, swapped)).to.include("CNAME and A at api.x.io: a CNAME cannot share its name with another type");
    });

    it("names the DNS-only failover name beside the HTTPS one", () => {
        const settings = parseStackSettings(projectConfig(readStackConfig("dev")));
        expect(dnsOnlyFqdn(settings)).to.equal("api-dns-only.dev.payments-dr.acme-pay.net");
        expect(failoverDns(settings)).to.deep.equal({
            servesHttps: false,
            name: "api-dns-only.dev.payments-dr.acme-pay.net",
            records: "cname",
            recordTypes: ["CNAME"],
        });
    });
});

describe("a fresh stack never waits on certificate validation for an undelegated zone", () => {
    async function failureWith(nameServers: string[]): Promise<Error> {
        await stack("prod");
        try {
            await synthesize("prod-fresh", readStackConfig("prod"), "payments-dr", { nameServers: async () => nameServers });
        } catch (e) {
            return e as Error;
        }
        throw new Error("the program did not stop");
    }

    it("the committed prod stack, deployed from nothing, stops with one RunError naming the command to run", async () => {
        const error = await failureWith([]);
        expect(pulumi.RunError.isInstance(error)).to.equal(true);
        expect(error.message).to.equal(
            "`payments-dr:zoneDelegated` is true, but public DNS has no name servers for payments-dr.acme-pay.net: the parent " +
                "domain does not delegate it yet. ACM validates the certificates through this zone, so `pulumi up` would wait " +
                `until the validation times out. Run \`${UNDELEGATED_FIX}\` and \`pulumi up\`: the stack comes up with a DNS-only ` +
                "failover name and exports `nameServers`; delegate the domain to them at its parent, then " +
                "`pulumi config set zoneDelegated true && pulumi up`.",
        );
    });

    it("a rebuild whose parent still delegates to the old zone's name servers stops the same way", async () => {
        const error = await failureWith(["ns-900.awsdns-50.net.", "ns-901.awsdns-51.org."]);
        expect(pulumi.RunError.isInstance(error)).to.equal(true);
        expect(error.message).to.contain(
            "public DNS delegates payments-dr.acme-pay.net to ns-900.awsdns-50.net, ns-901.awsdns-51.org, not to this stack's zone (ns-1.awsdns-01.org",
        );
    });

    it("with the delegation it asks for, the same stack deploys with its custom domains", async () => {
        const prod = await stack("prod");
        expect(prod.resources.filter((r) => r.type === "aws:acm/certificateValidation:CertificateValidation")).to.have.length(2);
    });
});
