import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FailoverDns } from "./failover-dns";
import { RegionRole } from "../shared/naming";
import { AliasTarget } from "../regional/regional-domain";

/**
 * One region's failover records at the failover name: PRIMARY or SECONDARY, answered while the region's
 * calculated health check is healthy.
 *
 * Each shape keeps its own logical names, which never change type: `-a`/`-aaaa` (aliases at the HTTPS name),
 * `-https-cname` (CNAME at the HTTPS name), `-cname` (CNAME at the DNS-only name). Switching the HTTPS name between
 * aliases and CNAMEs on a deployed stack cannot be done safely by `pulumi up`: both regions' records share the name,
 * Route 53 refuses a CNAME beside any other type, and no order of per-record steps (delete-before-replace included)
 * gets from one pair to the other without either a refused change or a moment with no answer at all, which
 * resolvers then cache as a negative answer. So `pulumi up` stops at the first create Route 53 refuses, before it
 * deletes anything (deletes run last), and the old records keep serving. The switch is one atomic Route 53 change
 * batch (delete the old pair, create the new one: `npm run failover-records`), then `pulumi up --refresh`: the refresh drops the deleted records
 * from the state and the HTTPS records, created with `allowOverwrite` (an UPSERT), adopt what the batch created
 * (tests/dns-transitions.test.ts, README "DNS transitions").
 */
export interface FailoverRecordArgs {
    readonly zoneId: pulumi.Input<string>;
    /** The failover name and how it is served (`failoverDns()`). */
    readonly dns: FailoverDns;
    readonly role: RegionRole;
    /** The region's AWS region, part of the set identifier. */
    readonly region: string;
    /** The region's calculated health check: the record is answered only while it is healthy. */
    readonly healthCheckId: pulumi.Input<string>;
    /** TTL of the CNAMEs (ignored for aliases, which take their target's). */
    readonly ttlSeconds: number;
    /** The region's custom domain for the failover name: what the HTTPS records point at. */
    readonly customDomain?: AliasTarget;
    /** The region's execute-api host: what the DNS-only CNAME points at. */
    readonly apiHost: pulumi.Input<string>;
}

export function createFailoverRecords(name: string, a: FailoverRecordArgs, opts: pulumi.CustomResourceOptions): aws.route53.Record[] {
    const record = {
        zoneId: a.zoneId,
        name: a.dns.name,
        setIdentifier: `${a.role}-${a.region}`,
        failoverRoutingPolicies: [{ type: a.role === "primary" ? "PRIMARY" : "SECONDARY" }],
        healthCheckId: a.healthCheckId,
    };
    const prefix = `${name}-failover-${a.role}`;
    if (!a.dns.servesHttps) {
        return [new aws.route53.Record(`${prefix}-cname`, { ...record, type: "CNAME", ttl: a.ttlSeconds, records: [a.apiHost] }, opts)];
    }
    if (a.customDomain === undefined) {
        throw new Error(`createFailoverRecords: ${a.dns.name} serves HTTPS, so the ${a.role} region's custom domain is required`);
    }
    const target = a.customDomain;
    // UPSERT: adopts the records an atomic switch between aliases and CNAMEs created outside Pulumi (above).
    const https = { ...record, allowOverwrite: true };
    if (a.dns.records === "cname") {
        // The custom domain's target name (d-….execute-api.<region>.amazonaws.com), with our TTL.
        return [new aws.route53.Record(`${prefix}-https-cname`, { ...https, type: "CNAME", ttl: a.ttlSeconds, records: [target.name] }, opts)];
    }
    return a.dns.recordTypes.map(
        (type) =>
            new aws.route53.Record(
                `${prefix}-${type.toLowerCase()}`,
                { ...https, type, aliases: [{ name: target.name, zoneId: target.zoneId, evaluateTargetHealth: true }] },
                opts,
            ),
    );
}
