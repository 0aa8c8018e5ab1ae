import type { RegionRole } from "../transaction-processor/env";
import { log } from "../transaction-processor/log";
import type { StoreConfig as HealthConfig } from "../transaction-processor/store-config";
import { type HealthClients, writeBucketProbe, writeTableProbe } from "./probes";

/**
 * Route 53's HTTPS health checkers need the TCP connection within 4 s and a 2xx/3xx status within 2 s after
 * connecting, or the check fails ("How Amazon Route 53 determines whether a health check is healthy",
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
 * Both probes run in parallel and are abandoned after 1 s, leaving half of the 2 s for API Gateway and Lambda.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 1_000;
/** Route 53's limit for the answer after connecting; tests hold the handler to it. */
export const ROUTE53_RESPONSE_LIMIT_MS = 2_000;
/**
 * A result (healthy or not) is reused this long per container: checkers from many locations share it, so each
 * warm container writes at most one item and one object per period whatever the checkers' request rate.
 */
export const HEALTH_CACHE_MS = 5_000;

export interface CheckResult {
    readonly ok: boolean;
    readonly latencyMs: number;
    /** Error name or code (e.g. `TimeoutError`, `ECONNREFUSED`, `KMS.DisabledException`) when not ok. */
    readonly error?: string;
}

/** A probe run with its details: for this container and its log only, never for the open `/health` body. */
export interface HealthReport {
    readonly status: "ok" | "degraded";
    readonly region: string;
    readonly role: RegionRole;
    /** When the probes ran (ISO-8601); older than now while the cached result is served. */
    readonly checkedAt: string;
    readonly cached: boolean;
    readonly checks: { readonly table: CheckResult; readonly bucket: CheckResult };
}

export type DependencyState = "ok" | "failed";

/**
 * What `GET /health` answers. The route is unauthenticated (Route 53's checkers cannot sign), so it says only
 * whether the region can take a payment, its role and each dependency's state: no region, resource names,
 * timings or error names (those go to the log, `health probe` lines).
 */
export interface HealthBody {
    readonly status: "ok" | "degraded";
    readonly role: RegionRole;
    readonly checks: { readonly table: DependencyState; readonly bucket: DependencyState };
}

export function healthBody(report: HealthReport): HealthBody {
    const state = (check: CheckResult): DependencyState => (check.ok ? "ok" : "failed");
    return { status: report.status, role: report.role, checks: { table: state(report.checks.table), bucket: state(report.checks.bucket) } };
}

/** One log line per probe run, with everything the body leaves out. */
function logProbe(report: HealthReport): void {
    const { table, bucket } = report.checks;
    log(report.status === "ok" ? "info" : "warn", "health probe", {
        status: report.status,
        region: report.region,
        role: report.role,
        checkedAt: report.checkedAt,
        tableOk: table.ok,
        tableLatencyMs: table.latencyMs,
        tableError: table.error,
        bucketOk: bucket.ok,
        bucketLatencyMs: bucket.latencyMs,
        bucketError: bucket.error,
    });
}

function describeFailure(error: unknown): string {
    const shape = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; name?: unknown; Code?: unknown };
    if (typeof shape.code === "string" && shape.code !== "") {
        return shape.code;
    }
    if (typeof shape.Code === "string" && shape.Code !== "") {
        return shape.Code;
    }
    const name = typeof shape.name === "string" ? shape.name : "UnknownError";
    return name === "AbortError" ? `TimeoutError (${HEALTH_CHECK_TIMEOUT_MS} ms)` : name;
}

async function timed(probe: (signal: AbortSignal) => Promise<unknown>): Promise<CheckResult> {
    const started = performance.now();
    try {
        await probe(AbortSignal.timeout(HEALTH_CHECK_TIMEOUT_MS));
        return { ok: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
        return { ok: false, latencyMs: Math.round(performance.now() - started), error: describeFailure(error) };
    }
}

/**
 * Whether this region can take a payment: a table write and an SSE-KMS bucket write, in parallel, each with a
 * short timeout. Results are cached per container and concurrent callers share one in-flight probe. Never throws.
 */
export class HealthMonitor {
    private last?: { readonly report: HealthReport; readonly atMs: number };
    private inFlight?: Promise<HealthReport>;

    constructor(
        private readonly clients: HealthClients,
        private readonly config: HealthConfig,
    ) {}

    async report(): Promise<HealthReport> {
        if (this.last !== undefined && Date.now() - this.last.atMs < HEALTH_CACHE_MS) {
            return { ...this.last.report, cached: true };
        }
        this.inFlight ??= this.probe().finally(() => {
            this.inFlight = undefined;
        });
        return this.inFlight;
    }

    private async probe(): Promise<HealthReport> {
        const atMs = Date.now();
        const at = new Date(atMs).toISOString();
        const [table, bucket] = await Promise.all([
            timed((signal) => writeTableProbe(this.clients, this.config, at, signal)),
            timed((signal) => writeBucketProbe(this.clients, this.config, at, signal)),
        ]);
        const report: HealthReport = {
            status: table.ok && bucket.ok ? "ok" : "degraded",
            region: this.config.appRegion,
            role: this.config.regionRole,
            checkedAt: at,
            cached: false,
            checks: { table, bucket },
        };
        this.last = { report, atMs };
        logProbe(report);
        return report;
    }
}
