/** The shapes of the recovery objectives that the ledger's objectives share with the stack's (objectives.ts). */

export interface StoreObjective {
    readonly store: string;
    /** Worst case we can state, in seconds; undefined when AWS gives no bound. */
    readonly worstCaseSeconds?: number;
    readonly basis: string;
    /** What watches it: the alarm and its threshold. */
    readonly watchedBy: string;
    /** Target for this store in seconds; undefined when the store has none. */
    readonly targetSeconds?: number;
}

/** How one failover path detects a failure, and its worst case until clients resolve the other region. */
export interface FailoverPath {
    readonly detectionSeconds: number;
    readonly rtoSeconds: number;
    readonly basis: string;
}
