import type { RegionRole } from "../../components/shared/naming";
import { requestHashOfView } from "../../functions/transaction-processor/receipt-contents";
import { RECEIPT_SCHEMA } from "../../functions/transaction-processor/receipts";
import { TRANSACTION_SORT_KEY, type TransactionView } from "../../functions/transaction-processor/transactions";
import { VERSION_SORT_KEY_PREFIX } from "../../functions/transaction-processor/versions";

/**
 * What the reconciliation concludes for one transaction id from the rows both regions' day indexes return: the
 * transaction item (`sk = TXN`, last writer wins across regions) and, in eventual mode, each accepting region's
 * version (`sk = VERSION#<region>`, never overwritten by the other region, so both survive convergence). Pure: the
 * reads live in reconciliation.ts.
 */

export const FINDING_KINDS = ["missing-in-primary", "missing-in-secondary", "conflict", "missing-receipt", "receipt-mismatch"] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
    readonly kind: FindingKind;
    readonly transactionId: string;
    readonly createdAt: string;
    /** For receipt findings: the region whose bucket is concerned. */
    readonly region?: string;
    readonly detail: string;
    readonly action: string;
}

/** One row of the day index. */
export interface IndexedRow {
    readonly id: string;
    readonly sk: string;
    readonly createdAt: string;
    readonly region: string;
    readonly requestHash: string;
    readonly receiptKey: string;
}

/** What one region's index holds for an id. */
export interface RegionRows {
    readonly item?: IndexedRow;
    readonly versions: readonly IndexedRow[];
}

export const isVersionRow = (row: IndexedRow) => row.sk.startsWith(VERSION_SORT_KEY_PREFIX);
export const isItemRow = (row: IndexedRow) => row.sk === TRANSACTION_SORT_KEY;

const ROLES = ["primary", "secondary"] as const;
const other = (role: RegionRole): RegionRole => (role === "primary" ? "secondary" : "primary");

/** The fields that make a version: two rows disagreeing on any of them are two different acceptances. */
const VERSION_FIELDS = ["createdAt", "region", "requestHash", "receiptKey"] as const;
const sameVersion = (a: IndexedRow, b: IndexedRow) => VERSION_FIELDS.every((f) => a[f] === b[f]);

/**
 * Every version the regions accepted for the id, each with the receipt it must have: the version rows of both
 * regions (eventual mode); without any (strong mode, or items older than indexed versions), the distinct items.
 */
export function acceptedVersions(rows: Readonly<Record<RegionRole, RegionRows | undefined>>): IndexedRow[] {
    const accepted: IndexedRow[] = [];
    const versions = ROLES.flatMap((role) => rows[role]?.versions ?? []);
    const candidates = versions.length > 0 ? versions : ROLES.flatMap((role) => (rows[role]?.item ? [rows[role]!.item!] : []));
    for (const row of candidates) {
        if (!accepted.some((known) => sameVersion(known, row))) {
            accepted.push(row);
        }
    }
    return accepted.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.region.localeCompare(b.region));
}

/** missing-in-<role> and conflict findings of one id. */
export function tableFindings(
    id: string,
    rows: Readonly<Record<RegionRole, RegionRows | undefined>>,
    regions: Readonly<Record<RegionRole, string>>,
): Finding[] {
    const findings: Finding[] = [];
    for (const role of ROLES) {
        const there = rows[other(role)];
        const here = rows[role];
        const lacking: string[] = [];
        if (there?.item !== undefined && here?.item === undefined) {
            lacking.push(`the transaction (written in ${there.item.region})`);
        }
        for (const version of there?.versions ?? []) {
            if (!(here?.versions ?? []).some((v) => v.sk === version.sk)) {
                lacking.push(`the version ${version.sk}`);
            }
        }
        if (lacking.length > 0) {
            findings.push({
                kind: `missing-in-${role}`,
                transactionId: id,
                createdAt: (there?.item ?? there?.versions[0])!.createdAt,
                detail: `${lacking.join(" and ")} not in ${regions[role]}'s table`,
                action: `wait for table replication (ReplicationLatency toward ${regions[role]}) and re-run; if it stays missing, the replica there is not receiving writes`,
            });
        }
    }
    const accepted = acceptedVersions(rows);
    if (accepted.length > 1) {
        const differing = VERSION_FIELDS.filter((field) => new Set(accepted.map((v) => v[field])).size > 1);
        findings.push({
            kind: "conflict",
            transactionId: id,
            createdAt: accepted[0].createdAt,
            detail:
                `${accepted.length} versions accepted: ` +
                accepted.map((v) => `${v.region} (requestHash ${v.requestHash.slice(0, 12)}…, ${v.createdAt}, receipt ${v.receiptKey})`).join(" ≠ ") +
                `; they differ in ${differing.join(", ")}`,
            action:
                "the same Idempotency-Key was accepted in both regions with different bodies, and both clients got a 2xx: settle it with the merchant " +
                "(GET /transactions/<id> shows both versions); the table keeps one (last writer wins), each version keeps its receipt",
        });
    }
    return findings;
}

/** Why a stored receipt is not the receipt of `version`, or undefined when it is. */
export function receiptProblem(text: string, version: IndexedRow): string | undefined {
    let document: { schema?: unknown; transaction?: Partial<TransactionView> };
    try {
        document = JSON.parse(text) as typeof document;
    } catch {
        return "is not JSON";
    }
    const view = document?.transaction;
    if (document?.schema !== RECEIPT_SCHEMA || typeof view !== "object" || view === null) {
        return `is not a ${RECEIPT_SCHEMA} receipt`;
    }
    const problems: string[] = [];
    for (const field of ["id", "region", "createdAt"] as const) {
        const wanted = field === "id" ? version.id : version[field];
        if (view[field] !== wanted) {
            problems.push(`${field} ${JSON.stringify(view[field])}, the table says ${JSON.stringify(wanted)}`);
        }
    }
    let hash: string | undefined;
    try {
        hash = requestHashOfView(view as TransactionView);
    } catch {
        hash = undefined;
    }
    if (hash !== version.requestHash) {
        problems.push("its amount, currency, merchant, reference or metadata differ from the accepted request");
    }
    return problems.length === 0 ? undefined : `holds another transaction: ${problems.join("; ")}`;
}

/** The actions for receipt findings, by kind. */
export function receiptAction(kind: "missing-receipt" | "receipt-mismatch", otherBucket: string): string {
    return kind === "missing-receipt"
        ? `copy it from s3://${otherBucket} if it is there and matches (documents replication), or have the client retry with the same ` +
              "Idempotency-Key and body: every replay rewrites its version's receipt"
        : "a replay with the same Idempotency-Key and body rewrites it from the table (the table is the system of record); " +
              "if none comes, have the client retry, and find who wrote the object (the bucket's versions keep the older one)";
}
