import {
    GetHealthCheckCommand,
    GetHealthCheckStatusCommand,
    ListResourceRecordSetsCommand,
    Route53Client,
    TestDNSAnswerCommand,
    type HealthCheckConfig,
    type HealthCheckObservation,
    type ResourceRecordSet,
    type RRType,
} from "@aws-sdk/client-route-53";
import { DRILL_STATUS_ACTIONS, type DrillStatusAction } from "../../components/drill-actions";
import { normalizeDnsName, type DrillOutputs } from "./stack-outputs";

/**
 * Read-only view of the payments-dr Route 53 failover: evaluates both regional health checks the way
 * Route 53 does, finds the PRIMARY/SECONDARY records, works out which one Route 53 answers with, and
 * cross-checks with Route 53's own `TestDNSAnswer`.
 */

export { DRILL_STATUS_ACTIONS, type DrillStatusAction };

/** Route 53 is a global service; its control-plane API is signed for us-east-1. */
export const ROUTE53_CLIENT_REGION = "us-east-1";

/**
 * Route 53 considers an endpoint healthy when MORE than 18% of its health checkers report it healthy,
 * and unhealthy at 18% or fewer ("How Amazon Route 53 determines whether a health check is healthy").
 */
export const HEALTHY_CHECKER_PERCENT = 18;

/** Safety net for a misbehaving paginator; one name never has this many record sets. */
const MAX_RECORD_PAGES = 50;

/** The Route 53 client for this tool: SDK default credential chain, us-east-1. */
export function createRoute53Client(): Route53Client {
    return new Route53Client({ region: ROUTE53_CLIENT_REGION });
}

// ---------------------------------------------------------------------------------------------
// Pure evaluation
// ---------------------------------------------------------------------------------------------

export type FailoverRole = "PRIMARY" | "SECONDARY";

/** A checker whose latest observation is not a success. */
export interface CheckerObservation {
    readonly checkerRegion: string;
    readonly ipAddress: string;
    readonly status: string;
    readonly checkedTime?: string;
}

export interface CheckerTally {
    /** Checkers that returned an observation. */
    readonly total: number;
    /** Observations whose status starts with "Success". */
    readonly healthy: number;
    /** Every other observation ("Failure: ..." or anything unexpected), for the report. */
    readonly notHealthy: readonly CheckerObservation[];
}

/** Counts checker observations; only a status starting with "Success" counts as healthy. */
export function tallyObservations(observations: readonly HealthCheckObservation[]): CheckerTally {
    let healthy = 0;
    const notHealthy: CheckerObservation[] = [];
    for (const obs of observations) {
        const status = (obs.StatusReport?.Status ?? "").trim();
        if (status.startsWith("Success")) {
            healthy++;
        } else {
            notHealthy.push({
                checkerRegion: obs.Region ?? "unknown",
                ipAddress: obs.IPAddress ?? "unknown",
                status: status === "" ? "(no status reported)" : status,
                ...(obs.StatusReport?.CheckedTime ? { checkedTime: obs.StatusReport.CheckedTime.toISOString() } : {}),
            });
        }
    }
    return { total: observations.length, healthy, notHealthy };
}

/** The 18% rule: healthy when healthy/total > 18%. Integer arithmetic, so exactly 18% is unhealthy. */
export function isHealthyByCheckers(healthy: number, total: number): boolean {
    return total > 0 && healthy * 100 > HEALTHY_CHECKER_PERCENT * total;
}

export interface HealthEvaluationInput {
    readonly disabled: boolean;
    readonly inverted: boolean;
    readonly healthy: number;
    readonly total: number;
}

export interface HealthEvaluation {
    /**
     * Status before inversion: what the checkers say, or `true` for a disabled check / a check with no
     * observations yet (Route 53 treats both as healthy).
     */
    readonly baseHealthy: boolean;
    /** Status Route 53 uses for routing: `baseHealthy`, flipped when the check is inverted. */
    readonly effectiveHealthy: boolean;
    /** Enabled check with no checker observations yet: Route 53 assumes healthy, but nothing confirms it. */
    readonly noData: boolean;
    /** One-line explanation, e.g. "16/16 checkers healthy (100% > 18%) → inverted → UNHEALTHY". */
    readonly explanation: string;
}

/**
 * Route 53's status for one health check:
 * - disabled → healthy (Route 53 stops checking and "considers the status ... to always be healthy");
 * - no observations yet → healthy (Route 53 treats a new health check as healthy until it has data);
 * - otherwise healthy iff more than 18% of checkers report healthy;
 * then `Inverted` flips the result. Disabled + inverted is therefore always unhealthy, which is the
 * documented way to force traffic away from a record.
 */
export function evaluateHealth(input: HealthEvaluationInput): HealthEvaluation {
    const { disabled, inverted, healthy, total } = input;
    let baseHealthy: boolean;
    let basis: string;
    let noData = false;
    if (disabled) {
        baseHealthy = true;
        basis = "disabled (Route 53 treats a disabled check as healthy)";
    } else if (total === 0) {
        baseHealthy = true;
        noData = true;
        basis = "no checker observations yet (Route 53 treats a new check as healthy)";
    } else {
        baseHealthy = isHealthyByCheckers(healthy, total);
        const percent = Math.round((healthy * 1000) / total) / 10;
        const cmp = baseHealthy ? ">" : "<=";
        basis = `${healthy}/${total} checkers healthy (${percent}% ${cmp} ${HEALTHY_CHECKER_PERCENT}%)`;
    }
    const effectiveHealthy = inverted ? !baseHealthy : baseHealthy;
    const verdict = effectiveHealthy ? "HEALTHY" : "UNHEALTHY";
    const explanation = inverted ? `${basis} → inverted → ${verdict}` : `${basis} → ${verdict}`;
    return { baseHealthy, effectiveHealthy, noData, explanation };
}

/**
 * Failover routing (Route 53 `ResourceRecordSet.Failover` semantics):
 * - PRIMARY healthy → PRIMARY, whatever the secondary's state;
 * - PRIMARY unhealthy, SECONDARY healthy → SECONDARY;
 * - both unhealthy → PRIMARY: "when the secondary resource record set is unhealthy, Route 53 responds
 *   to DNS queries with the applicable value from the primary ... regardless of the health of the primary".
 */
export function decideFailoverAnswer(primaryHealthy: boolean, secondaryHealthy: boolean): { answer: FailoverRole; reason: string } {
    if (primaryHealthy) {
        return { answer: "PRIMARY", reason: "primary healthy" };
    }
    if (secondaryHealthy) {
        return { answer: "SECONDARY", reason: "primary unhealthy, secondary healthy" };
    }
    return {
        answer: "PRIMARY",
        reason: "both unhealthy: Route 53 answers with the PRIMARY when the secondary is unhealthy too",
    };
}

// ---------------------------------------------------------------------------------------------
// Report types
// ---------------------------------------------------------------------------------------------

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
    /** The primary's health check is inverted (the `failoverDrill` switch). */
    readonly drillActive: boolean;
    readonly bothHealthy: boolean;
    /** Anything that is not the steady state; each one makes the exit code 1. */
    readonly problems: readonly string[];
    /** Informational remarks that do not affect the exit code. */
    readonly notes: readonly string[];
    /** 0: PRIMARY answers and both regions are healthy; 1: anything else. */
    readonly exitCode: 0 | 1;
}

// ---------------------------------------------------------------------------------------------
// AWS calls
// ---------------------------------------------------------------------------------------------

/** An SDK error annotated with the IAM action of the call that failed. */
export class Route53CallError extends Error {
    constructor(
        readonly action: DrillStatusAction,
        readonly cause: unknown,
    ) {
        super(`${action} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
        this.name = "Route53CallError";
    }
}

async function call<T>(action: DrillStatusAction, fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (err) {
        throw new Route53CallError(action, err);
    }
}

/** GetHealthCheck + GetHealthCheckStatus for one check, evaluated. */
export async function fetchHealthCheck(
    client: Route53Client,
    healthCheckId: string,
    label: { role?: "primary" | "secondary"; region?: string } = {},
): Promise<HealthCheckReport> {
    const [checkOut, statusOut] = await Promise.all([
        call("route53:GetHealthCheck", () => client.send(new GetHealthCheckCommand({ HealthCheckId: healthCheckId }))),
        call("route53:GetHealthCheckStatus", () => client.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }))),
    ]);
    const config: HealthCheckConfig = checkOut.HealthCheck?.HealthCheckConfig ?? { Type: undefined };
    const inverted = config.Inverted === true;
    const disabled = config.Disabled === true;
    const checkers = tallyObservations(statusOut.HealthCheckObservations ?? []);
    const evaluation = evaluateHealth({ disabled, inverted, healthy: checkers.healthy, total: checkers.total });
    return {
        healthCheckId,
        ...(label.role ? { role: label.role } : {}),
        ...(label.region ? { region: label.region } : {}),
        type: config.Type ?? "UNKNOWN",
        probe: describeProbe(config),
        ...(config.FullyQualifiedDomainName ? { fqdn: config.FullyQualifiedDomainName } : {}),
        ...(config.IPAddress ? { ipAddress: config.IPAddress } : {}),
        ...(config.Port !== undefined ? { port: config.Port } : {}),
        ...(config.ResourcePath !== undefined ? { resourcePath: config.ResourcePath } : {}),
        inverted,
        disabled,
        ...(config.RequestInterval !== undefined ? { requestIntervalSeconds: config.RequestInterval } : {}),
        ...(config.FailureThreshold !== undefined ? { failureThreshold: config.FailureThreshold } : {}),
        checkers,
        ...evaluation,
    };
}

const ENDPOINT_TYPES = new Set(["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"]);

function describeProbe(config: HealthCheckConfig): string {
    const type = config.Type ?? "UNKNOWN";
    if (!ENDPOINT_TYPES.has(type)) {
        return type;
    }
    const host = config.FullyQualifiedDomainName ?? config.IPAddress ?? "?";
    const defaultPort = type.startsWith("HTTPS") ? 443 : 80;
    const port = config.Port ?? defaultPort;
    const path = type === "TCP" ? "" : config.ResourcePath ?? "/";
    return `${type} ${host}:${port}${path}`;
}

/**
 * All record sets named `name` in the zone: starts at `StartRecordName = name` and follows
 * `NextRecordName/Type/Identifier` until a different name shows up (records are sorted by name, so
 * the ones for `name` are contiguous) or the listing ends.
 */
export async function listRecordSetsForName(client: Route53Client, hostedZoneId: string, name: string): Promise<ResourceRecordSet[]> {
    const wanted = normalizeDnsName(name);
    const found: ResourceRecordSet[] = [];
    let start: { name: string; type?: RRType; identifier?: string } = { name: wanted };
    for (let page = 0; page < MAX_RECORD_PAGES; page++) {
        const out = await call("route53:ListResourceRecordSets", () =>
            client.send(
                new ListResourceRecordSetsCommand({
                    HostedZoneId: hostedZoneId,
                    StartRecordName: start.name,
                    ...(start.type ? { StartRecordType: start.type } : {}),
                    ...(start.identifier ? { StartRecordIdentifier: start.identifier } : {}),
                }),
            ),
        );
        for (const rrs of out.ResourceRecordSets ?? []) {
            if (normalizeDnsName(rrs.Name ?? "") !== wanted) {
                return found;
            }
            found.push(rrs);
        }
        if (!out.IsTruncated || !out.NextRecordName || normalizeDnsName(out.NextRecordName) !== wanted) {
            return found;
        }
        start = {
            name: out.NextRecordName,
            ...(out.NextRecordType ? { type: out.NextRecordType } : {}),
            ...(out.NextRecordIdentifier ? { identifier: out.NextRecordIdentifier } : {}),
        };
    }
    throw new Error(`ListResourceRecordSets returned more than ${MAX_RECORD_PAGES} pages for ${wanted}; giving up`);
}

/** Compares record values the way DNS does: case-insensitive, trailing dot ignored, order ignored. */
function sameValues(a: readonly string[], b: readonly string[]): boolean {
    const norm = (values: readonly string[]) => values.map((v) => v.trim().toLowerCase().replace(/\.$/, "")).sort();
    const x = norm(a);
    const y = norm(b);
    return x.length > 0 && x.length === y.length && x.every((v, i) => v === y[i]);
}

function matchAnswer(recordData: readonly string[], primary?: FailoverRecordReport, secondary?: FailoverRecordReport): FailoverRole | "unknown" {
    const primaryMatch = primary !== undefined && sameValues(recordData, primary.values);
    const secondaryMatch = secondary !== undefined && sameValues(recordData, secondary.values);
    if (primaryMatch && !secondaryMatch) {
        return "PRIMARY";
    }
    if (secondaryMatch && !primaryMatch) {
        return "SECONDARY";
    }
    return "unknown";
}

/**
 * Collects everything and decides. Throws `Route53CallError` when an API call fails (credentials,
 * permissions, wrong account...); the caller maps that to exit code 2.
 */
export async function getDrillStatus(client: Route53Client, outputs: DrillOutputs, now: Date = new Date()): Promise<DrillStatusReport> {
    const problems: string[] = [];
    const notes: string[] = [];

    const [primary, secondary] = await Promise.all([
        fetchHealthCheck(client, outputs.primaryHealthCheckId, { role: "primary", region: outputs.primaryRegion }),
        fetchHealthCheck(client, outputs.secondaryHealthCheckId, { role: "secondary", region: outputs.secondaryRegion }),
    ]);
    const checks = new Map<string, HealthCheckReport>([
        [primary.healthCheckId, primary],
        [secondary.healthCheckId, secondary],
    ]);

    const recordSets = await listRecordSetsForName(client, outputs.hostedZoneId, outputs.failoverDnsName);
    const failoverSets = recordSets.filter((r) => r.Failover === "PRIMARY" || r.Failover === "SECONDARY");

    // Checks referenced by records but not named in the outputs: Route 53 routes on those, so evaluate them too.
    const otherHealthChecks: HealthCheckReport[] = [];
    for (const rrs of failoverSets) {
        const id = rrs.HealthCheckId;
        if (id && !checks.has(id)) {
            const report = await fetchHealthCheck(client, id);
            checks.set(id, report);
            otherHealthChecks.push(report);
        }
    }

    const types = [...new Set(failoverSets.map((r) => r.Type ?? "UNKNOWN"))].sort();
    const recordGroups: RecordGroupReport[] = [];
    for (const type of types) {
        const ofType = failoverSets.filter((r) => (r.Type ?? "UNKNOWN") === type);
        const primaryRecord = summariseRecord(ofType.find((r) => r.Failover === "PRIMARY"), checks);
        const secondaryRecord = summariseRecord(ofType.find((r) => r.Failover === "SECONDARY"), checks);

        let answer: FailoverRole | undefined;
        let reason: string;
        if (primaryRecord && secondaryRecord) {
            ({ answer, reason } = decideFailoverAnswer(primaryRecord.healthy, secondaryRecord.healthy));
        } else {
            const missingRole = primaryRecord ? "SECONDARY" : "PRIMARY";
            reason = `no ${missingRole} ${type} record`;
            problems.push(`${type} ${outputs.failoverDnsName}: there is no ${missingRole} failover record, so failover cannot work for this type`);
        }

        const tested = await call("route53:TestDNSAnswer", () =>
            client.send(
                new TestDNSAnswerCommand({
                    HostedZoneId: outputs.hostedZoneId,
                    RecordName: outputs.failoverDnsName,
                    RecordType: type as RRType,
                }),
            ),
        );
        const recordData = tested.RecordData ?? [];
        const route53Answer: Route53AnswerReport = {
            ...(tested.Nameserver ? { nameserver: tested.Nameserver } : {}),
            ...(tested.Protocol ? { protocol: tested.Protocol } : {}),
            ...(tested.ResponseCode ? { responseCode: tested.ResponseCode } : {}),
            recordData,
            matches: matchAnswer(recordData, primaryRecord, secondaryRecord),
        };
        if (route53Answer.responseCode !== undefined && route53Answer.responseCode !== "NOERROR") {
            problems.push(`TestDNSAnswer for ${type} ${outputs.failoverDnsName} returned ${route53Answer.responseCode}`);
        } else if (recordData.length === 0) {
            problems.push(`TestDNSAnswer for ${type} ${outputs.failoverDnsName} returned no data`);
        }
        if (answer && route53Answer.matches !== "unknown" && route53Answer.matches !== answer) {
            const check = answer === "PRIMARY" ? secondary : primary;
            const window =
                check.failureThreshold !== undefined && check.requestIntervalSeconds !== undefined
                    ? ` (about ${check.failureThreshold} × ${check.requestIntervalSeconds}s = ${check.failureThreshold * check.requestIntervalSeconds}s)`
                    : "";
            problems.push(
                `Route 53 (TestDNSAnswer) currently answers ${type} with the ${route53Answer.matches} values but the latest checker observations ` +
                    `point to ${answer}: a transition is probably in progress; checkers need FailureThreshold consecutive results before they flip${window} — re-run shortly`,
            );
        }
        if ([primaryRecord, secondaryRecord].some((r) => r?.aliasTarget?.evaluateTargetHealth && !r.healthCheckId)) {
            notes.push(`${type}: an alias record relies on EvaluateTargetHealth only; the alias target's health is not evaluated here`);
        }
        recordGroups.push({
            type,
            ...(primaryRecord ? { primary: primaryRecord } : {}),
            ...(secondaryRecord ? { secondary: secondaryRecord } : {}),
            ...(answer ? { answer } : {}),
            reason,
            route53Answer,
        });
    }

    // Stack outputs vs. what the records actually reference.
    for (const group of recordGroups) {
        for (const [rec, expected, role] of [
            [group.primary, outputs.primaryHealthCheckId, "primary"],
            [group.secondary, outputs.secondaryHealthCheckId, "secondary"],
        ] as const) {
            if (rec && rec.healthCheckId !== expected) {
                problems.push(
                    `${group.type} ${rec.role} record ${rec.setIdentifier ?? ""} uses health check ${rec.healthCheckId ?? "(none)"}, ` +
                        `not the stack's ${role}HealthCheckId ${expected}: stack outputs and Route 53 disagree (drift or a stale stack)`,
                );
            }
        }
    }

    if (failoverSets.length === 0) {
        problems.push(
            `no failover records named ${outputs.failoverDnsName} in hosted zone ${outputs.hostedZoneId}` +
                (recordSets.length > 0 ? ` (found ${recordSets.length} record(s) without a Failover policy)` : ""),
        );
    }

    const answers = new Set(recordGroups.map((g) => g.answer));
    const answer = answers.size === 1 ? recordGroups[0]?.answer : undefined;
    if (answers.size > 1) {
        problems.push(`record types disagree: ${recordGroups.map((g) => `${g.type} → ${g.answer ?? "?"}`).join(", ")}`);
    }
    const answerRegion = answer === "PRIMARY" ? outputs.primaryRegion : answer === "SECONDARY" ? outputs.secondaryRegion : undefined;
    const failoverInEffect = answer === "SECONDARY";
    const drillActive = primary.inverted;

    for (const check of [primary, secondary]) {
        const where = `${check.role} region ${check.region} (health check ${check.healthCheckId})`;
        if (!check.effectiveHealthy) {
            problems.push(`${where} is UNHEALTHY: ${check.explanation}`);
        } else if (check.noData) {
            problems.push(`${where} has no checker observations yet; Route 53 assumes healthy but nothing confirms it`);
        }
        if (check.role === "secondary" && check.inverted) {
            problems.push(`${where} is inverted; failoverDrill only inverts the primary`);
        }
        if (!ENDPOINT_TYPES.has(check.type)) {
            notes.push(`${where} is of type ${check.type}; the 18% checker rule applies to endpoint checks, so the evaluation may not match Route 53`);
        }
    }
    if (failoverInEffect) {
        problems.unshift(`failover in effect: Route 53 answers with the SECONDARY (${outputs.secondaryRegion})${drillActive ? " — drill: primary health check inverted" : ""}`);
    }
    if (drillActive) {
        notes.push("failoverDrill is on: the primary health check is inverted; turn it off and `pulumi up` to end the drill");
    }
    if (answer === "PRIMARY" && !primary.effectiveHealthy && !secondary.effectiveHealthy) {
        notes.push("both regions are unhealthy: Route 53 falls back to answering with the PRIMARY record");
    }

    const bothHealthy = primary.effectiveHealthy && secondary.effectiveHealthy;
    const exitCode = answer === "PRIMARY" && bothHealthy && problems.length === 0 ? 0 : 1;
    return {
        checkedAt: now.toISOString(),
        hostedZoneId: outputs.hostedZoneId,
        recordName: outputs.failoverDnsName,
        primary,
        secondary,
        otherHealthChecks,
        recordGroups,
        ...(answer ? { answer } : {}),
        ...(answerRegion ? { answerRegion } : {}),
        failoverInEffect,
        drillActive,
        bothHealthy,
        problems,
        notes,
        exitCode,
    };
}

function summariseRecord(rrs: ResourceRecordSet | undefined, checks: ReadonlyMap<string, HealthCheckReport>): FailoverRecordReport | undefined {
    if (!rrs || (rrs.Failover !== "PRIMARY" && rrs.Failover !== "SECONDARY")) {
        return undefined;
    }
    const check = rrs.HealthCheckId ? checks.get(rrs.HealthCheckId) : undefined;
    return {
        role: rrs.Failover,
        ...(rrs.SetIdentifier ? { setIdentifier: rrs.SetIdentifier } : {}),
        type: rrs.Type ?? "UNKNOWN",
        ...(rrs.TTL !== undefined ? { ttl: rrs.TTL } : {}),
        ...(rrs.HealthCheckId ? { healthCheckId: rrs.HealthCheckId } : {}),
        values: (rrs.ResourceRecords ?? []).map((r) => r.Value ?? "").filter((v) => v !== ""),
        ...(rrs.AliasTarget
            ? {
                  aliasTarget: {
                      dnsName: rrs.AliasTarget.DNSName ?? "",
                      hostedZoneId: rrs.AliasTarget.HostedZoneId ?? "",
                      evaluateTargetHealth: rrs.AliasTarget.EvaluateTargetHealth === true,
                  },
              }
            : {}),
        // A failover record without a health check is always healthy for Route 53.
        healthy: check ? check.effectiveHealthy : true,
        healthSource: check ? "health-check" : "no-health-check",
    };
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Error mapping
// ---------------------------------------------------------------------------------------------

export type AwsErrorKind =
    | "credentials-missing"
    | "sso-expired"
    | "credentials-expired"
    | "credentials-invalid"
    | "access-denied"
    | "not-found"
    | "throttled"
    | "network"
    | "aws-error";

export interface AwsErrorDescription {
    readonly kind: AwsErrorKind;
    /** One line, no stack trace, says what is wrong and how to fix it. */
    readonly message: string;
    readonly exitCode: 2;
}

export interface ErrorContext {
    readonly operatorRoleArn?: string;
    /** `AWS_PROFILE`, to tailor the `aws sso login` hint. */
    readonly profile?: string;
}

const EXPIRED = new Set(["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"]);
const INVALID = new Set(["InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "IncompleteSignature", "InvalidSignatureException", "AuthFailure"]);
const DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "NotAuthorized"]);
const NOT_FOUND = new Set(["NoSuchHealthCheck", "NoSuchHostedZone"]);
const THROTTLED = new Set(["Throttling", "ThrottlingException", "PriorRequestNotComplete", "TooManyRequestsException"]);
const NETWORK = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "TimeoutError"]);

/**
 * Maps an error from the Route 53 calls (or the SDK credential chain) to one actionable line.
 * Recognised by `name`/`code` only, so it works without importing the SDK's error classes.
 */
export function describeAwsError(err: unknown, ctx: ErrorContext = {}): AwsErrorDescription {
    const action = err instanceof Route53CallError ? err.action : undefined;
    const cause = err instanceof Route53CallError ? err.cause : err;
    const e = (typeof cause === "object" && cause !== null ? cause : {}) as { name?: unknown; message?: unknown; code?: unknown; Code?: unknown };
    const name = typeof e.name === "string" ? e.name : "";
    const code = typeof e.Code === "string" ? e.Code : typeof e.code === "string" ? e.code : "";
    const message = typeof e.message === "string" ? e.message.split("\n")[0]!.trim() : String(cause);
    const is = (set: ReadonlySet<string>) => set.has(name) || set.has(code);

    const profile = ctx.profile ? ` --profile ${ctx.profile}` : "";
    const role = ctx.operatorRoleArn ? `the DR operator role ${ctx.operatorRoleArn}` : "the DR operator role";
    const during = action ? ` calling ${action}` : "";
    const describe = (kind: AwsErrorKind, text: string): AwsErrorDescription => ({ kind, message: text, exitCode: 2 });

    if (name === "CredentialsProviderError" || name === "TokenProviderError" || /could not load credentials/i.test(message)) {
        if (/sso/i.test(message) && /expired|invalid|refresh|login/i.test(message)) {
            return describe("sso-expired", `AWS SSO session expired or invalid (${message}); run \`aws sso login${profile}\` and re-run`);
        }
        return describe(
            "credentials-missing",
            `no AWS credentials found (${message}); set AWS_PROFILE to a profile for the payments-dr account ` +
                `(run \`aws sso login --profile <name>\` if it uses SSO) or assume ${role}, then re-run`,
        );
    }
    if (is(EXPIRED) || /security token included in the request is expired/i.test(message)) {
        return describe(
            "credentials-expired",
            `AWS credentials expired (${name || code})${during}; refresh them with \`aws sso login${profile}\` or re-assume ${role}, then re-run`,
        );
    }
    if (is(INVALID)) {
        return describe(
            "credentials-invalid",
            `AWS rejected the credentials (${name || code})${during}; check AWS_PROFILE / AWS_ACCESS_KEY_ID point at valid credentials for the payments-dr account, or assume ${role}`,
        );
    }
    if (is(DENIED) || /not authorized to perform/i.test(message)) {
        const denied = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9]+)/i.exec(message)?.[1] ?? action ?? "a Route 53 read action";
        return describe(
            "access-denied",
            `access denied for ${denied}; the current identity lacks ${DRILL_STATUS_ACTIONS.join(", ")} — ` +
                `assume ${role}${ctx.operatorRoleArn ? " (stack output operatorRoleArn)" : ""} or use a profile that has them`,
        );
    }
    if (is(NOT_FOUND)) {
        return describe(
            "not-found",
            `Route 53 says ${name || code}${during} (${message}); the stack outputs do not match the AWS account in use — check AWS_PROFILE points at the payments-dr account and the outputs are current`,
        );
    }
    if (is(THROTTLED)) {
        return describe("throttled", `Route 53 throttled the request${during} (${name || code}) even after retries; wait a few seconds and re-run`);
    }
    if (is(NETWORK)) {
        return describe("network", `could not reach the Route 53 API${during} (${code || name}: ${message}); check network access / HTTPS_PROXY`);
    }
    if (!action) {
        return describe("aws-error", `${name || "Error"}: ${message}`);
    }
    return describe("aws-error", `Route 53 call failed${during}: ${name || "Error"}: ${message}`);
}
