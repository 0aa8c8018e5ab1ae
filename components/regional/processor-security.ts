import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * What the transaction processor needs to defend the API besides authentication: the secret that keys transaction
 * ids, the migration window for ids stored before it, and each merchant's request limit (functions/transaction-
 * processor/env.ts reads them). One key for both regions: an Idempotency-Key must map to the same id in each.
 */
export interface ProcessorSecurityArgs {
    /**
     * Base64 of at least 32 random bytes: the HMAC key of transaction ids, the same in both regions. Never change it
     * once transactions exist (a retry of an earlier key would get a new id: a second payment).
     */
    readonly transactionIdKey: pulumi.Input<string>;
    /**
     * YYYY-MM-DD: until the end of that day a POST first looks its key up under the pre-v3 (unkeyed) id.
     * @default - no lookup (a stack that never stored transactions before keyed ids)
     */
    readonly legacyTransactionIdsUntil?: string;
    /**
     * Each merchant's token bucket per execution environment (429 `MERCHANT_RATE_LIMITED` above it).
     * @default - no per-merchant limit
     */
    readonly merchantLimit?: { readonly ratePerSecond: number; readonly burst: number };
}

/** The processor's environment for these settings; the key is a secret Output (encrypted in the state, masked in previews). */
export function processorSecurityEnvironment(a: ProcessorSecurityArgs): Record<string, pulumi.Input<string>> {
    return {
        TRANSACTION_ID_KEY: pulumi.secret(a.transactionIdKey),
        ...(a.legacyTransactionIdsUntil ? { LEGACY_IDS_UNTIL: a.legacyTransactionIdsUntil } : {}),
        ...(a.merchantLimit ? { MERCHANT_RATE_LIMIT: String(a.merchantLimit.ratePerSecond), MERCHANT_BURST: String(a.merchantLimit.burst) } : {}),
    };
}

/**
 * The stack's transaction-id key: the configured secret, or 32 random bytes generated once and kept (secret) in the
 * state. `RandomBytes` is only replaced if its inputs change, and it has none that change. A stack re-created
 * from nothing gets a new key: set `transactionIdKey` (kept in the stack's config, encrypted) where the key must
 * outlive the state.
 */
export function transactionIdKey(configured: pulumi.Input<string> | undefined): pulumi.Output<string> {
    if (configured !== undefined) {
        return pulumi.secret(configured);
    }
    return new random.RandomBytes("transaction-id-key", { length: 32 }).base64;
}
