import { DomainMode } from "./config";

/**
 * Where the failover records live, and of which type. Route 53 refuses a CNAME beside any other record of the
 * same name, and `pulumi up` creates new records before it deletes the ones the program dropped (deletes run
 * last). So a name must never change type between two deployments: the HTTPS failover name only ever holds
 * A/AAAA aliases, and the DNS-only failover CNAMEs live at a name of their own. Switching between dns-only and
 * custom-domain (either way, or when the zone becomes delegated) then creates records at one name and deletes
 * them at another, which Route 53 accepts in any order (tests/dns-transitions.test.ts).
 */
export interface FailoverDns {
    /** Custom domains exist: HTTPS clients can call `name`. */
    readonly servesHttps: boolean;
    /** The name the failover records answer for. */
    readonly name: string;
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
    return customDomainsServe(s)
        ? { servesHttps: true, name: httpsFailoverFqdn(s), recordTypes: ["A", "AAAA"] }
        : { servesHttps: false, name: dnsOnlyFqdn(s), recordTypes: ["CNAME"] };
}
