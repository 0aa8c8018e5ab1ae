import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { haltUnlessDelegated, nameServerLookup, requireDelegationTo } from "./delegation";
import { createFailoverRecords } from "./failover-record";
import { FailoverDns, failoverDns, httpsFailoverFqdn } from "./failover-dns";
import type { GlobalLayerScope } from "./global-layer-args";
import { REGION_ROLES, RegionRole } from "../shared/naming";
import { RegionalDomain } from "../regional/regional-domain";

export interface FailoverZone {
    /** The hosted zone holding the failover records (created here, or `hostedZoneId`). */
    readonly zoneId: pulumi.Output<string>;
    /**
     * The zone id the certificates' validation records use: for a zone created here, only once public DNS is
     * seen to delegate the domain to it (a ZoneNotDelegatedError otherwise, instead of a validation that hangs).
     */
    readonly delegatedZoneId: pulumi.Output<string>;
    readonly nameServers: pulumi.Output<string[]>;
}

/** The Route 53 zone of the failover name: `hostedZoneId` (taken as delegated), or a zone created here. */
export function createFailoverZone(scope: GlobalLayerScope): FailoverZone {
    const { name, a, inRegion } = scope;
    const isProd = a.protectData;
    if (a.hostedZoneId) {
        const existing = aws.route53.getZoneOutput({ zoneId: a.hostedZoneId }, { parent: scope.layer, provider: a.providers.route53 });
        const zoneId = pulumi.output(a.hostedZoneId);
        return { zoneId, delegatedZoneId: zoneId, nameServers: existing.nameServers };
    }
    const zone = new aws.route53.Zone(
        `${name}-zone`,
        { name: a.domainName, comment: `payments-dr ${a.envLabel} failover zone`, forceDestroy: !isProd },
        inRegion("route53", { protect: isProd, retainOnDelete: isProd }),
    );
    // The public-DNS query is a side effect: it starts here, not inside an output callback, which only compares.
    const published = nameServerLookup()(a.domainName);
    published.catch(() => undefined); // reported where the comparison awaits it
    const delegatedZoneId = pulumi
        .all([zone.zoneId, zone.nameServers])
        .apply(([id, servers]) => haltUnlessDelegated(requireDelegationTo(a.domainName, servers, published), id));
    return { zoneId: zone.zoneId, delegatedZoneId, nameServers: zone.nameServers };
}

export interface FailoverNames {
    /** The failover name clients call and how it is served. */
    readonly dns: FailoverDns;
    /** Each region's certificate and API custom domain, when HTTPS serves the failover name (else none). */
    readonly domains: Readonly<Record<RegionRole, RegionalDomain>>;
    /** What the operator must know (a DNS-only failover name, custom domains still pending). */
    readonly notices: string[];
}

/**
 * The regional custom domains (certificates validated through the zone) when HTTPS can serve the failover name.
 * ACM validates through the zone: a zone this stack has just created answers nobody until the parent domain
 * delegates to it, and the certificate validation would wait until it times out.
 */
export function createFailoverNames(scope: GlobalLayerScope, delegatedZoneId: pulumi.Output<string>): FailoverNames {
    const { name, a } = scope;
    const { stacks, providers } = a;
    const failover = failoverDns(a);
    const httpsFqdn = httpsFailoverFqdn(a);
    const notices: string[] = [];
    const domains = {} as Record<RegionRole, RegionalDomain>;
    if (failover.servesHttps) {
        for (const role of REGION_ROLES) {
            domains[role] = new RegionalDomain(
                `${name}-${role}-domain`,
                {
                    role,
                    region: stacks[role].region,
                    failoverFqdn: httpsFqdn,
                    regionalFqdn: `${role}.${httpsFqdn}`,
                    zoneId: delegatedZoneId,
                    apiId: stacks[role].apiId,
                    stageName: stacks[role].stage.name,
                    // ACM's record for the failover name is the same in both regions: the primary owns it.
                    sharedFailoverValidation: role === "primary" ? undefined : domains.primary.failoverValidation,
                },
                { parent: scope.layer, providers: { aws: providers[role] } },
            );
        }
    } else if (a.domainMode === "custom-domain") {
        notices.push(
            `custom-domain mode is pending: delegate ${a.domainName} to the new zone's name servers (output ` +
                "`nameServers`), then `pulumi config set zoneDelegated true && pulumi up` to add the certificates, " +
                `custom domains and ${httpsFqdn}. Until then the failover name is the DNS-only ${failover.name}, ` +
                "which HTTPS clients cannot call.",
        );
    } else {
        notices.push(
            `domainMode is dns-only: ${failover.name} is a DNS-only failover name (CNAMEs to each region's ` +
                "execute-api host). It resolves and fails over, but HTTPS clients cannot call it: the certificate and " +
                "Host do not match. Use the regional API endpoints, or a delegated zone with domainMode custom-domain.",
        );
    }
    return { dns: failover, domains, notices };
}

/** Each region's failover record (PRIMARY or SECONDARY), answered while that region's calculated check is healthy. */
export function createFailoverRecordSet(
    scope: GlobalLayerScope,
    zoneId: pulumi.Output<string>,
    names: FailoverNames,
    failoverCheckIds: Readonly<Record<RegionRole, pulumi.Output<string>>>,
): void {
    const { name, a, inRegion } = scope;
    const { stacks } = a;
    for (const role of REGION_ROLES) {
        createFailoverRecords(
            name,
            {
                zoneId,
                dns: names.dns,
                role,
                region: stacks[role].region,
                healthCheckId: failoverCheckIds[role],
                ttlSeconds: a.failoverRecordTtlSeconds,
                customDomain: names.dns.servesHttps ? names.domains[role].failoverTarget : undefined,
                apiHost: stacks[role].apiHost,
            },
            inRegion("route53"),
        );
    }
}
