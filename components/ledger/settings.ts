/**
 * The optional relational ledger's settings, as the components take them (the program parses them from its config
 * in program/ledger-config.ts).
 */
import type { RegionRole } from "../shared/naming";

export const LEDGER_MODES = ["none", "aurora-global"] as const;
export type LedgerMode = (typeof LEDGER_MODES)[number];

/** Aurora Serverless v2 instances are this class; anything else is a provisioned class. */
export const SERVERLESS_INSTANCE_CLASS = "db.serverless";
/** Serverless v2 capacity: 0.5-256 ACUs in steps of 0.5 (AWS: "Aurora Serverless v2 capacity"). */
export const MIN_ACU = 0.5;
export const MAX_ACU = 256;

/** What the ledger needs when it is on. */
export interface AuroraLedgerSettings {
    readonly mode: "aurora-global";
    /** Each region's VPC block; never overlapping, or the peering could not route. */
    readonly vpcCidrs: Readonly<Record<RegionRole, string>>;
    /** `db.serverless` (Serverless v2) or a provisioned class. */
    readonly instanceClass: string;
    readonly minCapacityAcu: number;
    readonly maxCapacityAcu: number;
    /**
     * The region whose cluster is the global database's writer now. `primary` until a switchover or failover
     * promotes the secondary; then the operator records it with `pulumi config set ledgerWriterRole secondary`.
     */
    readonly writerRole: RegionRole;
    /** Instances per regional cluster: prod keeps a second one in another AZ so a failed writer fails over in-region. */
    readonly instancesPerCluster: number;
}

export type LedgerSettings = { readonly mode: "none" } | AuroraLedgerSettings;

export function isAuroraLedger(ledger: LedgerSettings): ledger is AuroraLedgerSettings {
    return ledger.mode === "aurora-global";
}
