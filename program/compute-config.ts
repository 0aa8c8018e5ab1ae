import type { ConfigReader } from "./config-reader";
import { HEALTH_RESERVED_CONCURRENCY } from "../components/regional/health-capacity";
import { HTTP_API_INTEGRATION_TIMEOUT_S, LAMBDA_MEMORY_MAX_MB, LAMBDA_MEMORY_MIN_MB, LAMBDA_UNRESERVED_MINIMUM } from "../components/shared/service-limits";

/** The transaction processor's size and share of the account's Lambda concurrency. */
export interface LambdaSettings {
    readonly lambdaMemoryMb: number;
    readonly lambdaTimeoutSeconds: number;
    readonly accountConcurrencyLimit: number;
    readonly reservedConcurrency?: number;
    /** The most a function may reserve: what the account keeps unreserved and the health function are taken off. */
    readonly reservedMax: number;
}

/** `lambdaMemoryMb`, `lambdaTimeoutSeconds`, `accountConcurrencyLimit`, `reservedConcurrency`. */
export function parseLambdaSettings(read: ConfigReader): LambdaSettings {
    const { integer } = read;
    const lambdaMemoryMb = integer(
        "lambdaMemoryMb",
        1024,
        LAMBDA_MEMORY_MIN_MB,
        LAMBDA_MEMORY_MAX_MB,
        `must be an integer from ${LAMBDA_MEMORY_MIN_MB} to ${LAMBDA_MEMORY_MAX_MB} (MB)`,
    )!;
    const lambdaTimeoutSeconds = integer(
        "lambdaTimeoutSeconds",
        10,
        1,
        HTTP_API_INTEGRATION_TIMEOUT_S,
        `must be an integer from 1 to ${HTTP_API_INTEGRATION_TIMEOUT_S} (seconds): the HTTP API stops waiting for ` +
            `the function after ${HTTP_API_INTEGRATION_TIMEOUT_S} s`,
    )!;
    const accountConcurrencyLimit = integer(
        "accountConcurrencyLimit",
        1000,
        LAMBDA_UNRESERVED_MINIMUM + HEALTH_RESERVED_CONCURRENCY,
        10_000_000,
        `must be an integer of at least ${LAMBDA_UNRESERVED_MINIMUM + HEALTH_RESERVED_CONCURRENCY} (the account's Lambda ` +
            `concurrency quota per region: ${LAMBDA_UNRESERVED_MINIMUM} stay unreserved, the health function reserves ${HEALTH_RESERVED_CONCURRENCY})`,
    )!;
    const reservedMax = accountConcurrencyLimit - LAMBDA_UNRESERVED_MINIMUM - HEALTH_RESERVED_CONCURRENCY;
    const reservedConcurrency = integer(
        "reservedConcurrency",
        undefined,
        1,
        Math.max(reservedMax, 0),
        `must be an integer from 1 to ${reservedMax}: Lambda keeps ${LAMBDA_UNRESERVED_MINIMUM} of the account's ` +
            `${accountConcurrencyLimit} (\`accountConcurrencyLimit\`) unreserved and the health function reserves ` +
            `${HEALTH_RESERVED_CONCURRENCY}; leave it unset to use the shared pool`,
    );
    return { lambdaMemoryMb, lambdaTimeoutSeconds, accountConcurrencyLimit, reservedConcurrency, reservedMax };
}

/** The throughput the stack is sized for, and the limits it is sized against. */
export interface ThroughputSettings {
    readonly maxAmountMinor: number;
    readonly targetTps: number;
    readonly expectedDurationMs: number;
    readonly apiAccountRateLimit: number;
    readonly tableWarmWriteUnits?: number;
    readonly tableWarmReadUnits?: number;
}

/** `maxAmountMinor`, `targetTps`, `expectedDurationMs`, `apiAccountRateLimit`, `tableWarmWriteUnits`, `tableWarmReadUnits`. */
export function parseThroughputSettings(read: ConfigReader, isProd: boolean, lambdaTimeoutSeconds: number): ThroughputSettings {
    const { integer } = read;
    const maxAmountMinor = integer(
        "maxAmountMinor",
        100_000_000,
        1,
        Number.MAX_SAFE_INTEGER,
        "must be a positive integer (largest accepted amount in minor units, e.g. cents)",
    )!;
    const targetTps = integer("targetTps", isProd ? 10_000 : 100, 1, 1_000_000, "must be an integer from 1 to 1000000")!;
    const expectedDurationMs = integer(
        "expectedDurationMs",
        80,
        1,
        lambdaTimeoutSeconds * 1000,
        "must be an integer from 1 to the Lambda timeout in ms (the expected duration of one request)",
    )!;
    const apiAccountRateLimit = integer(
        "apiAccountRateLimit",
        10_000,
        1,
        10_000_000,
        "must be a positive integer (the account's API Gateway requests-per-second quota in each region)",
    )!;
    const tableWarmWriteUnits = integer(
        "tableWarmWriteUnits",
        undefined,
        4000,
        40_000_000,
        "must be an integer of at least 4000 (a new on-demand table's baseline) write units per second",
    );
    const tableWarmReadUnits = integer(
        "tableWarmReadUnits",
        undefined,
        12000,
        40_000_000,
        "must be an integer of at least 12000 (a new on-demand table's baseline) read units per second",
    );
    return { maxAmountMinor, targetTps, expectedDurationMs, apiAccountRateLimit, tableWarmWriteUnits, tableWarmReadUnits };
}

/** `standbyProvisionedConcurrency`: warm environments in the standby, out of the function's or the account's concurrency. */
export function parseStandbyConcurrency(read: ConfigReader, lambda: LambdaSettings): number {
    const { integer } = read;
    const { reservedConcurrency, reservedMax } = lambda;
    // Provisioned concurrency comes out of the function's reservation, else out of the account's unreserved pool.
    const warmMax = Math.max(reservedConcurrency ?? reservedMax, 0);
    return integer(
        "standbyProvisionedConcurrency",
        0,
        0,
        warmMax,
        `must be an integer from 0 to ${warmMax}: the warm environments come out of ` +
            (reservedConcurrency !== undefined
                ? `\`reservedConcurrency\` (${reservedConcurrency})`
                : `the account's pool less what stays unreserved (${reservedMax})`),
    )!;
}
