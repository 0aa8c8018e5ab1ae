import type { ClientBase } from "pg";
import type { LedgerEntry } from "./records";

/**
 * Writes to the ledger. Every write is idempotent: keyed by transaction id (entries) or stream event id
 * (rejects), and an entry only moves to a higher version. A change seen by both regions' projectors (the
 * global table replicates it into both streams) therefore changes the row once; the second arrival matches
 * nothing and writes nothing.
 */

export type UpsertOutcome = "inserted" | "updated" | "unchanged" | "conflict";

const UPSERT = `
    INSERT INTO ledger_entries (transaction_id, amount_minor, currency, merchant_id, reference, metadata, created_at,
                                origin_region, receipt_status, version, request_hash, projected_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (transaction_id) DO UPDATE
        SET receipt_status = EXCLUDED.receipt_status, version = EXCLUDED.version, updated_at = now()
        WHERE ledger_entries.version < EXCLUDED.version AND ledger_entries.request_hash = EXCLUDED.request_hash
    RETURNING (xmax = 0) AS inserted`;

export async function upsertEntry(client: ClientBase, entry: LedgerEntry, projectedBy: string): Promise<UpsertOutcome> {
    const result = await client.query<{ inserted: boolean }>(UPSERT, [
        entry.transactionId,
        entry.amountMinor,
        entry.currency,
        entry.merchantId,
        entry.reference,
        entry.metadata === null ? null : JSON.stringify(entry.metadata),
        entry.createdAt,
        entry.originRegion,
        entry.receiptStatus,
        entry.version,
        entry.requestHash,
        projectedBy,
    ]);
    if (result.rows.length === 1) {
        return result.rows[0].inserted ? "inserted" : "updated";
    }
    // Nothing written: the same or an older version (a duplicate or a late replica), or different content.
    const stored = await client.query<{ request_hash: string }>("SELECT request_hash FROM ledger_entries WHERE transaction_id = $1", [entry.transactionId]);
    return stored.rows[0]?.request_hash === entry.requestHash ? "unchanged" : "conflict";
}

/** Keeps a record the projector cannot turn into an entry, once per stream event. True if newly kept. */
export async function recordReject(client: ClientBase, eventId: string, reason: string, record: unknown, region: string): Promise<boolean> {
    const result = await client.query(
        "INSERT INTO ledger_rejects (event_id, reason, record, region) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING",
        [eventId, reason, JSON.stringify(record), region],
    );
    return result.rowCount === 1;
}
