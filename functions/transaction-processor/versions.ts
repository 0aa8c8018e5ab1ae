import { receiptKeyFor } from "./receipt-key";
import { CorruptTransactionError, type TransactionItem, type TransactionView } from "./transaction-item";

/**
 * Eventual consistency only: each Region's own record of the version it accepted (`sk = VERSION#<region>`, in the
 * transaction's partition beside `sk = TXN`). A global table resolves two Regions' writes of the transaction item
 * by last writer wins, but no Region ever writes another Region's version item, so both versions survive
 * replication: a key accepted in two Regions with different bodies stays recoverable and is detected on the next
 * read or retry of that transaction.
 */

export const VERSION_SORT_KEY_PREFIX = "VERSION#";

export interface VersionItem {
    readonly pk: string;
    readonly sk: string;
    readonly id: string;
    readonly region: string;
    readonly merchantId: string;
    readonly idempotencyKeyHash: string;
    readonly requestHash: string;
    readonly createdAt: string;
    /** The exact JSON this Region answered with (201), so a replay of this version is byte-identical. */
    readonly answer: string;
    /** This version's own receipt; absent on versions written before receipts were per version (the shared key). */
    readonly receiptKey?: string;
    /** The day index's partition: versions are indexed, so reconciliation sees both after replication converged. */
    readonly createdDayShard?: string;
}

export function versionOf(item: TransactionItem, view: TransactionView): VersionItem {
    return {
        pk: item.pk,
        sk: `${VERSION_SORT_KEY_PREFIX}${item.region}`,
        id: item.id,
        region: item.region,
        merchantId: item.merchantId,
        idempotencyKeyHash: item.idempotencyKeyHash,
        requestHash: item.requestHash,
        createdAt: item.createdAt,
        answer: JSON.stringify(view),
        receiptKey: item.receiptKey,
        ...(item.createdDayShard === undefined ? {} : { createdDayShard: item.createdDayShard }),
    };
}

/** Where this version's receipt lives. */
export function versionReceiptKey(version: VersionItem): string {
    return version.receiptKey ?? receiptKeyFor(version.id, version.createdAt);
}

/** Checks a raw version item before anything is built from it. */
export function parseVersion(id: string, raw: Record<string, unknown>): VersionItem {
    for (const name of ["region", "merchantId", "idempotencyKeyHash", "requestHash", "createdAt", "answer"]) {
        if (typeof raw[name] !== "string") {
            throw new CorruptTransactionError(id, `version ${String(raw.sk)}: ${name} is not a string`);
        }
    }
    if (raw.receiptKey !== undefined && typeof raw.receiptKey !== "string") {
        throw new CorruptTransactionError(id, `version ${String(raw.sk)}: receiptKey is not a string`);
    }
    if (raw.id !== id || raw.sk !== `${VERSION_SORT_KEY_PREFIX}${String(raw.region)}`) {
        throw new CorruptTransactionError(id, `version ${String(raw.sk)}: id or sk does not match`);
    }
    return raw as unknown as VersionItem;
}

/** More than one distinct body among the versions: the key was accepted in two Regions, differently. */
export function isConflict(versions: readonly VersionItem[]): boolean {
    return new Set(versions.map((version) => version.requestHash)).size > 1;
}

/** The versions' answers, oldest first (then by Region): what each Region told its client. */
export function versionAnswers(versions: readonly VersionItem[]): TransactionView[] {
    return [...versions]
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.region.localeCompare(b.region))
        .map((version) => JSON.parse(version.answer) as TransactionView);
}
