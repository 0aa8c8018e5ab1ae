/**
 * Capacity maths for the throughput target (the original requirement: 10,000 transactions per second at
 * sub-second latency). Pure, so the config validation, the program and the tests share one answer.
 */

/** Writes per accepted transaction: the conditional put, then the update that marks the receipt stored. */
export const WRITES_PER_TRANSACTION = 2;
/** Eventual consistency adds one: the accepting Region's own version of the transaction (functions/transaction-processor/versions.ts). */
export const EVENTUAL_VERSION_WRITES = 1;
/** Items stay under 1 KB, so each write costs one write unit (in the home table and again in each replica). */
export const WRITE_UNITS_PER_WRITE = 1;
/** A new on-demand table absorbs about this many writes (reads) per second before it scales. */
export const ON_DEMAND_BASELINE_WRITE_UNITS = 4000;
export const ON_DEMAND_BASELINE_READ_UNITS = 12000;
/** API Gateway's default account-level burst in a region; a stage cannot burst above it. */
export const API_ACCOUNT_BURST_LIMIT = 5000;
/**
 * Concurrency reserved for the health function in each region: payment traffic can never take it away, and
 * since each container probes at most once per cache period (5 s), it also bounds the probe writes (at most
 * 5 items and 5 objects per 5 s per region). Route 53's checkers send a few requests per second, mostly
 * answered from the cache in a millisecond.
 */
export const HEALTH_RESERVED_CONCURRENCY = 5;
/** The health route's own stage throttle: room for every Route 53 checker, nothing taken from payments. */
export const HEALTH_ROUTE_RATE_LIMIT = 50;
export const HEALTH_ROUTE_BURST_LIMIT = 100;

export interface CapacityInputs {
    readonly targetTps: number;
    /** The table's consistency mode; eventual adds the version write. @default strong (no extra write) */
    readonly consistency?: { readonly mode: "strong" | "eventual" };
    readonly expectedDurationMs: number;
    readonly reservedConcurrency?: number;
    readonly accountConcurrencyLimit: number;
    readonly apiAccountRateLimit: number;
    readonly tableWarmWriteUnits?: number;
    readonly tableWarmReadUnits?: number;
}

export interface CapacityPlan {
    readonly targetTps: number;
    /** Concurrent Lambda executions at the target: TPS × expected duration (Little's law). */
    readonly requiredConcurrency: number;
    /** What the processor may use: its reservation, else the account's regional limit less the health function's reservation. */
    readonly availableConcurrency: number;
    readonly accountConcurrencyLimit: number;
    /** Write units per second the home table needs; each replica consumes the same again for replicated writes. */
    readonly requiredWriteUnitsPerSecond: number;
    /** Warm throughput to request (undefined: the on-demand baseline suffices). */
    readonly warmWriteUnitsPerSecond?: number;
    readonly warmReadUnitsPerSecond?: number;
    readonly stageRateLimit: number;
    readonly stageBurstLimit: number;
}

/** Table writes one accepted transaction costs in this stack's consistency mode. */
export function writesPerTransaction(c: Pick<CapacityInputs, "consistency">): number {
    return WRITES_PER_TRANSACTION + (c.consistency?.mode === "eventual" ? EVENTUAL_VERSION_WRITES : 0);
}

export function planCapacity(c: CapacityInputs): CapacityPlan {
    const requiredWriteUnitsPerSecond = c.targetTps * writesPerTransaction(c) * WRITE_UNITS_PER_WRITE;
    const warm = c.tableWarmWriteUnits !== undefined || requiredWriteUnitsPerSecond > ON_DEMAND_BASELINE_WRITE_UNITS;
    return {
        targetTps: c.targetTps,
        requiredConcurrency: Math.ceil((c.targetTps * c.expectedDurationMs) / 1000),
        availableConcurrency: c.reservedConcurrency ?? c.accountConcurrencyLimit - HEALTH_RESERVED_CONCURRENCY,
        accountConcurrencyLimit: c.accountConcurrencyLimit,
        requiredWriteUnitsPerSecond,
        warmWriteUnitsPerSecond: warm ? (c.tableWarmWriteUnits ?? requiredWriteUnitsPerSecond) : undefined,
        warmReadUnitsPerSecond: warm ? (c.tableWarmReadUnits ?? ON_DEMAND_BASELINE_READ_UNITS) : undefined,
        stageRateLimit: c.targetTps,
        stageBurstLimit: Math.min(API_ACCOUNT_BURST_LIMIT, c.targetTps),
    };
}

/** Why the configured capacity cannot carry the declared target, one message per problem. */
export function capacityProblems(c: CapacityInputs): string[] {
    const plan = planCapacity(c);
    const problems: string[] = [];
    if (plan.requiredConcurrency > plan.availableConcurrency) {
        const source =
            c.reservedConcurrency !== undefined
                ? `\`payments-dr:reservedConcurrency\` is ${c.reservedConcurrency}`
                : `\`payments-dr:accountConcurrencyLimit\` is ${c.accountConcurrencyLimit}`;
        problems.push(
            `\`payments-dr:targetTps\` is ${c.targetTps}: at \`expectedDurationMs\` ${c.expectedDurationMs} it needs ` +
                `${plan.requiredConcurrency} concurrent Lambda executions, but ${source}; raise it (and the account ` +
                `quota) or lower the target.`,
        );
    }
    if (c.targetTps > c.apiAccountRateLimit) {
        problems.push(
            `\`payments-dr:targetTps\` is ${c.targetTps}, above \`payments-dr:apiAccountRateLimit\` ` +
                `${c.apiAccountRateLimit}: API Gateway throttles the account's requests per region at that rate; ` +
                `request a quota increase and set the new value.`,
        );
    }
    if (c.tableWarmWriteUnits !== undefined && c.tableWarmWriteUnits < plan.requiredWriteUnitsPerSecond) {
        problems.push(
            `\`payments-dr:tableWarmWriteUnits\` is ${c.tableWarmWriteUnits}: \`targetTps\` ${c.targetTps} × ` +
                `${writesPerTransaction(c)} writes per transaction needs at least ${plan.requiredWriteUnitsPerSecond} ` +
                `write units per second (in the home table and again in the replica).`,
        );
    }
    return problems;
}
