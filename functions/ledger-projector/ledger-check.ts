import type { AttributeValue as StreamAttributeValue } from "aws-lambda";
import type { ClientBase } from "pg";
import { parseStreamRecord, type LedgerEntry } from "./records";
import { upsertEntry, type UpsertOutcome } from "./store";

/**
 * The ledger against the table, its system of record. After an unplanned Aurora failover the new writer may lack
 * entries the old one acknowledged (Aurora global database replication is asynchronous), and the projector never
 * sees them again: the stream position moved past them. `checkLedger` finds the difference for a window; `reproject`
 * writes the table's transactions again through the projector's own parser and idempotent upsert, so a re-run, or the
 * projector catching up at the same time, changes nothing twice.
 */

export const LEDGER_FINDING_KINDS = ["missing-in-ledger", "ledger-behind", "ledger-differs", "not-in-table"] as const;
export type LedgerFindingKind = (typeof LEDGER_FINDING_KINDS)[number];

export interface LedgerFinding {
    readonly kind: LedgerFindingKind;
    readonly transactionId: string;
    readonly detail: string;
}

/** A transaction item as DynamoDB returns it (GetItem/Query, AttributeValue form). */
export type TableImage = Record<string, StreamAttributeValue>;

/** The ledger entry the projector makes of a table item, or why it makes none. */
export function entryOf(image: TableImage): { entry?: LedgerEntry; problem?: string } {
    const parsed = parseStreamRecord({ eventName: "INSERT", dynamodb: { Keys: { pk: image.pk, sk: image.sk }, NewImage: image } });
    if (parsed.kind === "entry") {
        return { entry: parsed.entry };
    }
    return { problem: parsed.reason };
}

interface LedgerRow {
    readonly transaction_id: string;
    readonly request_hash: string;
    readonly version: number;
}

/** Compares the table's transactions of `[since, until]` with the ledger's entries created in the same window. */
export async function checkLedger(client: ClientBase, images: readonly TableImage[], since: Date, until: Date): Promise<LedgerFinding[]> {
    const rows = await client.query<LedgerRow>("SELECT transaction_id, request_hash, version FROM ledger_entries WHERE created_at BETWEEN $1 AND $2", [
        since.toISOString(),
        until.toISOString(),
    ]);
    const ledger = new Map(rows.rows.map((row) => [row.transaction_id, row]));
    const findings: LedgerFinding[] = [];
    const inTable = new Set<string>();
    for (const image of images) {
        const { entry, problem } = entryOf(image);
        if (entry === undefined) {
            findings.push({ kind: "ledger-differs", transactionId: String(image.id?.S), detail: `the table item cannot be projected: ${problem}` });
            continue;
        }
        inTable.add(entry.transactionId);
        const row = ledger.get(entry.transactionId);
        if (row === undefined) {
            findings.push({
                kind: "missing-in-ledger",
                transactionId: entry.transactionId,
                detail: `created ${entry.createdAt} in ${entry.originRegion}, not in the ledger`,
            });
        } else if (row.request_hash !== entry.requestHash) {
            findings.push({
                kind: "ledger-differs",
                transactionId: entry.transactionId,
                detail: `the ledger holds another request (hash ${row.request_hash.slice(0, 12)}…) than the table (${entry.requestHash.slice(0, 12)}…)`,
            });
        } else if (row.version < entry.version) {
            findings.push({
                kind: "ledger-behind",
                transactionId: entry.transactionId,
                detail: `ledger version ${row.version}, the table's receipt status ${entry.receiptStatus} is version ${entry.version}`,
            });
        }
    }
    for (const id of ledger.keys()) {
        if (!inTable.has(id)) {
            findings.push({ kind: "not-in-table", transactionId: id, detail: "in the ledger, not among the table's transactions of the window" });
        }
    }
    return findings.sort((a, b) => a.transactionId.localeCompare(b.transactionId));
}

export type ReprojectCounts = Readonly<Record<UpsertOutcome | "unprojectable", number>>;

/** Writes every table transaction into the ledger again (idempotent); `projectedBy` names who did it. */
export async function reproject(client: ClientBase, images: readonly TableImage[], projectedBy: string): Promise<ReprojectCounts> {
    const counts: Record<UpsertOutcome | "unprojectable", number> = { inserted: 0, updated: 0, unchanged: 0, conflict: 0, unprojectable: 0 };
    for (const image of images) {
        const { entry } = entryOf(image);
        if (entry === undefined) {
            counts.unprojectable += 1;
            continue;
        }
        counts[await upsertEntry(client, entry, projectedBy)] += 1;
    }
    return counts;
}
