import type { ConfigReader } from "./config-reader";
import { CONFIG_NAMESPACE } from "./config-keys";
import { DOMAIN_MODES, DomainMode } from "../components/global/failover-dns";

/**
 * Names that cannot carry a production failover record: AWS refuses hosted zones for some (example.com is
 * "reserved by AWS") and the rest are reserved by RFC 2606/6761 and never resolve publicly.
 */
const RESERVED_DOMAINS = ["example.com", "example.net", "example.org"];
const RESERVED_TLDS = ["test", "example", "invalid", "localhost", "local"];

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** 63 characters per DNS label, less the "-dns-only" of the DNS-only failover name. */
const FAILOVER_LABEL_MAX = 63 - "-dns-only".length;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** Why a domain cannot hold the failover record, or undefined when it can. */
export function domainProblem(domain: string): string | undefined {
    const labels = domain.split(".");
    if (domain.length > 253 || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l))) {
        return "is not a valid lower-case DNS name with at least two labels (e.g. payments.acme-corp.io)";
    }
    const reserved = RESERVED_DOMAINS.find((r) => domain === r || domain.endsWith(`.${r}`));
    if (reserved) {
        return `is under ${reserved}, which is reserved (AWS refuses hosted zones for it); use a domain you own`;
    }
    const tld = labels[labels.length - 1];
    if (RESERVED_TLDS.includes(tld)) {
        return `uses the reserved top-level domain .${tld}, which never resolves publicly; use a domain you own`;
    }
    if (/^\d+$/.test(tld)) {
        return "ends in a numeric label; use a domain name, not an IP address";
    }
    return undefined;
}

/** The failover name's settings: where it lives and how HTTPS reaches it. */
export interface DnsSettings {
    readonly domainName: string | undefined;
    readonly failoverRecordName: string;
    readonly hostedZoneId?: string;
    readonly zoneDelegated: boolean;
    readonly domainMode: DomainMode;
    readonly disableExecuteApiEndpoint: boolean;
}

/** `domainName`, `failoverRecordName`, `hostedZoneId`, `zoneDelegated`, `domainMode`, `disableExecuteApiEndpoint`. */
export function parseDnsSettings(read: ConfigReader, isProd: boolean): DnsSettings {
    const { text, bool, oneOf, problems } = read;
    const domainName = text("domainName")?.toLowerCase().replace(/\.$/, "");
    if (domainName === undefined) {
        problems.list.push(
            `\`${CONFIG_NAMESPACE}:domainName\` is missing: set the DNS domain that holds the failover record (a domain you own); ` +
                "run `pulumi config set domainName payments.acme-corp.io`.",
        );
    } else {
        const problem = domainProblem(domainName);
        if (problem) {
            problems.add("domainName", domainName, problem);
        }
    }
    const failoverRecordName = text("failoverRecordName") ?? "api";
    if (!DNS_LABEL.test(failoverRecordName) || failoverRecordName.length > FAILOVER_LABEL_MAX) {
        problems.add(
            "failoverRecordName",
            failoverRecordName,
            `must be one lower-case DNS label of at most ${FAILOVER_LABEL_MAX} characters, e.g. api (the DNS-only name adds "-dns-only")`,
        );
    }
    const hostedZoneId = text("hostedZoneId");
    if (hostedZoneId !== undefined && !HOSTED_ZONE_ID.test(hostedZoneId)) {
        problems.add("hostedZoneId", hostedZoneId, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
    }
    const zoneDelegated = bool("zoneDelegated", false);
    const domainMode = oneOf("domainMode", DOMAIN_MODES, "custom-domain") ?? "custom-domain";
    if (isProd && domainMode !== "custom-domain") {
        problems.add("domainMode", domainMode, "prod must use custom-domain: in dns-only mode HTTPS clients cannot call the failover name");
    }
    // Prod turns the default execute-api endpoints off once the custom domains serve the API: anything added on
    // the custom domain would otherwise be bypassed through them. Until then they are the only way in.
    const customDomainsServe = domainMode === "custom-domain" && (hostedZoneId !== undefined || zoneDelegated);
    const disableExecuteApiEndpoint = bool("disableExecuteApiEndpoint", isProd && customDomainsServe);
    if (disableExecuteApiEndpoint && domainMode === "custom-domain" && hostedZoneId === undefined && !zoneDelegated) {
        problems.add(
            "disableExecuteApiEndpoint",
            "true",
            "requires a delegated zone (`payments-dr:zoneDelegated` true or `payments-dr:hostedZoneId`): until the custom " +
                "domains exist, the execute-api endpoint is the only way in",
        );
    }
    if (disableExecuteApiEndpoint && domainMode !== "custom-domain") {
        problems.add(
            "disableExecuteApiEndpoint",
            "true",
            "requires `payments-dr:domainMode` custom-domain: in dns-only mode the execute-api endpoint is the only way in",
        );
    }
    return { domainName, failoverRecordName, hostedZoneId, zoneDelegated, domainMode, disableExecuteApiEndpoint };
}
