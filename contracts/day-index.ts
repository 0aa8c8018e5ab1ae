/**
 * The table's `createdAt-by-day` global secondary index, for the reconciliation report: every transaction
 * carries `createdDayShard = <YYYY-MM-DD>#<NN>`. One partition per day would take every write of the day
 * (10,000 per second at the target) while a GSI partition absorbs about 1,000 writes per second, and a
 * throttled GSI throttles the table's own writes; 32 shards spread a day over 32 partitions. The shard comes
 * from the id (a hash), so it is stable and even. A global secondary index, not a local one: multi-Region
 * strongly consistent tables allow GSIs but not LSIs. Dependency-free: the handler, the Pulumi program and
 * the reconcile script share it.
 */

export const DAY_INDEX_NAME = "createdAt-by-day";
export const DAY_SHARD_ATTRIBUTE = "createdDayShard";
export const CREATED_AT_ATTRIBUTE = "createdAt";
export const DAY_SHARDS = 32;
/**
 * Projected besides the keys: what the reconciliation compares. None of them changes after creation, so the
 * receipt-status update never writes to the index (one index write per transaction).
 */
export const DAY_INDEX_PROJECTION = ["id", "region", "requestHash", "receiptKey"] as const;

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** `txn_` ids are base32 of a hash: the 7th character (after the receipt shard's two) picks one of 32 shards. */
export function dayShardOf(id: string): number {
    const index = BASE32.indexOf(id.charAt(6));
    return index < 0 ? 0 : index % DAY_SHARDS;
}

export function dayShardKey(day: string, shard: number): string {
    return `${day}#${String(shard).padStart(2, "0")}`;
}

/** The index partition of a transaction: its UTC day and its shard. */
export function createdDayShardFor(id: string, createdAt: string): string {
    return dayShardKey(createdAt.slice(0, 10), dayShardOf(id));
}
