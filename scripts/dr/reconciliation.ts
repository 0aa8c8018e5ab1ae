import { QueryCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { CREATED_AT_ATTRIBUTE, DAY_SHARD_ATTRIBUTE, DAY_SHARDS, dayShardKey } from "../../contracts/day-index";
import type { RegionRole } from "../../components/shared/naming";
import {
    acceptedVersions,
    FINDING_KINDS,
    isItemRow,
    isVersionRow,
    receiptAction,
    receiptProblem,
    tableFindings,
    type Finding,
    type IndexedRow,
    type RegionRows,
} from "./reconcile-findings";

export { FINDING_KINDS, type Finding, type FindingKind } from "./reconcile-findings";

/**
 * Compares the two regions for the transactions created in a window, through each region's day index, which holds
 * the transaction items and (eventual mode) each region's version of them: what is missing in one region, which
 * transactions have two accepted versions (the same key accepted in both regions: a conflict that last-writer-wins
 * would hide, seen before and after replication converged), and whether each version's receipt is in both buckets
 * with the right contents (reconcile-findings.ts decides).
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

async function queryPartition(
    stores: Pick<RegionStores, "dynamodb" | "tableName">,
    indexName: string,
    partition: string,
    since: string,
    until: string,
): Promise<IndexedRow[]> {
    const found: IndexedRow[] = [];
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
            // An index always projects the table's keys: `sk` tells a transaction item from a version.
            const item = unmarshall(raw);
            found.push({
                id: String(item.id),
                sk: String(item.sk),
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

/** Every row of the window in one region (each day's shards of the day index), grouped by transaction id. */
export async function transactionsIn(
    stores: Pick<RegionStores, "dynamodb" | "tableName">,
    input: Pick<ReconcileInput, "indexName" | "since" | "until" | "concurrency">,
): Promise<Map<string, RegionRows>> {
    const since = input.since.toISOString();
    const until = input.until.toISOString();
    const partitions = daysBetween(input.since, input.until).flatMap((day) => Array.from({ length: DAY_SHARDS }, (_, shard) => dayShardKey(day, shard)));
    const pages = await inBatches(partitions, input.concurrency ?? 8, (partition) => queryPartition(stores, input.indexName, partition, since, until));
    const byId = new Map<string, { item?: IndexedRow; versions: IndexedRow[] }>();
    for (const row of pages.flat()) {
        const entry = byId.get(row.id) ?? { versions: [] };
        if (isItemRow(row)) {
            entry.item = row;
        } else if (isVersionRow(row)) {
            entry.versions.push(row);
        }
        byId.set(row.id, entry);
    }
    return byId;
}

function isNotFound(error: unknown): boolean {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e?.name === "NotFound" || e?.name === "NoSuchKey" || e?.$metadata?.httpStatusCode === 404;
}

/** The receipt's text, or undefined when the bucket has no such key. */
async function readReceipt(stores: RegionStores, key: string): Promise<string | undefined> {
    try {
        const object = await stores.s3.send(new GetObjectCommand({ Bucket: stores.bucketName, Key: key }));
        return (await object.Body?.transformToString("utf8")) ?? "";
    } catch (error) {
        if (isNotFound(error)) {
            return undefined;
        }
        throw error;
    }
}

const other = (role: RegionRole): RegionRole => (role === "primary" ? "secondary" : "primary");

export async function reconcile(input: ReconcileInput): Promise<ReconcileReport> {
    const { stores } = input;
    const [primary, secondary] = await Promise.all([transactionsIn(stores.primary, input), transactionsIn(stores.secondary, input)]);
    const regions = { primary: stores.primary.region, secondary: stores.secondary.region };
    const findings: Finding[] = [];
    const receiptChecks: Array<{ role: RegionRole; version: IndexedRow }> = [];

    for (const id of [...new Set([...primary.keys(), ...secondary.keys()])].sort()) {
        const rows = { primary: primary.get(id), secondary: secondary.get(id) };
        findings.push(...tableFindings(id, rows, regions));
        // Every accepted version's own receipt, in both buckets.
        for (const version of acceptedVersions(rows)) {
            for (const role of ["primary", "secondary"] as const) {
                receiptChecks.push({ role, version });
            }
        }
    }

    const texts = await inBatches(receiptChecks, input.concurrency ?? 8, ({ role, version }) => readReceipt(stores[role], version.receiptKey));
    receiptChecks.forEach(({ role, version }, i) => {
        const text = texts[i];
        const problem = text === undefined ? "is missing" : receiptProblem(text, version);
        if (problem !== undefined) {
            const kind = text === undefined ? "missing-receipt" : "receipt-mismatch";
            findings.push({
                kind,
                transactionId: version.id,
                createdAt: version.createdAt,
                region: stores[role].region,
                detail: `s3://${stores[role].bucketName}/${version.receiptKey} (the ${version.region} version's receipt) ${problem}`,
                action: receiptAction(kind, stores[other(role)].bucketName),
            });
        }
    });

    findings.sort((a, b) => a.transactionId.localeCompare(b.transactionId) || FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind));
    const count = (map: Map<string, RegionRows>) => [...map.values()].filter((rows) => rows.item !== undefined).length;
    return {
        since: input.since.toISOString(),
        until: input.until.toISOString(),
        regions,
        counts: { primary: count(primary), secondary: count(secondary) },
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
