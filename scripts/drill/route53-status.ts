import {
    GetHealthCheckCommand,
    GetHealthCheckStatusCommand,
    ListResourceRecordSetsCommand,
    Route53Client,
    TestDNSAnswerCommand,
    type HealthCheckConfig,
    type ResourceRecordSet,
    type RRType,
} from "@aws-sdk/client-route-53";
import type { AwsCredentialIdentity } from "@smithy/types";
import { DRILL_STATUS_ACTIONS, type DrillStatusAction } from "../../components/takeover/drill-actions";
import { boundCalls, boundedClientOptions, COMMAND_DEADLINE_MS, Deadline, DR_CALL_LIMITS, type CallLimits } from "../dr/deadline";
import { normalizeDnsName, type DrillOutputs } from "./stack-outputs";
import { Route53CallError } from "./aws-errors";
import { decideFailoverAnswer, evaluateHealth, tallyObservations, type FailoverRole } from "./health-evaluation";
import type { DrillStatusReport, FailoverRecordReport, HealthCheckReport, RecordGroupReport, Route53AnswerReport } from "./report";

/**
 * Read-only view of the payments-dr Route 53 failover: evaluates both regional health checks the way
 * Route 53 does, finds the PRIMARY/SECONDARY records, works out which one Route 53 answers with, and
 * cross-checks with Route 53's own `TestDNSAnswer`.
 */

export { DRILL_STATUS_ACTIONS, type DrillStatusAction };

/** Route 53 is a global service; its control-plane API is signed for us-east-1. */
export const ROUTE53_CLIENT_REGION = "us-east-1";

/** Safety net for a misbehaving paginator; one name never has this many record sets. */
const MAX_RECORD_PAGES = 50;

/**
 * The Route 53 client for this tool: SDK default credential chain, us-east-1, every call bounded (scripts/dr/deadline.ts)
 * by the per-call limits and the command's deadline.
 */
export function createRoute53Client(
    deadline: Deadline = new Deadline(COMMAND_DEADLINE_MS["drill:status"]),
    settings: { readonly limits?: CallLimits; readonly endpoint?: string; readonly credentials?: AwsCredentialIdentity } = {},
): Route53Client {
    const limits = settings.limits ?? DR_CALL_LIMITS;
    const client = new Route53Client({
        region: ROUTE53_CLIENT_REGION,
        ...boundedClientOptions(limits),
        ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
        ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    });
    boundCalls(client, "route53", ROUTE53_CLIENT_REGION, limits, deadline);
    return client;
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
        ...(config.ResourcePath !== undefined ? { resourcePath: maskProbeToken(config.ResourcePath) } : {}),
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
    const path = type === "TCP" ? "" : maskProbeToken(config.ResourcePath ?? "/");
    return `${type} ${host}:${port}${path}`;
}

/** The probe path's secret segment (components/regional/health-probe.ts) stays out of reports and CI logs. */
export function maskProbeToken(path: string): string {
    return path.replace(/^\/health\/[a-z0-9]{32}$/, "/health/<token>");
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
        const primaryRecord = summariseRecord(
            ofType.find((r) => r.Failover === "PRIMARY"),
            checks,
        );
        const secondaryRecord = summariseRecord(
            ofType.find((r) => r.Failover === "SECONDARY"),
            checks,
        );

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
            problems.push(`${where} is inverted; only a manual drill inverts a check, and only the primary's`);
        }
        if (!ENDPOINT_TYPES.has(check.type)) {
            notes.push(`${where} is of type ${check.type}; the 18% checker rule applies to endpoint checks, so the evaluation may not match Route 53`);
        }
    }
    if (failoverInEffect) {
        problems.unshift(
            `failover in effect: Route 53 answers with the SECONDARY (${outputs.secondaryRegion})${drillActive ? " — drill: primary health check inverted" : ""}`,
        );
    }
    if (drillActive) {
        notes.push(
            "the primary health check is inverted outside this program (`failoverDrill` is retired; drills use `npm run failover`); `pulumi up` restores it",
        );
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
