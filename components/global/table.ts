import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DAY_INDEX_NAME, DAY_INDEX_PROJECTION, DAY_SHARD_ATTRIBUTE, CREATED_AT_ATTRIBUTE } from "../../contracts/day-index";
import { strongTableProblems } from "./consistency";
import { ConsistencyGuard } from "./consistency-guard";
import type { GlobalLayerScope } from "./global-layer-args";
import { REGION_ROLES, RegionRole } from "../shared/naming";
import { FINISHER_MAX_RECORD_AGE_SECONDS, FINISHER_MAX_RETRY_ATTEMPTS, finisherFilterPattern } from "../regional/receipt-finisher";
import { TABLE_STREAM_VIEW_TYPE, tableStreamArns } from "./table-streams";

export interface GlobalTable {
    readonly table: aws.dynamodb.Table;
    /** Each region's stream of the table (the home table's and the replica's). */
    readonly streamArns: Record<RegionRole, pulumi.Output<string>>;
}

/**
 * The DynamoDB global table (version 2019.11.21: a table with replicas), the system of record, with its
 * ConsistencyGuard, the replica's tags, and each region's receipt finisher on that region's stream.
 */
export function createGlobalTable(scope: GlobalLayerScope): GlobalTable {
    const { name, a, inRegion } = scope;
    const { stacks } = a;
    const isProd = a.protectData;
    // `strong`: multi-Region strong consistency (MRSC), the replica and a witness in one Region set (validated
    // in components/global/consistency.ts); a write is acknowledged once a second Region has it, so RPO 0. The mode is
    // fixed when the table is created. `eventual`: asynchronous replication, last writer wins.
    const { consistency } = a;
    const strong = consistency.mode === "strong";
    // TTL is for eventual mode only (MRSC refuses it); transactions never get an expiresAt either way.
    const ttl = strong ? undefined : { attributeName: "expiresAt", enabled: true };
    const mrscProblems = strong ? strongTableProblems({ ttlEnabled: ttl !== undefined, localSecondaryIndexes: 0, usesTransactions: false }) : [];
    if (mrscProblems.length > 0) {
        throw new pulumi.RunError(`the transactions table cannot be multi-Region strongly consistent: ${mrscProblems.join("; ")}`);
    }
    // Every program composing this layer gets the guard: a `consistency` change on a deployed table fails with our
    // message before any step of the table. It shipped as a resource of index.ts at the stack's root: the alias
    // keeps that one.
    const guard = new ConsistencyGuard(
        `${name}-consistency-guard`,
        { consistency: consistency.mode, tableName: a.tableName },
        { parent: scope.layer, aliases: [{ name: "consistency-guard", parent: pulumi.rootStackResource }] },
    );
    const table = new aws.dynamodb.Table(
        `${name}-transactions-table`,
        {
            name: a.tableName,
            billingMode: "PAY_PER_REQUEST",
            hashKey: "pk",
            rangeKey: "sk",
            attributes: [
                { name: "pk", type: "S" },
                { name: "sk", type: "S" },
                { name: DAY_SHARD_ATTRIBUTE, type: "S" },
                { name: CREATED_AT_ATTRIBUTE, type: "S" },
            ],
            // Transactions by creation time, for the reconciliation report (day-index.ts: why sharded, why a GSI).
            globalSecondaryIndexes: [
                {
                    name: DAY_INDEX_NAME,
                    hashKey: DAY_SHARD_ATTRIBUTE,
                    rangeKey: CREATED_AT_ATTRIBUTE,
                    projectionType: "INCLUDE",
                    nonKeyAttributes: [...DAY_INDEX_PROJECTION],
                },
            ],
            // Replicas require streams with both images.
            streamEnabled: true,
            streamViewType: TABLE_STREAM_VIEW_TYPE,
            ttl,
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true, kmsKeyArn: stacks.primary.keyArn },
            // Replicas inherit neither PITR nor the key: each gets its own, from its own region.
            replicas: [
                {
                    regionName: stacks.secondary.region,
                    kmsKeyArn: stacks.secondary.keyArn,
                    pointInTimeRecovery: true,
                    // Not propagated: the table's tags are the primary region's (RegionRole: primary). The
                    // replica gets its own region's tags below.
                    propagateTags: false,
                    deletionProtectionEnabled: a.deletionProtection,
                    consistencyMode: strong ? "STRONG" : undefined,
                },
            ],
            // The third Region of an MRSC table: it takes part in the write quorum and holds no readable replica.
            globalTableWitness: consistency.mode === "strong" ? { regionName: consistency.witnessRegion } : undefined,
            deletionProtectionEnabled: a.deletionProtection,
            warmThroughput: a.warmThroughput,
        },
        inRegion("primary", {
            dependsOn: [guard, ...(a.tableDependsOn ?? [])],
            protect: isProd,
            retainOnDelete: isProd,
            // DynamoDB raises warm throughput by itself as traffic grows and refuses any decrease: once the
            // table exists, a lower declared value would fail every update. Config sets it at creation only
            // (raise it later with `aws dynamodb update-table --warm-throughput`; see README, "Drift").
            ignoreChanges: ["warmThroughput"],
            // AWS cannot change a global table's consistency mode: a change shows as a replacement, which prod's
            // `protect` refuses and which elsewhere fails creating the same table name before anything is deleted.
            replaceOnChanges: ["replicas[*].consistencyMode", "globalTableWitness"],
        }),
    );
    const replicaArn = table.replicas.apply((replicas) => replicas?.find((r) => r.regionName === stacks.secondary.region)?.arn ?? "");
    for (const [key, value] of Object.entries(a.replicaTags)) {
        new aws.dynamodb.Tag(`${name}-replica-tag-${key.toLowerCase()}`, { resourceArn: replicaArn, key, value }, inRegion("secondary"));
    }
    // Read in each region; a missing stream stops the program (table-streams.ts).
    const streamArns = tableStreamArns(name, table, { primary: stacks.primary.region, secondary: stacks.secondary.region }, scope.layer);

    // --- Receipt finishers: each region's finisher reads its own replica's stream (only PENDING items written
    // there pass the filter). Records it keeps failing go to the region's DLQ, which is what makes that queue real.
    for (const role of REGION_ROLES) {
        new aws.lambda.EventSourceMapping(
            `${name}-${role}-receipt-finisher-stream`,
            {
                eventSourceArn: streamArns[role],
                functionName: stacks[role].finisherFunctionArn,
                startingPosition: "LATEST",
                batchSize: 100,
                maximumBatchingWindowInSeconds: 1,
                bisectBatchOnFunctionError: true,
                maximumRetryAttempts: FINISHER_MAX_RETRY_ATTEMPTS,
                maximumRecordAgeInSeconds: FINISHER_MAX_RECORD_AGE_SECONDS,
                functionResponseTypes: ["ReportBatchItemFailures"],
                filterCriteria: { filters: [{ pattern: finisherFilterPattern(stacks[role].region) }] },
                destinationConfig: { onFailure: { destinationArn: stacks[role].dlqArn } },
            },
            inRegion(role),
        );
    }
    return { table, streamArns };
}
