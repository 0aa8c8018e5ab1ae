import { FAILOVER_RECORD_TYPES, FailoverRecordType } from "../components/global/failover-dns";
import { HEALTH_CHECK_INTERVALS } from "../components/shared/service-limits";

/** How fast DNS moves clients: the health checks' pace and the failover records' type and TTL. */
export interface FailoverSettings {
    readonly healthCheckIntervalSeconds: number;
    readonly healthCheckFailureThreshold: number;
    readonly failoverRecordTtlSeconds: number;
    /** Custom-domain mode: the HTTPS failover name's records are aliases or CNAMEs (failover-dns.ts). */
    readonly failoverRecordType: FailoverRecordType;
}

export const FAILOVER_CONFIG_KEYS = ["healthCheckIntervalSeconds", "healthCheckFailureThreshold", "failoverRecordTtlSeconds", "failoverRecordType"] as const;

/** The readers `parseStackSettings` uses: they record a problem and return the fallback on a bad value. */
export interface FailoverConfigReaders {
    text(key: string): string | undefined;
    integer(key: string, fallback: number | undefined, min: number, max: number, rule: string): number | undefined;
    add(key: string, value: unknown, rule: string): void;
}

/**
 * Prod's defaults fail over within its default 2-minute target: 10 s × 2 checks and CNAMEs with a 15 s TTL
 * (71 s worst case, program/objectives.ts); elsewhere 30 s × 3 checks and aliases (or DNS-only CNAMEs) at 60 s.
 */
export function parseFailoverSettings(read: FailoverConfigReaders, isProd: boolean, domainMode: string): FailoverSettings {
    const healthCheckIntervalSeconds = read.integer("healthCheckIntervalSeconds", isProd ? 10 : 30, -Infinity, Infinity, "must be 10 or 30")!;
    if (!(HEALTH_CHECK_INTERVALS as readonly number[]).includes(healthCheckIntervalSeconds)) {
        read.add("healthCheckIntervalSeconds", read.text("healthCheckIntervalSeconds"), "must be 10 or 30 (Route 53's only intervals)");
    }
    const healthCheckFailureThreshold = read.integer(
        "healthCheckFailureThreshold",
        isProd ? 2 : 3,
        1,
        10,
        "must be an integer from 1 to 10 (Route 53's failure threshold range)",
    )!;
    const failoverRecordTtlSeconds = read.integer(
        "failoverRecordTtlSeconds",
        isProd ? 15 : 60,
        1,
        60,
        "must be an integer from 1 to 60 (seconds): a longer TTL keeps clients on a dead region after failover",
    )!;
    const typeText = read.text("failoverRecordType");
    let failoverRecordType: FailoverRecordType = isProd ? "cname" : "alias";
    if (typeText !== undefined && !(FAILOVER_RECORD_TYPES as readonly string[]).includes(typeText)) {
        read.add("failoverRecordType", typeText, `must be one of ${FAILOVER_RECORD_TYPES.join(", ")}`);
    } else if (typeText !== undefined && domainMode === "dns-only") {
        read.add(
            "failoverRecordType",
            typeText,
            "applies to custom-domain mode only (in dns-only mode the failover records are always CNAMEs to the execute-api hosts); " +
                "remove it with `pulumi config rm failoverRecordType`",
        );
    } else if (typeText !== undefined) {
        failoverRecordType = typeText as FailoverRecordType;
    }
    return { healthCheckIntervalSeconds, healthCheckFailureThreshold, failoverRecordTtlSeconds, failoverRecordType };
}
