import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import {
    ChangeResourceRecordSetsCommand,
    GetChangeCommand,
    ListResourceRecordSetsCommand,
    Route53Client,
    type ResourceRecordSet,
} from "@aws-sdk/client-route-53";
import { normalizeName, planFailoverRecordSwitch } from "../scripts/dns/failover-record-switch";
import { main } from "../scripts/failover-records";
import type { RecordedResource } from "../scripts/synth/synthesize";
import { stack, stackWith } from "./support/stacks";

const NAME = "api.payments-dr.acme-pay.net";

/** A synthesized record as ListResourceRecordSets returns it (names and alias targets with the trailing dot). */
function asListed(r: RecordedResource): ResourceRecordSet {
    const i = r.inputs;
    const alias = (i.aliases as { name: string; zoneId: string; evaluateTargetHealth: boolean }[] | undefined)?.[0];
    return {
        Name: `${String(i.name)}.`,
        Type: i.type,
        ...(i.setIdentifier === undefined ? {} : { SetIdentifier: i.setIdentifier }),
        ...(i.failoverRoutingPolicies === undefined ? {} : { Failover: i.failoverRoutingPolicies[0].type }),
        ...(i.healthCheckId === undefined ? {} : { HealthCheckId: i.healthCheckId }),
        ...(alias
            ? { AliasTarget: { HostedZoneId: alias.zoneId, DNSName: `${alias.name}.`, EvaluateTargetHealth: alias.evaluateTargetHealth } }
            : { TTL: i.ttl, ResourceRecords: (i.records as string[]).map((Value) => ({ Value })) }),
    };
}

/** What matters of a record set for comparison: names and targets without the trailing dot. */
function comparable(s: ResourceRecordSet) {
    return {
        name: normalizeName(s.Name!),
        type: s.Type,
        setIdentifier: s.SetIdentifier,
        failover: s.Failover,
        healthCheckId: s.HealthCheckId,
        ttl: s.TTL,
        values: s.ResourceRecords?.map((r) => normalizeName(r.Value!)),
        alias: s.AliasTarget && { zone: s.AliasTarget.HostedZoneId, name: normalizeName(s.AliasTarget.DNSName!), evaluate: s.AliasTarget.EvaluateTargetHealth },
    };
}

const recordsOf = (resources: readonly RecordedResource[]) => resources.filter((r) => r.type === "aws:route53/record:Record").map(asListed);
const failoverAt = (sets: readonly ResourceRecordSet[]) => sets.filter((s) => normalizeName(s.Name!) === NAME && s.Failover !== undefined);
const sortKey = (s: ReturnType<typeof comparable>) => `${s.setIdentifier}/${s.type}`;
const sorted = <T extends { setIdentifier?: string; type?: string }>(list: T[]) =>
    [...list].sort((a, b) => sortKey(a as never).localeCompare(sortKey(b as never)));

describe("failover records: the atomic switch between aliases and CNAMEs (npm run failover-records)", () => {
    let aliases: ResourceRecordSet[];
    let cnames: ResourceRecordSet[];
    before(async function () {
        this.timeout(300_000);
        cnames = recordsOf((await stack("prod")).resources);
        aliases = recordsOf((await stackWith("prod", { failoverRecordType: "alias" })).resources);
    });

    it("aliases → CNAMEs: one batch deleting the four alias sets and creating exactly the records the program declares for `cname`", () => {
        const changes = planFailoverRecordSwitch(aliases, NAME, "cname", 15);
        const deleted = changes.filter((c) => c.Action === "DELETE").map((c) => c.ResourceRecordSet!);
        const created = changes.filter((c) => c.Action === "CREATE").map((c) => comparable(c.ResourceRecordSet!));
        expect(deleted).to.deep.equal(failoverAt(aliases));
        expect(deleted.map((s) => s.Type).sort()).to.deep.equal(["A", "A", "AAAA", "AAAA"]);
        expect(sorted(created)).to.deep.equal(sorted(failoverAt(cnames).map(comparable)));
        // Deletes first: Route 53 validates the batch as a whole, but a reader of the plan sees the order it means.
        expect(changes.map((c) => c.Action)).to.deep.equal(["DELETE", "DELETE", "DELETE", "DELETE", "CREATE", "CREATE"]);
    });

    it("CNAMEs → aliases: A and AAAA per region, in the hosted zone of the region's own alias record", () => {
        const changes = planFailoverRecordSwitch(cnames, NAME, "alias");
        const created = changes.filter((c) => c.Action === "CREATE").map((c) => comparable(c.ResourceRecordSet!));
        expect(changes.filter((c) => c.Action === "DELETE").map((c) => c.ResourceRecordSet)).to.deep.equal(failoverAt(cnames));
        expect(sorted(created)).to.deep.equal(sorted(failoverAt(aliases).map(comparable)));
    });

    it("refuses what it cannot do safely, naming why", () => {
        expect(() => planFailoverRecordSwitch(cnames, NAME, "cname", 15)).to.throw(`the failover records at ${NAME} are already CNAMEs: nothing to switch`);
        expect(() => planFailoverRecordSwitch(aliases, NAME, "cname")).to.throw("--ttl is undefined: CNAMEs need a TTL from 1 to 60 s");
        expect(() => planFailoverRecordSwitch(aliases, NAME, "cname", 300)).to.throw("--ttl is 300");
        expect(() => planFailoverRecordSwitch(aliases, "other.acme-pay.net", "cname", 15)).to.throw("no failover record sets named other.acme-pay.net");
        const mixed = [...failoverAt(aliases).filter((s) => s.Type === "A"), ...failoverAt(cnames)];
        expect(() => planFailoverRecordSwitch(mixed, NAME, "cname", 15)).to.throw("mix aliases and other records");
        const noRegional = cnames.filter((s) => !normalizeName(s.Name!).startsWith("primary."));
        expect(() => planFailoverRecordSwitch(noRegional, NAME, "alias")).to.throw(`no alias record primary.${NAME}`);
    });

    describe("the command", () => {
        function run(argv: string[], route53: ReturnType<typeof mockClient>, client: Route53Client) {
            const out: string[] = [];
            const err: string[] = [];
            const code = main(argv, {
                client: () => client,
                stdout: (t) => out.push(t),
                stderr: (t) => err.push(t),
                sleep: async () => undefined,
                waitMs: 20_000,
                pollMs: 5_000,
            });
            return code.then((exit) => ({ exit, out: out.join(""), err: err.join(""), calls: route53.calls() }));
        }
        function route53With(sets: ResourceRecordSet[], statuses: string[]) {
            const client = new Route53Client({ region: "us-east-1" });
            const mock = mockClient(client);
            mock.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: sets, IsTruncated: false, MaxItems: 300 });
            mock.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: "/change/C1", Status: "PENDING", SubmittedAt: new Date() } });
            let i = 0;
            mock.on(GetChangeCommand).callsFake(() => ({
                ChangeInfo: { Id: "/change/C1", Status: statuses[Math.min(i++, statuses.length - 1)], SubmittedAt: new Date() },
            }));
            return { client, mock };
        }

        it("prints the batch and changes nothing without --apply", async () => {
            const { client, mock } = route53With(aliases, ["INSYNC"]);
            const r = await run(["--zone-id", "Z1", "--name", NAME, "--to", "cname", "--ttl", "15"], mock, client);
            expect(r.exit).to.equal(0);
            expect(JSON.parse(r.out.slice(0, r.out.lastIndexOf("}") + 1)).Changes).to.have.length(6);
            expect(mock.commandCalls(ChangeResourceRecordSetsCommand)).to.have.length(0);
            expect(mock.commandCalls(ListResourceRecordSetsCommand)[0].args[0].input).to.include({ HostedZoneId: "Z1", StartRecordName: NAME });
        });

        it("--apply submits ONE change batch with every change and waits for INSYNC", async () => {
            const { client, mock } = route53With(aliases, ["PENDING", "INSYNC"]);
            const r = await run(["--zone-id", "Z1", "--name", NAME, "--to", "cname", "--ttl", "15", "--apply"], mock, client);
            expect(r.exit, r.err).to.equal(0);
            const batches = mock.commandCalls(ChangeResourceRecordSetsCommand);
            expect(batches).to.have.length(1);
            expect(batches[0].args[0].input.ChangeBatch!.Changes).to.deep.equal(planFailoverRecordSwitch(aliases, NAME, "cname", 15));
            expect(mock.commandCalls(GetChangeCommand)).to.have.length(2);
            expect(r.out).to.contain("Applied and INSYNC (change /change/C1). Now: pulumi config set failoverRecordType cname && pulumi up --refresh");
        });

        it("exits 1 when the change is not INSYNC in time, 2 on a refused plan or bad usage", async () => {
            const slow = route53With(aliases, ["PENDING"]);
            expect((await run(["--zone-id", "Z1", "--name", NAME, "--to", "cname", "--ttl", "15", "--apply"], slow.mock, slow.client)).exit).to.equal(1);
            const same = route53With(cnames, ["INSYNC"]);
            const refused = await run(["--zone-id", "Z1", "--name", NAME, "--to", "cname", "--ttl", "15", "--apply"], same.mock, same.client);
            expect(refused.exit).to.equal(2);
            expect(refused.err).to.contain("already CNAMEs");
            expect(same.mock.commandCalls(ChangeResourceRecordSetsCommand)).to.have.length(0);
            expect((await run(["--zone-id", "Z1", "--name", NAME, "--to", "txt"], same.mock, same.client)).exit).to.equal(2);
        });
    });
});
