import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readAuthority, type AuthorityTable } from "../takeover-switch/authority";
import { errorName } from "./aws-errors";
import { decideWhenUnreadable, RegionalFenceMemory, type FenceState, type Observation } from "./fence-state";
import { log } from "./log";
import { HttpError } from "./responses";
import { retryAfterHeader } from "./retry-after";

export type { FenceState } from "./fence-state";

/**
 * Fencing: while the takeover authority (an item in the standby region that only the stack's DR operator and
 * takeover-switch roles can write, contracts/takeover-authority.ts) says the standby has taken over, this region
 * has been demoted and refuses new writes, so a client that still reaches it (cached DNS, a direct regional name)
 * cannot write beside the region that took over. Reads still answer. The takeover metric, which any principal
 * allowed PutMetricData could publish, plays no part here.
 *
 * The authority is read with a strongly consistent GetItem in the standby region and cached; concurrent requests
 * share one read. When it cannot be read, fence-state.ts decides: never fail open after a takeover was seen; a new
 * instance uses the region's last-known state or refuses writes.
 */

/**
 * A state read is reused this long: the fence takes effect at most this long after the authority changes
 * (FENCE_CACHE_SECONDS in program/takeover-objectives.ts, tested equal).
 */
export const FENCE_CACHE_MS = 2_000;
/** One read (of the authority, or of the region's last-known state) is abandoned after this long. */
export const FENCE_READ_TIMEOUT_MS = 500;

export interface FenceConfig extends AuthorityTable {
    /** Tests only: where the standby region's DynamoDB is (local servers). */
    readonly endpoint?: string;
}

export class RegionFence {
    private lastRead?: Observation;
    private lastAnswer?: FenceState;
    private lastAttemptMs?: number;
    private inFlight?: Promise<FenceState>;

    constructor(
        private readonly client: Pick<DynamoDBClient, "send" | "destroy">,
        private readonly config: AuthorityTable,
        private readonly regional: RegionalFenceMemory | undefined,
        private readonly now: () => number = Date.now,
    ) {}

    static create(config: FenceConfig, regional?: RegionalFenceMemory): RegionFence {
        // Short timeouts and one retry: this read sits in front of every POST.
        const client = new DynamoDBClient({
            region: config.region,
            ...(config.endpoint ? { endpoint: config.endpoint } : {}),
            maxAttempts: 2,
            requestHandler: { connectionTimeout: FENCE_READ_TIMEOUT_MS, requestTimeout: FENCE_READ_TIMEOUT_MS, throwOnRequestTimeout: true },
        });
        return new RegionFence(client, config, regional);
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
        if (this.lastAnswer !== undefined && this.lastAttemptMs !== undefined && now - this.lastAttemptMs < FENCE_CACHE_MS) {
            return { fenced: this.lastAnswer.fenced, source: "cache" };
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
            const authority = await readAuthority(this.client, this.config, AbortSignal.timeout(FENCE_READ_TIMEOUT_MS));
            const changed = this.lastRead?.fenced !== authority.set;
            this.lastRead = { fenced: authority.set, atMs: started };
            if (changed) {
                await this.remember(this.lastRead);
            }
            return (this.lastAnswer = { fenced: authority.set, source: "read" });
        } catch (error) {
            const regional = await this.recall();
            const state = decideWhenUnreadable(this.lastRead, regional);
            log("warn", "takeover authority unreadable", {
                authorityTable: this.config.tableName,
                authorityRegion: this.config.region,
                errorName: errorName(error),
                errorMessage: error instanceof Error ? error.message.slice(0, 200) : undefined,
                fenced: state.fenced,
                source: state.source,
            });
            return (this.lastAnswer = state);
        }
    }

    /** Best effort: the region's last-known state helps new instances; failing to record it changes no answer. */
    private async remember(observation: Observation): Promise<void> {
        try {
            await this.regional?.record(observation, AbortSignal.timeout(FENCE_READ_TIMEOUT_MS));
        } catch (error) {
            log("warn", "regional fence state not recorded", { errorName: errorName(error) });
        }
    }

    private async recall(): Promise<Observation | undefined> {
        try {
            return await this.regional?.read(AbortSignal.timeout(FENCE_READ_TIMEOUT_MS));
        } catch (error) {
            log("warn", "regional fence state unreadable", { errorName: errorName(error) });
            return undefined;
        }
    }
}

/** Throws 503 REGION_FENCED (with a jittered Retry-After) when this region is fenced, or cannot tell that it is not. */
export async function refuseWritesWhenFenced(fence: RegionFence | undefined, region: string): Promise<void> {
    if (fence === undefined) {
        return;
    }
    const state = await fence.state();
    if (!state.fenced) {
        return;
    }
    const why =
        state.source === "unknown"
            ? "cannot confirm that the standby region has not taken over (takeover authority unreadable, no last-known state)"
            : "has handed over to the standby region (takeover authority set)";
    throw new HttpError(
        503,
        "REGION_FENCED",
        `${region} ${why} and accepts no new writes; retry the request with the same Idempotency-Key and body through the failover name`,
        undefined,
        retryAfterHeader(),
    );
}
