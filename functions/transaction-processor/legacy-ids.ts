import { legacyIdempotencyKeyHash, legacyTransactionIdFor } from "./ids";
import type { Runtime } from "./runtime";
import type { TransactionRecord } from "./transactions";

/**
 * Migration from unkeyed (v2) to keyed (v3) transaction ids. A transaction stored before the change sits under
 * its v2 id, which a v3 id never equals; a client retrying such a key must still get that transaction back, never a
 * second one. So, while `LEGACY_IDS_UNTIL` (config `legacyTransactionIdsUntil`) has not passed, every POST first
 * reads the key's v2 id: found, it is replayed exactly as before (same 200, same 409 for another body); absent, the
 * transaction is created under its v3 id. Reads by id need nothing: an id is looked up as it is, old or new.
 * The cost is one strongly consistent Query per POST in that window; after it, none.
 */

/** The pre-v3 transaction of this tenant's key, with the key digest it was stored with; undefined when there is none. */
export async function legacyTransactionFor(
    runtime: Pick<Runtime, "config" | "transactions">,
    tenant: string,
    idempotencyKey: string,
    deadline?: AbortSignal,
    now: Date = new Date(),
): Promise<{ readonly record: TransactionRecord; readonly keyHash: string } | undefined> {
    const until = runtime.config.legacyIdsUntil;
    if (until === undefined || now > until) {
        return undefined;
    }
    const record = await runtime.transactions.read(legacyTransactionIdFor(tenant, idempotencyKey), deadline);
    if (record.item === undefined && record.versions.length === 0) {
        return undefined;
    }
    return { record, keyHash: legacyIdempotencyKeyHash(tenant, idempotencyKey) };
}
