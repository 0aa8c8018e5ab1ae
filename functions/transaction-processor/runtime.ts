import { createClients, type AwsClients } from "./clients";
import { configFingerprint, readConfig, type AppConfig } from "./env";
import { RegionFence } from "./fence";
import { RegionalFenceMemory } from "./fence-state";
import { log } from "./log";
import { createMerchantLimiter, type MerchantLimiter } from "./merchant-limit";
import { ReceiptStore } from "./receipts";
import { TransactionStore } from "./transactions";
import { createBodySchema, type BodySchema } from "./validation";

/** Everything a container builds once: configuration, SDK clients, stores, schema. */
export interface Runtime {
    readonly config: AppConfig;
    readonly clients: AwsClients;
    readonly transactions: TransactionStore;
    readonly receipts: ReceiptStore;
    readonly bodySchema: BodySchema;
    /** Each merchant's token bucket in this environment; absent when the stack sets no per-merchant limit. */
    readonly merchantLimiter?: MerchantLimiter;
    /** Present when this region can be fenced by the takeover authority (the primary). */
    readonly fence?: RegionFence;
}

export type RuntimeResult = { readonly ok: true; readonly runtime: Runtime } | { readonly ok: false; readonly problems: readonly string[] };

let current: { readonly fingerprint: string; readonly result: RuntimeResult } | undefined;

function build(env: NodeJS.ProcessEnv): RuntimeResult {
    const read = readConfig(env);
    if (!read.ok) {
        // Logged once per container (per configuration), not once per request.
        log("error", "invalid configuration", { problems: read.problems.join("; ") });
        return read;
    }
    const { config } = read;
    if (env.AWS_REGION && env.AWS_REGION !== config.appRegion) {
        log("warn", "APP_REGION differs from the region the function runs in", {
            appRegion: config.appRegion,
            awsRegion: env.AWS_REGION,
        });
    }
    const clients = createClients(config);
    return {
        ok: true,
        runtime: {
            config,
            clients,
            transactions: new TransactionStore(clients.dynamo, config.tableName),
            receipts: new ReceiptStore(clients.s3, config.bucketName, config.kmsKeyId),
            bodySchema: createBodySchema(config.maxAmountMinor),
            merchantLimiter: createMerchantLimiter(config),
            // The region's own table keeps the last-known fence state for new instances (fence-state.ts).
            ...(config.fence ? { fence: RegionFence.create(config.fence, new RegionalFenceMemory(clients.dynamo, config.tableName, config.appRegion)) } : {}),
        },
    };
}

/**
 * The container's runtime, built on first use (the cold start) and cached under a fingerprint of
 * the configuration variables. Lambda never changes a running container's environment, so in
 * production this builds exactly once; a process whose environment does change (tests, the bench)
 * gets the same cold-start path again, and the previous clients are closed.
 */
export function getRuntime(env: NodeJS.ProcessEnv = process.env): RuntimeResult {
    const fingerprint = configFingerprint(env);
    if (current?.fingerprint === fingerprint) {
        return current.result;
    }
    if (current?.result.ok) {
        current.result.runtime.clients.destroy();
        current.result.runtime.fence?.destroy();
    }
    current = { fingerprint, result: build(env) };
    return current.result;
}
