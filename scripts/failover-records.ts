/**
 * `npm run failover-records -- --zone-id <id> --name <failover name> --to alias|cname [--ttl <s>] [--apply]`
 *
 * Moves the HTTPS failover name between A/AAAA aliases and CNAMEs in one atomic Route 53 change batch
 * (scripts/dns/failover-record-switch.ts), the step `pulumi up` cannot take safely (components/global/failover-record.ts).
 * Without `--apply` it prints the batch and changes nothing. Then: `pulumi config set failoverRecordType <to>` and
 * `pulumi up --refresh`. Exit codes: 0 planned or applied (INSYNC); 1 applied but not INSYNC in time; 2 usage or AWS error.
 */
import {
    ChangeResourceRecordSetsCommand,
    GetChangeCommand,
    ListResourceRecordSetsCommand,
    type ResourceRecordSet,
    Route53Client,
} from "@aws-sdk/client-route-53";
import { parseArgs } from "util";
import { FAILOVER_RECORD_TYPES, type FailoverRecordType } from "../components/global/failover-dns";
import { Deadline } from "./dr/deadline";
import { createRoute53Client } from "./drill/route53-status";
import { normalizeName, planFailoverRecordSwitch, SwitchPlanError } from "./dns/failover-record-switch";

export const USAGE = `Usage: npm run failover-records -- --zone-id <hosted zone id> --name <failover name> --to alias|cname [--ttl <s>] [--apply]

  --zone-id   the stack's zone (output hostedZoneId)
  --name      the HTTPS failover name (output failoverDnsName), e.g. api.payments-dr.acme-pay.net
  --to        alias (A/AAAA aliases) or cname (CNAMEs, with --ttl: the stack's failoverRecordTtlSeconds)
  --apply     submit the batch and wait until Route 53 reports it INSYNC; without it, print the batch only

Calls Route 53 (ListResourceRecordSets; with --apply ChangeResourceRecordSets and GetChange) with your own
credentials, not the DR operator role. Then: pulumi config set failoverRecordType <to> && pulumi up --refresh.
`;

export interface SwitchDeps {
    readonly client: () => Pick<Route53Client, "send">;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    readonly sleep: (ms: number) => Promise<void>;
    /** How long to wait for INSYNC, and how often to ask. */
    readonly waitMs: number;
    readonly pollMs: number;
}

const DEFAULT_DEPS: SwitchDeps = {
    client: () => createRoute53Client(new Deadline(5 * 60_000)),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    waitMs: 180_000,
    pollMs: 5_000,
};

/** Every record set at the failover name and below it (the regional names), in Route 53's order. */
async function recordSetsAt(client: Pick<Route53Client, "send">, zoneId: string, name: string): Promise<ResourceRecordSet[]> {
    const sets: ResourceRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet["Type"]; StartRecordIdentifier?: string } = { StartRecordName: name };
    for (let page = 0; page < 20; page += 1) {
        const out = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start, MaxItems: 300 }));
        const inScope = (out.ResourceRecordSets ?? []).filter((r) => {
            const n = normalizeName(r.Name ?? "");
            return n === normalizeName(name) || n.endsWith(`.${normalizeName(name)}`);
        });
        sets.push(...inScope);
        if (!out.IsTruncated || inScope.length < (out.ResourceRecordSets ?? []).length) {
            break;
        }
        start = { StartRecordName: out.NextRecordName, StartRecordType: out.NextRecordType, StartRecordIdentifier: out.NextRecordIdentifier };
    }
    return sets;
}

export async function main(argv: readonly string[], injected: Partial<SwitchDeps> = {}): Promise<number> {
    const deps = { ...DEFAULT_DEPS, ...injected };
    let values: Record<string, string | boolean | undefined>;
    try {
        values = parseArgs({
            args: [...argv],
            options: { "zone-id": { type: "string" }, name: { type: "string" }, to: { type: "string" }, ttl: { type: "string" }, apply: { type: "boolean" } },
            strict: true,
        }).values;
    } catch (e) {
        deps.stderr(`failover-records: ${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    const [zoneId, name, to] = [values["zone-id"], values.name, values.to] as (string | undefined)[];
    if (!zoneId || !name || !(FAILOVER_RECORD_TYPES as readonly string[]).includes(to ?? "")) {
        deps.stderr(USAGE);
        return 2;
    }
    const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
    try {
        const client = deps.client();
        const changes = planFailoverRecordSwitch(await recordSetsAt(client, zoneId, name), name, to as FailoverRecordType, ttl);
        deps.stdout(`${JSON.stringify({ Changes: changes }, null, 2)}\n`);
        if (values.apply !== true) {
            deps.stdout("Planned only: nothing changed. Re-run with --apply to submit this batch.\n");
            return 0;
        }
        const submitted = await client.send(
            new ChangeResourceRecordSetsCommand({
                HostedZoneId: zoneId,
                ChangeBatch: { Comment: `payments-dr: failover records at ${normalizeName(name)} to ${to}`, Changes: changes },
            }),
        );
        const changeId = submitted.ChangeInfo?.Id ?? "";
        let status = submitted.ChangeInfo?.Status;
        for (let waited = 0; status !== "INSYNC" && waited < deps.waitMs; waited += deps.pollMs) {
            await deps.sleep(deps.pollMs);
            status = (await client.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status;
        }
        const next = `pulumi config set failoverRecordType ${to} && pulumi up --refresh`;
        if (status !== "INSYNC") {
            deps.stdout(`Applied (change ${changeId}), not INSYNC after ${deps.waitMs / 1000} s yet; check it, then: ${next}\n`);
            return 1;
        }
        deps.stdout(`Applied and INSYNC (change ${changeId}). Now: ${next}\n`);
        return 0;
    } catch (e) {
        const reason = e instanceof SwitchPlanError ? e.message : `Route 53: ${(e as Error).name}: ${(e as Error).message}`;
        deps.stderr(`failover-records: ${reason}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.stdout.write("", () => process.exit(code)),
        (err) => {
            process.stderr.write(`failover-records: ${(err as Error).stack ?? String(err)}\n`);
            process.exit(2);
        },
    );
}
