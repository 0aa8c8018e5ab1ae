/**
 * The relational ledger's recovery figures: lag-alarm thresholds derived from `rpoTargetMinutes`, and the
 * ledger's RPO/RTO for the computed objectives. Pure.
 *
 * AWS (Aurora User Guide, "Amazon CloudWatch metrics for Amazon Aurora"): `AuroraGlobalDBReplicationLag` and
 * `AuroraGlobalDBRPOLag` are reported by the secondary cluster, per `DBClusterIdentifier`, in MILLISECONDS.
 * A threshold written as 300 means 300 ms, not 5 minutes: every threshold here is computed in ms.
 */
import type { StoreObjective } from "../shared/objective-types";

export const MS_PER_MINUTE = 60_000;
/** Storage replication slower than this is abnormal (it is normally well under a second), whatever the target. */
export const AURORA_REPLICATION_LAG_CEILING_MS = 60_000;
/**
 * AWS: a managed failover of a global database typically promotes the secondary within a minute ("Using
 * switchover or failover in Amazon Aurora Global Database"); it is an operator's decision, never automatic.
 */
export const AURORA_FAILOVER_SECONDS = 60;
/** Our allowance for the on-call engineer to confirm a regional loss and start the failover. */
export const LEDGER_DECISION_ALLOWANCE_SECONDS = 300;

export interface LedgerLagThresholds {
    /** `AuroraGlobalDBRPOLag` alarm: half the RPO target, so the page leaves half the budget to act. */
    readonly rpoLagMs: number;
    /** `AuroraGlobalDBReplicationLag` alarm: 60 s, or half the target when that is smaller. */
    readonly replicationLagMs: number;
}

export function ledgerLagThresholds(rpoTargetMinutes: number): LedgerLagThresholds {
    const halfTargetMs = (rpoTargetMinutes * MS_PER_MINUTE) / 2;
    return { rpoLagMs: halfTargetMs, replicationLagMs: Math.min(AURORA_REPLICATION_LAG_CEILING_MS, halfTargetMs) };
}

/** The ledger's RPO line for the computed objectives. */
export function ledgerRpoObjective(rpoTargetMinutes: number): StoreObjective {
    const t = ledgerLagThresholds(rpoTargetMinutes);
    return {
        store: "Aurora global database (ledger_entries; re-projectable from the table's streams for 24 h)",
        worstCaseSeconds: t.rpoLagMs / 1000,
        basis: "storage-level replication, typically under 1 s; bounded operationally by the RPO-lag alarm; a planned switchover loses nothing",
        watchedBy: `AuroraGlobalDBRPOLag maximum >= ${t.rpoLagMs} ms and AuroraGlobalDBReplicationLag maximum >= ${t.replicationLagMs} ms`,
        targetSeconds: rpoTargetMinutes * 60,
    };
}

export interface LedgerRto {
    readonly rtoSeconds: number;
    readonly basis: string;
}

/** The ledger's own RTO: it is off the API's path (projectors catch up from the streams), so it has no target of its own. */
export function ledgerRto(): LedgerRto {
    return {
        rtoSeconds: LEDGER_DECISION_ALLOWANCE_SECONDS + AURORA_FAILOVER_SECONDS,
        basis:
            `${LEDGER_DECISION_ALLOWANCE_SECONDS} s operator decision (allowance) + ${AURORA_FAILOVER_SECONDS} s managed failover ` +
            "(AWS: typically within a minute); the API keeps serving meanwhile and projectors replay the stream afterwards",
    };
}
