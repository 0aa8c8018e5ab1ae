import type { Endpoint, Settings } from "./options";

/**
 * Which region the client sends to, shared by every call of one client (so one caller's discovery moves them all).
 * Starts on the primary. Leaves a region at once when it is fenced or its `/health` is unhealthy, or when its
 * requests have failed at the connection level for `regionFailoverAfterMs`; then stays on the region that answers,
 * and probes the primary's `/health` every `probeBackAfterMs` (not before `fencedHoldMs` after a fence) to go back.
 */
export class RegionRouter {
    private active: Endpoint;
    /**
     * Since when each region's requests have failed without an answer, and when the last one failed. Cleared by any
     * answer, and forgotten once no failure came for longer than an attempt and its backoff can take (an old blip
     * does not count against a region a quiet client calls again).
     */
    private readonly failing = new Map<string, { readonly since: number; readonly last: number }>();
    private leftPrimaryAt?: number;
    private fencedAt?: number;
    private lastProbeAt?: number;
    private probing = false;

    constructor(
        private readonly settings: Settings,
        private readonly probeHealth: (endpoint: Endpoint) => Promise<boolean>,
        private readonly now: () => number = Date.now,
    ) {
        this.active = settings.endpoints[0];
    }

    get twoRegions(): boolean {
        return this.settings.endpoints.length === 2;
    }

    /** The region to send to now (and, when due, a background probe of the primary). */
    current(): Endpoint {
        this.maybeProbeBack();
        return this.active;
    }

    other(endpoint: Endpoint): Endpoint | undefined {
        return this.settings.endpoints.find((e) => e.name !== endpoint.name);
    }

    /** The region answered (any status): it is reachable. */
    answered(endpoint: Endpoint): void {
        this.failing.delete(endpoint.name);
    }

    /**
     * A request that started at `startedAt` got no answer. Returns how long the region may still be retried
     * before the bound; 0 when it was left (or had been left already by another call).
     */
    networkFailure(endpoint: Endpoint, startedAt: number): number {
        const now = this.now();
        const since = this.failingState(endpoint, now)?.since ?? startedAt;
        this.failing.set(endpoint.name, { since, last: now });
        const left = since + this.settings.regionFailoverAfterMs - now;
        if (left <= 0 || this.active.name !== endpoint.name) {
            this.leave(endpoint);
            return 0;
        }
        return left;
    }

    /** How much of the failover bound a region that has been failing has left; undefined when it is not failing. */
    boundLeftMs(endpoint: Endpoint): number | undefined {
        const now = this.now();
        const state = this.failingState(endpoint, now);
        return state === undefined ? undefined : state.since + this.settings.regionFailoverAfterMs - now;
    }

    private failingState(endpoint: Endpoint, now: number): { readonly since: number; readonly last: number } | undefined {
        const state = this.failing.get(endpoint.name);
        // Forgotten only after longer than one more attempt and its backoff could take: a retry that is merely slow
        // (a loaded machine, a long backoff) still counts against the region.
        const quietMs = this.settings.regionFailoverAfterMs + this.settings.timeoutMs + this.settings.backoffMaxMs;
        if (state !== undefined && now - state.last > quietMs) {
            this.failing.delete(endpoint.name);
            return undefined;
        }
        return state;
    }

    /** `503 REGION_FENCED`: the region handed over; leave it, and do not probe it back before `fencedHoldMs`. */
    fenced(endpoint: Endpoint): void {
        if (endpoint.name === "primary") {
            this.fencedAt = this.now();
        }
        this.leave(endpoint);
    }

    /**
     * Sends further calls to the other region (a fresh failover budget there). No-op with one endpoint, and no way
     * back to a primary fenced less than `fencedHoldMs` ago: it refuses every write, so a slow secondary is retried.
     */
    leave(endpoint: Endpoint): void {
        const other = this.other(endpoint);
        if (other === undefined || this.active.name !== endpoint.name) {
            return;
        }
        if (other.name === "primary" && this.isHeld(this.now())) {
            this.failing.delete(endpoint.name);
            return;
        }
        this.active = other;
        this.failing.delete(other.name);
        if (endpoint.name === "primary") {
            this.leftPrimaryAt = this.now();
            this.lastProbeAt = undefined;
        }
    }

    private isHeld(now: number): boolean {
        return this.fencedAt !== undefined && now - this.fencedAt < this.settings.fencedHoldMs;
    }

    private maybeProbeBack(): void {
        if (!this.twoRegions || this.active.name === "primary" || this.probing || this.leftPrimaryAt === undefined) {
            return;
        }
        const now = this.now();
        const sinceLastProbe = now - (this.lastProbeAt ?? this.leftPrimaryAt);
        if (this.isHeld(now) || sinceLastProbe < this.settings.probeBackAfterMs) {
            return;
        }
        const primary = this.settings.endpoints[0];
        this.lastProbeAt = now;
        this.probing = true;
        void this.probeHealth(primary)
            .then((healthy) => {
                if (healthy && this.active.name !== "primary") {
                    this.active = primary;
                    this.failing.delete(primary.name);
                    this.fencedAt = undefined;
                }
            })
            .catch(() => undefined)
            .finally(() => {
                this.probing = false;
            });
    }
}
