import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { errorName } from "./aws-errors";
import type { AwsClients } from "./clients";
import type { AppConfig, RegionRole } from "./env";
import { jsonReply, type Reply } from "./responses";

/** Each dependency check is abandoned after this long. */
export const HEALTH_CHECK_TIMEOUT_MS = 1_000;
/** A result (healthy or not) is reused for this long: Route 53 checkers from many locations share it. */
export const HEALTH_CACHE_MS = 5_000;
/** The sentinel item read by the table check; its absence is fine, only the read has to succeed. */
export const HEALTH_SENTINEL_KEY = { pk: "HEALTH", sk: "HEALTH" } as const;

export interface CheckResult {
    readonly ok: boolean;
    readonly latencyMs: number;
    /** Error name or code (e.g. `TimeoutError`, `ECONNREFUSED`, `NotFound`) when not ok. */
    readonly error?: string;
}

export interface HealthReport {
    readonly status: "ok" | "degraded";
    readonly region: string;
    readonly role: RegionRole;
    /** When the checks ran (ISO-8601); older than now while the cached result is served. */
    readonly checkedAt: string;
    readonly cached: boolean;
    readonly checks: { readonly table: CheckResult; readonly bucket: CheckResult };
}

function describeFailure(error: unknown): string {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && code !== "") {
        return code;
    }
    const name = errorName(error);
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
 * Deep health of this region: a GetItem on the table's sentinel and a HeadBucket on the receipts
 * bucket, run in parallel with a short timeout. Results are cached per container, and concurrent
 * callers share one in-flight check. Never throws.
 */
export class HealthMonitor {
    private last?: { readonly report: HealthReport; readonly atMs: number };
    private inFlight?: Promise<HealthReport>;

    constructor(
        private readonly clients: AwsClients,
        private readonly config: AppConfig,
    ) {}

    async report(): Promise<HealthReport> {
        const now = Date.now();
        if (this.last !== undefined && now - this.last.atMs < HEALTH_CACHE_MS) {
            return { ...this.last.report, cached: true };
        }
        this.inFlight ??= this.runChecks().finally(() => {
            this.inFlight = undefined;
        });
        return this.inFlight;
    }

    private async runChecks(): Promise<HealthReport> {
        const atMs = Date.now();
        const [table, bucket] = await Promise.all([
            timed((abortSignal) =>
                this.clients.dynamo.send(new GetCommand({ TableName: this.config.tableName, Key: HEALTH_SENTINEL_KEY }), {
                    abortSignal,
                }),
            ),
            timed((abortSignal) => this.clients.s3.send(new HeadBucketCommand({ Bucket: this.config.bucketName }), { abortSignal })),
        ]);
        const report: HealthReport = {
            status: table.ok && bucket.ok ? "ok" : "degraded",
            region: this.config.appRegion,
            role: this.config.regionRole,
            checkedAt: new Date(atMs).toISOString(),
            cached: false,
            checks: { table, bucket },
        };
        this.last = { report, atMs };
        return report;
    }
}

/** `GET /health`: 200 when every check passed, 503 otherwise. */
export async function getHealth(monitor: HealthMonitor): Promise<Reply> {
    const report = await monitor.report();
    return jsonReply(report.status === "ok" ? 200 : 503, report);
}
