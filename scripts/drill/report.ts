import type { CheckerTally, FailoverRole } from "./health-evaluation";

/**
 * The drill status report: its shape (also the `--json` machine report) and its human rendering.
 * Built by `getDrillStatus` in ./route53-status.
 */

export interface HealthCheckReport {
    readonly healthCheckId: string;
    /** Which stack output named this check; undefined for a check only referenced by a record. */
    readonly role?: "primary" | "secondary";
    readonly region?: string;
    readonly type: string;
    /** What the checkers probe, e.g. `HTTPS api-use1.payments.acme-corp.io:443/health`. */
    readonly probe: string;
    readonly fqdn?: string;
    readonly ipAddress?: string;
    readonly port?: number;
    readonly resourcePath?: string;
    readonly inverted: boolean;
    readonly disabled: boolean;
    readonly requestIntervalSeconds?: number;
    readonly failureThreshold?: number;
    readonly checkers: CheckerTally;
    readonly baseHealthy: boolean;
    readonly effectiveHealthy: boolean;
    readonly noData: boolean;
    readonly explanation: string;
}

export interface FailoverRecordReport {
    readonly role: FailoverRole;
    readonly setIdentifier?: string;
    readonly type: string;
    readonly ttl?: number;
    readonly healthCheckId?: string;
    /** Plain record values (non-alias records). */
    readonly values: readonly string[];
    readonly aliasTarget?: { readonly dnsName: string; readonly hostedZoneId: string; readonly evaluateTargetHealth: boolean };
    /** Health Route 53 uses for this record. */
    readonly healthy: boolean;
    /** Why: its health check, or no health check (always healthy). */
    readonly healthSource: "health-check" | "no-health-check";
}

export interface Route53AnswerReport {
    readonly nameserver?: string;
    readonly protocol?: string;
    readonly responseCode?: string;
    readonly recordData: readonly string[];
    /** Which record the data belongs to, when it can be told from plain record values (not for alias records). */
    readonly matches: FailoverRole | "unknown";
}

export interface RecordGroupReport {
    readonly type: string;
    readonly primary?: FailoverRecordReport;
    readonly secondary?: FailoverRecordReport;
    /** Computed answer; undefined when the PRIMARY/SECONDARY pair is incomplete. */
    readonly answer?: FailoverRole;
    readonly reason: string;
    readonly route53Answer: Route53AnswerReport;
}

export interface DrillStatusReport {
    readonly checkedAt: string;
    readonly hostedZoneId: string;
    readonly recordName: string;
    readonly primary: HealthCheckReport;
    readonly secondary: HealthCheckReport;
    /** Checks referenced by the records that are not the ones in the stack outputs (drift). */
    readonly otherHealthChecks: readonly HealthCheckReport[];
    readonly recordGroups: readonly RecordGroupReport[];
    /** What Route 53 answers for the name (all record types agree), or undefined if it cannot be told. */
    readonly answer?: FailoverRole;
    readonly answerRegion?: string;
    readonly failoverInEffect: boolean;
    /** The primary's health check is inverted (by hand: `failoverDrill` is retired). */
    readonly drillActive: boolean;
    readonly bothHealthy: boolean;
    /** Anything that is not the steady state; each one makes the exit code 1. */
    readonly problems: readonly string[];
    /** Informational remarks that do not affect the exit code. */
    readonly notes: readonly string[];
    /** 0: PRIMARY answers and both regions are healthy; 1: anything else. */
    readonly exitCode: 0 | 1;
}

/** Compact human report. */
export function renderReport(report: DrillStatusReport): string {
    const lines: string[] = [];
    lines.push(`Failover status for ${report.recordName} (hosted zone ${report.hostedZoneId}) at ${report.checkedAt}`);
    lines.push("");
    for (const check of [report.primary, report.secondary, ...report.otherHealthChecks]) {
        lines.push(...renderHealthCheck(check));
    }
    lines.push("");
    for (const group of report.recordGroups) {
        for (const rec of [group.primary, group.secondary]) {
            if (rec) {
                const target = rec.aliasTarget
                    ? `alias ${rec.aliasTarget.dnsName}${rec.aliasTarget.evaluateTargetHealth ? " (evaluate target health)" : ""}`
                    : rec.values.join(", ");
                const hc = rec.healthCheckId ? `health check ${rec.healthCheckId}` : "no health check (always healthy)";
                lines.push(`${group.type.padEnd(5)} ${rec.role.padEnd(9)} ${rec.setIdentifier ?? "-"} → ${target}; ${hc}`);
            }
        }
        const r53 = group.route53Answer;
        const data = r53.recordData.length > 0 ? r53.recordData.join(", ") : "(no data)";
        const via = [r53.nameserver, r53.protocol].filter(Boolean).join(" ");
        const match = r53.matches === "unknown" ? "" : ` = ${r53.matches} record`;
        lines.push(`${group.type.padEnd(5)} TestDNSAnswer: ${r53.responseCode ?? "?"} ${data}${via ? ` (via ${via})` : ""}${match}`);
    }
    lines.push("");
    lines.push(renderHeadline(report));
    for (const problem of report.problems) {
        lines.push(`  ! ${problem}`);
    }
    for (const note of report.notes) {
        lines.push(`  - ${note}`);
    }
    return `${lines.join("\n")}\n`;
}

function renderHealthCheck(check: HealthCheckReport): string[] {
    const label = check.role ? `${check.role[0]!.toUpperCase()}${check.role.slice(1)} ${check.region ?? ""}` : "Record-only check";
    const flags = [check.inverted ? (check.role === "primary" ? "INVERTED (drill)" : "INVERTED") : "", check.disabled ? "DISABLED" : ""]
        .filter(Boolean)
        .join(", ");
    const cadence =
        check.requestIntervalSeconds !== undefined || check.failureThreshold !== undefined
            ? `, every ${check.requestIntervalSeconds ?? "?"}s, threshold ${check.failureThreshold ?? "?"}`
            : "";
    const out = [
        `${label}: ${check.effectiveHealthy ? "HEALTHY" : "UNHEALTHY"}${flags ? ` [${flags}]` : ""}`,
        `  probe   ${check.probe}${cadence} (health check ${check.healthCheckId})`,
        `  status  ${check.explanation}`,
    ];
    const shown = check.checkers.notHealthy.slice(0, 3);
    for (const obs of shown) {
        out.push(`  failing ${obs.checkerRegion} ${obs.ipAddress}: ${obs.status}`);
    }
    if (check.checkers.notHealthy.length > shown.length) {
        out.push(`  ... ${check.checkers.notHealthy.length - shown.length} more checkers not healthy`);
    }
    return out;
}

function renderHeadline(report: DrillStatusReport): string {
    if (!report.answer) {
        return "Route 53 answers: UNDETERMINED — see problems below";
    }
    const where = `${report.answer} (${report.answerRegion})`;
    if (report.failoverInEffect) {
        return `Route 53 answers: ${where} — failover in effect${report.drillActive ? " (drill)" : ""}`;
    }
    if (!report.primary.effectiveHealthy && !report.secondary.effectiveHealthy) {
        return `Route 53 answers: ${where} — both regions unhealthy (Route 53 falls back to the PRIMARY)`;
    }
    if (!report.bothHealthy) {
        const down = [report.primary, report.secondary].filter((c) => !c.effectiveHealthy).map((c) => `${c.role} (${c.region})`);
        return `Route 53 answers: ${where} — ${down.join(" and ")} unhealthy${report.secondary.effectiveHealthy ? "" : ", no failover target"}`;
    }
    return report.problems.length === 0 ? `Route 53 answers: ${where} — normal, both regions healthy` : `Route 53 answers: ${where}`;
}
