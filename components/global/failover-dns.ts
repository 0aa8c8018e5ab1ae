/**
 * How the failover name is served.
 * - `custom-domain`: ACM certificates and API Gateway custom domains in each region; the failover records
 *   are aliases to them, so HTTPS clients can call the failover name. Needs a delegated zone.
 * - `dns-only`: no certificates (their DNS validation would never complete in an undelegated zone); the
 *   failover records are CNAMEs to each region's execute-api host, which resolve but which HTTPS clients
 *   cannot call by the failover name.
 */
export const DOMAIN_MODES = ["custom-domain", "dns-only"] as const;
export type DomainMode = (typeof DOMAIN_MODES)[number];

/**
 * How the HTTPS failover name points at each region's custom domain (custom-domain mode, zone delegated):
 * - `alias`: A and AAAA alias records to the custom domain; Route 53 answers with the target's TTL (AWS's, not
 *   ours) and does not bill the queries.
 * - `cname`: one CNAME per region to the custom domain's target name (`d-….execute-api.<region>.amazonaws.com`),
 *   with `failoverRecordTtlSeconds` as its TTL; queries are billed. HTTPS is unaffected: the client still sends the
 *   failover name (SNI and Host), which each regional custom domain serves (API Gateway Developer Guide, "Set up a
 *   Regional custom domain name in API Gateway": "The DNS record can be the CNAME or an A Alias record",
 *   docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html).
 */
export const FAILOVER_RECORD_TYPES = ["alias", "cname"] as const;
export type FailoverRecordType = (typeof FAILOVER_RECORD_TYPES)[number];

/**
 * Where the failover records live, and of which type. Route 53 refuses a CNAME beside any other record of the
 * same name, and `pulumi up` creates new records before it deletes the ones the program dropped (deletes run
 * last). So the DNS-only failover CNAMEs live at a name of their own: switching between dns-only and
 * custom-domain (either way, or when the zone becomes delegated) creates records at one name and deletes them at
 * another, which Route 53 accepts in any order (tests/dns-transitions.test.ts). Switching the HTTPS name between
 * aliases and CNAMEs cannot be made safe that way (both regions' records share the name): see failover-record.ts.
 */
export interface FailoverDns {
    /** Custom domains exist: HTTPS clients can call `name`. */
    readonly servesHttps: boolean;
    /** The name the failover records answer for. */
    readonly name: string;
    /** Aliases (the TTL is the target's, set by AWS) or CNAMEs (the TTL is `failoverRecordTtlSeconds`). */
    readonly records: FailoverRecordType;
    /** The record types at `name`. */
    readonly recordTypes: readonly ("A" | "AAAA" | "CNAME")[];
}

/** What decides the failover name: a subset of the stack settings, or a component's own args. */
export interface FailoverDomain {
    readonly domainName: string;
    /** The failover name's first label (`api` in `api.<domainName>`). */
    readonly failoverRecordName: string;
    readonly domainMode: DomainMode;
    readonly hostedZoneId?: string;
    readonly zoneDelegated: boolean;
    /** How the HTTPS failover name's records point at the custom domains; `alias` when unset. */
    readonly failoverRecordType?: FailoverRecordType;
}

/** `<failoverRecordName>.<domainName>`: the HTTPS failover name clients call. */
export function httpsFailoverFqdn(s: FailoverDomain): string {
    return `${s.failoverRecordName}.${s.domainName}`;
}

/**
 * Custom domains need ACM certificates, which validate through the zone: only once the zone is delegated
 * (an existing `hostedZoneId` is taken as delegated).
 */
export function customDomainsServe(s: FailoverDomain): boolean {
    return s.domainMode === "custom-domain" && (s.hostedZoneId !== undefined || s.zoneDelegated);
}

/** The DNS-only failover name: `<failoverRecordName>-dns-only.<domainName>`, beside the HTTPS one. */
export function dnsOnlyFqdn(s: FailoverDomain): string {
    return `${s.failoverRecordName}-dns-only.${s.domainName}`;
}

export function failoverDns(s: FailoverDomain): FailoverDns {
    if (!customDomainsServe(s)) {
        return { servesHttps: false, name: dnsOnlyFqdn(s), records: "cname", recordTypes: ["CNAME"] };
    }
    const records = s.failoverRecordType ?? "alias";
    return { servesHttps: true, name: httpsFailoverFqdn(s), records, recordTypes: records === "alias" ? ["A", "AAAA"] : ["CNAME"] };
}
