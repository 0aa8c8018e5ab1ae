import { QueryCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { CREATED_AT_ATTRIBUTE, DAY_SHARD_ATTRIBUTE, DAY_SHARDS, dayShardKey } from "../../functions/transaction-processor/day-index";
import type { RegionRole } from "../../components/naming";

/**
 * Compares the two regions for the transactions created in a window: what is missing in one region, what has
 * two different versions (the same id written in both regions before replication: a conflict that
 * last-writer-wins would hide), and which receipts are missing in either bucket.
 */

export interface RegionStores {
    readonly region: string;
    readonly dynamodb: DynamoDBClient;
    readonly s3: S3Client;
    readonly tableName: string;
    readonly bucketName: string;
}

export interface ReconcileInput {
    readonly stores: Readonly<Record<RegionRole, RegionStores>>;
    readonly indexName: string;
    readonly since: Date;
    readonly until: Date;
    /** Parallel requests per region. */
    readonly concurrency?: number;
}

export const FINDING_KINDS = ["missing-in-primary", "missing-in-secondary", "conflict", "receipt-missing-in-primary", "receipt-missing-in-secondary"] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
    readonly kind: FindingKind;
    readonly transactionId: string;
    readonly createdAt: string;
    readonly detail: string;
    readonly action: string;
}

export interface ReconcileReport {
    readonly since: string;
    readonly until: string;
    readonly regions: Readonly<Record<RegionRole, string>>;
    /** Transactions found in each region's table for the window. */
    readonly counts: Readonly<Record<RegionRole, number>>;
    readonly findings: readonly Finding[];
    readonly clean: boolean;
    /** 0 nothing to do, 1 something needs action. */
    readonly exitCode: 0 | 1;
}

/** What the day index returns for one transaction. */
interface IndexedTransaction {
    readonly id: string;
    readonly createdAt: string;
    readonly region: string;
    readonly requestHash: string;
    readonly receiptKey: string;
}

/** The fields that make a version: two regions disagreeing on any of them hold two different transactions. */
const VERSION_FIELDS = ["createdAt", "region", "requestHash", "receiptKey"] as const;

/** Every UTC day (YYYY-MM-DD) from `since` to `until`, inclusive. */
export function daysBetween(since: Date, until: Date): string[] {
    const days: string[] = [];
    const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
    while (day.getTime() <= until.getTime()) {
        days.push(day.toISOString().slice(0, 10));
        day.setUTCDate(day.getUTCDate() + 1);
    }
    return days;
}

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    for (let i = 0; i < items.length; i += size) {
        results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
    }
    return results;
}

async function queryPartition(stores: RegionStores, indexName: string, partition: string, since: string, until: string): Promise<IndexedTransaction[]> {
    const found: IndexedTransaction[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
        const page = await stores.dynamodb.send(
            new QueryCommand({
                TableName: stores.tableName,
                IndexName: indexName,
                KeyConditionExpression: "#p = :p AND #c BETWEEN :since AND :until",
                ExpressionAttributeNames: { "#p": DAY_SHARD_ATTRIBUTE, "#c": CREATED_AT_ATTRIBUTE },
                ExpressionAttributeValues: { ":p": { S: partition }, ":since": { S: since }, ":until": { S: until } },
                ExclusiveStartKey: startKey,
            }),
        );
        for (const raw of page.Items ?? []) {
            const item = unmarshall(raw);
            found.push({
                id: String(item.id),
                createdAt: String(item.createdAt),
                region: String(item.region),
                requestHash: String(item.requestHash),
                receiptKey: String(item.receiptKey),
            });
        }
        startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return found;
}

/** Every transaction of the window in one region: each day's shards of the day index. */
export async function transactionsIn(stores: RegionStores, input: ReconcileInput): Promise<Map<string, IndexedTransaction>> {
    const since = input.since.toISOString();
    const until = input.until.toISOString();
    const partitions = daysBetween(input.since, input.until).flatMap((day) => Array.from({ length: DAY_SHARDS }, (_, shard) => dayShardKey(day, shard)));
    const pages = await inBatches(partitions, input.concurrency ?? 8, (partition) => queryPartition(stores, input.indexName, partition, since, until));
    return new Map(pages.flat().map((t) => [t.id, t]));
}

function isNotFound(error: unknown): boolean {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e?.name === "NotFound" || e?.name === "NoSuchKey" || e?.$metadata?.httpStatusCode === 404;
}

async function receiptExists(stores: RegionStores, key: string): Promise<boolean> {
    try {
        await stores.s3.send(new HeadObjectCommand({ Bucket: stores.bucketName, Key: key }));
        return true;
    } catch (error) {
        if (isNotFound(error)) {
            return false;
        }
        throw error;
    }
}

const other = (role: RegionRole): RegionRole => (role === "primary" ? "secondary" : "primary");

export async function reconcile(input: ReconcileInput): Promise<ReconcileReport> {
    const { stores } = input;
    const [primary, secondary] = await Promise.all([transactionsIn(stores.primary, input), transactionsIn(stores.secondary, input)]);
    const findings: Finding[] = [];
    const receiptChecks: Array<{ role: RegionRole; transaction: IndexedTransaction }> = [];

    for (const id of [...new Set([...primary.keys(), ...secondary.keys()])].sort()) {
        const here = { primary: primary.get(id), secondary: secondary.get(id) };
        for (const role of ["primary", "secondary"] as const) {
            const present = here[other(role)];
            if (here[role] === undefined && present !== undefined) {
                findings.push({
                    kind: `missing-in-${role}`,
                    transactionId: id,
                    createdAt: present.createdAt,
                    detail: `written in ${present.region}, not in ${stores[role].region}'s table`,
                    action: `wait for table replication (ReplicationLatency toward ${stores[role].region}) and re-run; if it stays missing, the replica there is not receiving writes`,
                });
            }
        }
        const both = here.primary !== undefined && here.secondary !== undefined;
        if (both) {
            const differing = VERSION_FIELDS.filter((field) => here.primary![field] !== here.secondary![field]);
            if (differing.length > 0) {
                findings.push({
                    kind: "conflict",
                    transactionId: id,
                    createdAt: here.primary!.createdAt,
                    detail: differing.map((f) => `${f}: ${here.primary![f]} (primary) ≠ ${here.secondary![f]} (secondary)`).join("; "),
                    action: "the same Idempotency-Key was accepted in both regions; replication keeps one version: settle it with the merchant",
                });
            }
        }
        // Each region's receipt of the version it holds; a transaction missing in a region is reported above.
        for (const role of ["primary", "secondary"] as const) {
            const transaction = here[role] ?? here[other(role)]!;
            receiptChecks.push({ role, transaction });
        }
    }

    const exists = await inBatches(receiptChecks, input.concurrency ?? 8, ({ role, transaction }) => receiptExists(stores[role], transaction.receiptKey));
    receiptChecks.forEach(({ role, transaction }, i) => {
        if (!exists[i]) {
            findings.push({
                kind: `receipt-missing-in-${role}`,
                transactionId: transaction.id,
                createdAt: transaction.createdAt,
                detail: `s3://${stores[role].bucketName}/${transaction.receiptKey} is missing`,
                action:
                    `copy it from s3://${stores[other(role)].bucketName} if it is there (documents replication toward ${stores[role].region}), ` +
                    "or have the client retry with the same Idempotency-Key in the region that serves it",
            });
        }
    });

    findings.sort((a, b) => a.transactionId.localeCompare(b.transactionId) || FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind));
    return {
        since: input.since.toISOString(),
        until: input.until.toISOString(),
        regions: { primary: stores.primary.region, secondary: stores.secondary.region },
        counts: { primary: primary.size, secondary: secondary.size },
        findings,
        clean: findings.length === 0,
        exitCode: findings.length === 0 ? 0 : 1,
    };
}

/** The human table. */
export function renderReconcileReport(report: ReconcileReport): string {
    const lines = [
        `Reconciliation ${report.regions.primary} (primary) ↔ ${report.regions.secondary} (secondary), transactions created ${report.since} … ${report.until}`,
        `  transactions: ${report.counts.primary} in primary, ${report.counts.secondary} in secondary`,
    ];
    if (report.clean) {
        lines.push("  clean: every transaction is in both regions, with one version and both receipts");
        return `${lines.join("\n")}\n`;
    }
    const rows = [["KIND", "TRANSACTION", "CREATED", "DETAIL"], ...report.findings.map((f) => [f.kind, f.transactionId, f.createdAt, f.detail])];
    const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
    lines.push(
        "",
        ...rows.map(
            (r) =>
                `  ${r
                    .slice(0, 3)
                    .map((cell, c) => cell.padEnd(widths[c]))
                    .join("  ")}  ${r[3]}`,
        ),
    );
    lines.push("", `${report.findings.length} finding${report.findings.length === 1 ? "" : "s"} need action:`);
    for (const kind of FINDING_KINDS) {
        const first = report.findings.find((f) => f.kind === kind);
        if (first) {
            lines.push(`  ${kind} (${report.findings.filter((f) => f.kind === kind).length}): ${first.action}`);
        }
    }
    return `${lines.join("\n")}\n`;
}
