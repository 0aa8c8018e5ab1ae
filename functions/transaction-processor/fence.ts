import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { errorName } from "./aws-errors";
import { log } from "./log";
import { HttpError } from "./responses";
import { retryAfterHeader } from "./retry-after";

/**
 * Fencing: while the takeover signal (an alarm in the standby region, see components/takeover-signal.ts) is
 * in ALARM, this region has been demoted and refuses new writes, so a client that still reaches it (cached
 * DNS, a direct regional name) cannot write beside the region that took over. Reads still answer.
 *
 * The alarm state is read with DescribeAlarms in the standby region and cached; concurrent requests share
 * one read. When the signal cannot be read (the standby region's CloudWatch is unreachable, slow or denies
 * the call), the last state read stays in force for FENCE_STALE_LIMIT_MS, then the region is treated as
 * NOT fenced (fail open): an outage of the standby region's monitoring must not stop the primary's writes,
 * and a takeover is only ever started when the standby region is up.
 */

/**
 * A state read is reused this long: the fence takes effect at most this long after the alarm changes
 * (FENCE_CACHE_SECONDS in components/takeover-objectives.ts, tested equal).
 */
export const FENCE_CACHE_MS = 2_000;
/** One read is abandoned after this long (the request goes on with the last known state). */
export const FENCE_READ_TIMEOUT_MS = 500;
/** How long a state read earlier still counts when new reads fail; after that, fail open. */
export const FENCE_STALE_LIMIT_MS = 30_000;
/** The alarm state that fences this region. */
export const FENCED_STATE = "ALARM";

export interface FenceState {
    readonly fenced: boolean;
    /** Where the answer came from: a fresh read, the cache, the last good read after a failure, or fail-open. */
    readonly source: "read" | "cache" | "stale" | "fail-open";
}

export interface FenceConfig {
    readonly alarmName: string;
    readonly alarmRegion: string;
}

export class RegionFence {
    private lastGood?: { readonly fenced: boolean; readonly atMs: number };
    private lastAttemptMs?: number;
    private inFlight?: Promise<FenceState>;

    constructor(
        private readonly client: Pick<CloudWatchClient, "send" | "destroy">,
        private readonly config: FenceConfig,
        private readonly now: () => number = Date.now,
    ) {}

    static create(config: FenceConfig): RegionFence {
        // Short timeouts and one retry: this read sits in front of every POST.
        const client = new CloudWatchClient({
            region: config.alarmRegion,
            maxAttempts: 2,
            requestHandler: { connectionTimeout: FENCE_READ_TIMEOUT_MS, requestTimeout: FENCE_READ_TIMEOUT_MS },
        });
        return new RegionFence(client, config);
    }

    /** Closes keep-alive sockets (a rebuilt container). */
    destroy(): void {
        this.client.destroy();
    }

    async state(): Promise<FenceState> {
        if (this.inFlight !== undefined) {
            return this.inFlight;
        }
        const now = this.now();
        if (this.lastAttemptMs !== undefined && now - this.lastAttemptMs < FENCE_CACHE_MS) {
            return this.fromLastGood(now, "cache");
        }
        this.inFlight ??= this.read().finally(() => {
            this.inFlight = undefined;
        });
        return this.inFlight;
    }

    private async read(): Promise<FenceState> {
        const started = this.now();
        this.lastAttemptMs = started;
        try {
            const result = await this.client.send(new DescribeAlarmsCommand({ AlarmNames: [this.config.alarmName], AlarmTypes: ["MetricAlarm"] }), {
                abortSignal: AbortSignal.timeout(FENCE_READ_TIMEOUT_MS),
            });
            const alarm = result.MetricAlarms?.find((a) => a.AlarmName === this.config.alarmName);
            if (alarm === undefined) {
                throw Object.assign(new Error(`alarm ${this.config.alarmName} not found in ${this.config.alarmRegion}`), { name: "AlarmNotFound" });
            }
            const fenced = alarm.StateValue === FENCED_STATE;
            this.lastGood = { fenced, atMs: started };
            return { fenced, source: "read" };
        } catch (error) {
            const state = this.fromLastGood(started, "stale");
            log("warn", "takeover signal unreadable", {
                alarmName: this.config.alarmName,
                alarmRegion: this.config.alarmRegion,
                errorName: errorName(error),
                errorMessage: error instanceof Error ? error.message.slice(0, 200) : undefined,
                fenced: state.fenced,
                source: state.source,
            });
            return state;
        }
    }

    private fromLastGood(now: number, source: "cache" | "stale"): FenceState {
        if (this.lastGood !== undefined && now - this.lastGood.atMs <= FENCE_STALE_LIMIT_MS) {
            return { fenced: this.lastGood.fenced, source };
        }
        return { fenced: false, source: "fail-open" };
    }
}

/** Throws 503 REGION_FENCED (with a jittered Retry-After) when this region is fenced. */
export async function refuseWritesWhenFenced(fence: RegionFence | undefined, region: string): Promise<void> {
    if (fence === undefined || !(await fence.state()).fenced) {
        return;
    }
    throw new HttpError(
        503,
        "REGION_FENCED",
        `${region} has handed over to the standby region (takeover signal set) and accepts no new writes; retry the ` +
            "request with the same Idempotency-Key and body through the failover name",
        undefined,
        retryAfterHeader(),
    );
}
