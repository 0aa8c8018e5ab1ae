import { HEALTH_RESERVED_CONCURRENCY } from "../components/regional/health-capacity";

/**
 * Capacity maths for the throughput target (the original requirement: 10,000 transactions per second at
 * sub-second latency). Pure, so the config validation, the program and the tests share one answer.
 */

/** Writes per accepted transaction: the conditional put, then the update that marks the receipt stored. */
export const WRITES_PER_TRANSACTION = 2;
/** Eventual consistency adds one: the accepting Region's own version of the transaction (functions/transaction-processor/versions.ts). */
export const EVENTUAL_VERSION_WRITES = 1;
/**
 * Items stay within 1 KB (the API caps the free-form bytes, FREEFORM_MAX_BYTES in the handler's validation; a test
 * measures the largest item), so each write costs one write unit (in the home table and again in each replica).
 */
export const ITEM_MAX_BYTES = 1024;
export const WRITE_UNITS_PER_WRITE = Math.ceil(ITEM_MAX_BYTES / 1024);
/** A new on-demand table absorbs about this many writes (reads) per second before it scales. */
export const ON_DEMAND_BASELINE_WRITE_UNITS = 4000;
export const ON_DEMAND_BASELINE_READ_UNITS = 12000;
/** API Gateway's default account-level burst in a region; a stage cannot burst above it. */
export const API_ACCOUNT_BURST_LIMIT = 5000;

/**
 * Lambda's concurrency scaling rate, per function and region: 1,000 more execution environments (and 10,000 more
 * requests per second) every 10 seconds ("Lambda scaling behavior",
 * https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html).
 */
export const LAMBDA_SCALING_STEP = { environments: 1000, requestsPerSecond: 10_000, seconds: 10 } as const;

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
    /** @default 0 */
    readonly standbyProvisionedConcurrency?: number;
}

export interface CapacityPlan {
    readonly targetTps: number;
    /** Concurrent Lambda executions at the target: TPS × expected duration (Little's law). */
    readonly requiredConcurrency: number;
    /** What the processor may use: its reservation, else the account's regional limit less the health function's reservation. */
    readonly availableConcurrency: number;
    readonly accountConcurrencyLimit: number;
    /** Write units one transaction costs in the home table (and again in each replica): writes × units per write. */
    readonly writeUnitsPerTransaction: number;
    /** Write units per second the home table needs; each replica consumes the same again for replicated writes. */
    readonly requiredWriteUnitsPerSecond: number;
    /** Warm throughput to request (undefined: the on-demand baseline suffices). */
    readonly warmWriteUnitsPerSecond?: number;
    readonly warmReadUnitsPerSecond?: number;
    readonly stageRateLimit: number;
    readonly stageBurstLimit: number;
    /** Warm processor environments in the secondary (`standbyProvisionedConcurrency`). */
    readonly standbyWarmEnvironments: number;
    /** Seconds Lambda's scaling rate needs to take the secondary from its warm environments to `requiredConcurrency` at `targetTps`. */
    readonly standbyScaleUpSeconds: number;
}

/**
 * Seconds Lambda's scaling rate needs to go from `warm` environments to serving `tps` at `durationMs` per request:
 * one 10 s step per 1,000 missing environments, or per 10,000 missing requests per second, whichever needs more
 * (warm environments already serve 1000 / `durationMs` requests per second each).
 */
export function scaleUpSeconds(warm: number, tps: number, durationMs: number): number {
    const concurrency = Math.ceil((tps * durationMs) / 1000);
    const byEnvironments = Math.ceil(Math.max(0, concurrency - warm) / LAMBDA_SCALING_STEP.environments);
    const byRequests = Math.ceil(Math.max(0, tps - (warm * 1000) / durationMs) / LAMBDA_SCALING_STEP.requestsPerSecond);
    return Math.max(byEnvironments, byRequests) * LAMBDA_SCALING_STEP.seconds;
}

/** Table writes one accepted transaction costs in this stack's consistency mode. */
export function writesPerTransaction(c: Pick<CapacityInputs, "consistency">): number {
    return WRITES_PER_TRANSACTION + (c.consistency?.mode === "eventual" ? EVENTUAL_VERSION_WRITES : 0);
}

export function planCapacity(c: CapacityInputs): CapacityPlan {
    const requiredWriteUnitsPerSecond = c.targetTps * writesPerTransaction(c) * WRITE_UNITS_PER_WRITE;
    const warm = c.tableWarmWriteUnits !== undefined || requiredWriteUnitsPerSecond > ON_DEMAND_BASELINE_WRITE_UNITS;
    const requiredConcurrency = Math.ceil((c.targetTps * c.expectedDurationMs) / 1000);
    return {
        targetTps: c.targetTps,
        requiredConcurrency,
        availableConcurrency: c.reservedConcurrency ?? c.accountConcurrencyLimit - HEALTH_RESERVED_CONCURRENCY,
        accountConcurrencyLimit: c.accountConcurrencyLimit,
        writeUnitsPerTransaction: writesPerTransaction(c) * WRITE_UNITS_PER_WRITE,
        requiredWriteUnitsPerSecond,
        warmWriteUnitsPerSecond: warm ? (c.tableWarmWriteUnits ?? requiredWriteUnitsPerSecond) : undefined,
        warmReadUnitsPerSecond: warm ? (c.tableWarmReadUnits ?? ON_DEMAND_BASELINE_READ_UNITS) : undefined,
        stageRateLimit: c.targetTps,
        stageBurstLimit: Math.min(API_ACCOUNT_BURST_LIMIT, c.targetTps),
        standbyWarmEnvironments: c.standbyProvisionedConcurrency ?? 0,
        standbyScaleUpSeconds: scaleUpSeconds(c.standbyProvisionedConcurrency ?? 0, c.targetTps, c.expectedDurationMs),
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

/**
 * A merchant's ceiling in one region under the per-merchant limit (functions/transaction-processor/merchant-limit.ts).
 * The limit is a token bucket per execution environment, and an environment serves one request at a time, so one
 * merchant is admitted at most min(limit, 1000 / expectedDurationMs) requests per second in each environment, times
 * the environments the region can run: `availableConcurrency` (the reservation, else the account limit less the
 * health function's). Its burst is `merchantBurst` × those environments.
 *
 * Why the bound is documented and not made regional (issue 27): a regional fixed-window counter would be an
 * UpdateItem per request on a regional (not global) table on the region's key: one write request unit, $0.625 per
 * million requests at on-demand list price in us-east-1 (https://aws.amazon.com/dynamodb/pricing/on-demand/), about
 * $16,200 a month at 10,000 TPS in each serving region, plus a round trip on every payment; this bound costs nothing, was
 * finishable and testable offline in the time this change had, and the README gives the REST API usage-plan and WAF
 * alternatives with their prices.
 */
export function merchantRegionalCeiling(
    limit: { readonly ratePerSecond: number; readonly burst: number },
    c: Pick<CapacityInputs, "reservedConcurrency" | "accountConcurrencyLimit" | "expectedDurationMs">,
): { readonly environments: number; readonly perEnvironment: number; readonly requestsPerSecond: number; readonly burst: number } {
    const environments = c.reservedConcurrency ?? c.accountConcurrencyLimit - HEALTH_RESERVED_CONCURRENCY;
    const perEnvironment = Math.min(limit.ratePerSecond, 1000 / c.expectedDurationMs);
    return { environments, perEnvironment, requestsPerSecond: Math.floor(perEnvironment * environments), burst: limit.burst * environments };
}
