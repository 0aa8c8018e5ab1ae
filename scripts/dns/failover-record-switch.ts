import type { Change, ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { FailoverRecordType } from "../../components/global/failover-dns";

/**
 * The one Route 53 change batch that moves the HTTPS failover name between A/AAAA aliases and CNAMEs
 * (`failoverRecordType`), built from the record sets the zone holds now. "Route 53 validates the changes in the
 * request and then either makes all or none of the changes in the change batch request" (its example is this very
 * swap, a CNAME deleted and an alias created at one name; Route 53 API Reference, ChangeResourceRecordSets,
 * docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html), so the name never holds both
 * types and never holds nothing: what `pulumi up` cannot do (components/global/failover-record.ts).
 *
 * Each region's new record keeps its old record's SetIdentifier, Failover role and HealthCheckId. A CNAME's value is
 * the alias's DNSName (the region's custom-domain target name); an alias's hosted zone is the one of the region's
 * own alias record `<role>.<name>`, which points at a custom domain of the same region.
 */

export class SwitchPlanError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SwitchPlanError";
    }
}

const ROLES = ["primary", "secondary"] as const;

/** Lower case, no trailing dot: how names are compared. */
export function normalizeName(name: string): string {
    return name.toLowerCase().replace(/\.$/, "");
}

/** The failover record sets at `name`, and the shape they have. */
export function currentShape(
    recordSets: readonly ResourceRecordSet[],
    name: string,
): { sets: ResourceRecordSet[]; shape: FailoverRecordType | "mixed" | "none" } {
    const sets = recordSets.filter((r) => normalizeName(r.Name ?? "") === normalizeName(name) && r.Failover !== undefined);
    const cnames = sets.filter((r) => r.Type === "CNAME").length;
    const aliases = sets.filter((r) => (r.Type === "A" || r.Type === "AAAA") && r.AliasTarget !== undefined).length;
    const shape = sets.length === 0 ? "none" : cnames === sets.length ? "cname" : aliases === sets.length ? "alias" : "mixed";
    return { sets, shape };
}

function roleOf(set: ResourceRecordSet): (typeof ROLES)[number] {
    const role = ROLES.find((r) => (set.SetIdentifier ?? "").startsWith(`${r}-`));
    if (role === undefined) {
        throw new SwitchPlanError(`record set ${set.Name} ${set.Type} has SetIdentifier ${JSON.stringify(set.SetIdentifier)}, not primary-… or secondary-…`);
    }
    return role;
}

/** The changes that replace the failover records at `name` with the `to` shape; `ttlSeconds` is required for CNAMEs. */
export function planFailoverRecordSwitch(recordSets: readonly ResourceRecordSet[], name: string, to: FailoverRecordType, ttlSeconds?: number): Change[] {
    const { sets, shape } = currentShape(recordSets, name);
    if (shape === "none") {
        throw new SwitchPlanError(`no failover record sets named ${normalizeName(name)} in this zone`);
    }
    if (shape === to) {
        throw new SwitchPlanError(`the failover records at ${normalizeName(name)} are already ${to === "alias" ? "aliases" : "CNAMEs"}: nothing to switch`);
    }
    if (shape === "mixed") {
        throw new SwitchPlanError(
            `the failover records at ${normalizeName(name)} mix aliases and other records (${sets.map((s) => s.Type).join(", ")}): fix the zone by hand`,
        );
    }
    const keep = (s: ResourceRecordSet) => ({ Name: s.Name, SetIdentifier: s.SetIdentifier, Failover: s.Failover, HealthCheckId: s.HealthCheckId });
    const creates: ResourceRecordSet[] = [];
    if (to === "cname") {
        if (ttlSeconds === undefined || !Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 60) {
            throw new SwitchPlanError(`--ttl is ${String(ttlSeconds)}: CNAMEs need a TTL from 1 to 60 s (the stack's \`failoverRecordTtlSeconds\`)`);
        }
        for (const set of sets.filter((s) => s.Type === "A")) {
            roleOf(set);
            creates.push({ ...keep(set), Type: "CNAME", TTL: ttlSeconds, ResourceRecords: [{ Value: normalizeName(set.AliasTarget!.DNSName!) }] });
        }
    } else {
        for (const set of sets) {
            const role = roleOf(set);
            const regionalName = `${role}.${normalizeName(name)}`;
            const regional = recordSets.find((r) => normalizeName(r.Name ?? "") === regionalName && r.Type === "A" && r.AliasTarget !== undefined);
            if (regional === undefined) {
                throw new SwitchPlanError(`no alias record ${regionalName} to take the ${role} custom domain's hosted zone from`);
            }
            const target = set.ResourceRecords?.[0]?.Value;
            if (target === undefined) {
                throw new SwitchPlanError(`the ${role} CNAME at ${normalizeName(name)} has no value`);
            }
            for (const type of ["A", "AAAA"] as const) {
                creates.push({
                    ...keep(set),
                    Type: type,
                    AliasTarget: { HostedZoneId: regional.AliasTarget!.HostedZoneId, DNSName: target, EvaluateTargetHealth: true },
                });
            }
        }
    }
    if (new Set(creates.map((c) => c.SetIdentifier)).size !== ROLES.length) {
        throw new SwitchPlanError(`expected a PRIMARY and a SECONDARY record at ${normalizeName(name)}, found ${sets.map((s) => s.SetIdentifier).join(", ")}`);
    }
    // "To delete a resource record set, you must specify all the same values that you specified when you created it":
    // the sets exactly as listed.
    return [
        ...sets.map((s): Change => ({ Action: "DELETE", ResourceRecordSet: s })),
        ...creates.map((s): Change => ({ Action: "CREATE", ResourceRecordSet: s })),
    ];
}
