import type { AppConfig } from "./env";
import { countCrossRegionConflict } from "../../contracts/payment-metrics";
import type { TransactionRecord, TransactionView } from "./transactions";
import { isConflict, versionAnswers } from "./versions";

/**
 * Eventual consistency: one tenant's Idempotency-Key accepted by two Regions with different bodies inside the
 * replication window. Both versions are kept (versions.ts); this module reports the conflict wherever it is
 * seen: a metric (and so the regional alarm), a log line, a response header on a replay and a `conflict`
 * section on GET. Resolving it (refunding or confirming one version) is an operator's decision.
 */

export const CONFLICT_HEADER = "Transaction-Conflict";
export const CONFLICT_CODE = "CROSS_REGION_CONFLICT";

export interface ConflictSection {
    readonly code: typeof CONFLICT_CODE;
    readonly message: string;
    /** What each Region answered when it accepted the key, oldest first. */
    readonly versions: readonly TransactionView[];
}

/** Whether the record is conflicted; if so, counts it (metric + log line). */
export function reportConflict(record: TransactionRecord, config: Pick<AppConfig, "tableName">): boolean {
    if (!isConflict(record.versions)) {
        return false;
    }
    const id = record.item?.id ?? record.versions[0].id;
    countCrossRegionConflict(config.tableName, id, record.versions.map((version) => version.region).sort());
    return true;
}

export function conflictHeaders(conflicted: boolean): Record<string, string> {
    return conflicted ? { [CONFLICT_HEADER]: "true" } : {};
}

export function conflictSection(record: TransactionRecord): ConflictSection {
    return {
        code: CONFLICT_CODE,
        message:
            "this Idempotency-Key was accepted in two Regions with different bodies while they were out of touch; both " +
            "versions are kept below and the operators are alerted; the transaction shown above is the one the table kept",
        versions: versionAnswers(record.versions),
    };
}
