import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { createClients } from "../transaction-processor/clients";
import { configFingerprint } from "../transaction-processor/env";
import { RegionFence } from "../transaction-processor/fence";
import { readFenceConfig } from "../transaction-processor/fence-config";
import { RegionalFenceMemory } from "../transaction-processor/fence-state";
import { errorFields, log } from "../transaction-processor/log";
import { receiptFinisherFields } from "../../contracts/payment-metrics";
import { ReceiptStore } from "../transaction-processor/receipts";
import { readStoreConfig, type StoreConfig } from "../transaction-processor/store-config";
import { TransactionStore } from "../transaction-processor/transactions";

/**
 * receipt-finisher: completes receipts the request path left PENDING (S3 failed, the table's STORED update failed,
 * the invocation died between the two), without waiting for a client retry. It reads this region's table stream
 * (the event source mapping passes only INSERTs of PENDING items written in this region), and for each item still
 * PENDING stores the receipt (the same conditional, compared write as the request path, so racing it is harmless)
 * and marks it STORED. A record it cannot complete is reported as a batch item failure: Lambda retries from there,
 * the stream's iterator age grows (the PENDING-age alarm), and after the retries the record goes to the on-failure
 * queue (the DLQ alarm).
 *
 * In a fenced region (the primary after a takeover, the same takeover authority as the processor's fence) it completes
 * nothing: a PENDING item there was never answered 2xx (the request path answers 2xx only with a stored receipt), the
 * client retries it through the standby, and a STORED update from here could win last-writer-wins over the version
 * the standby answered. The records are skipped, logged with their ids; a replay repairs any that the standby never got.
 */

interface FinisherRuntime {
    readonly config: StoreConfig;
    readonly transactions: TransactionStore;
    readonly receipts: ReceiptStore;
    /** Present in the fenced region (the primary). */
    readonly fence?: RegionFence;
}

let current: { readonly fingerprint: string; readonly runtime: FinisherRuntime } | undefined;

function runtimeFor(env: NodeJS.ProcessEnv): FinisherRuntime {
    const fingerprint = configFingerprint(env);
    if (current?.fingerprint !== fingerprint) {
        const read = readStoreConfig(env);
        const problems = read.ok ? [] : [...read.problems];
        const fence = readFenceConfig(env, problems);
        if (!read.ok || problems.length > 0) {
            // Fails the whole batch: Lambda retries it, and the DLQ receives it if the configuration stays broken.
            throw new Error(`invalid configuration: ${problems.join("; ")}`);
        }
        const clients = createClients(read.config);
        current?.runtime.fence?.destroy();
        current = {
            fingerprint,
            runtime: {
                config: read.config,
                transactions: new TransactionStore(clients.dynamo, read.config.tableName),
                receipts: new ReceiptStore(clients.s3, read.config.bucketName, read.config.kmsKeyId),
                ...(fence ? { fence: RegionFence.create(fence, new RegionalFenceMemory(clients.dynamo, read.config.tableName, read.config.appRegion)) } : {}),
            },
        };
    }
    return current.runtime;
}

/** The transaction id of an INSERT of a PENDING transaction written in `region`, else undefined. */
export function pendingTransactionId(record: DynamoDBRecord, region: string): string | undefined {
    const image = record.dynamodb?.NewImage;
    const pk = image?.pk?.S;
    if (record.eventName !== "INSERT" || image?.sk?.S !== "TXN" || pk === undefined || !pk.startsWith("TXN#")) {
        return undefined;
    }
    return image.receiptStatus?.S === "PENDING" && image.region?.S === region ? pk.slice("TXN#".length) : undefined;
}

/** Completes one item if it is still PENDING; the age (s) it had been PENDING, or undefined when there was nothing to do. */
async function complete(runtime: FinisherRuntime, id: string): Promise<number | undefined> {
    const item = await runtime.transactions.get(id);
    if (item === undefined || item.receiptStatus === "STORED") {
        return undefined;
    }
    await runtime.receipts.put(item);
    const now = Date.now();
    await runtime.transactions.markReceiptStored(id, new Date(now).toISOString());
    return Math.max(0, Math.round((now - Date.parse(item.createdAt)) / 1000));
}

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const runtime = runtimeFor(process.env);
    const records = (event.Records ?? []).flatMap((record) => {
        const id = pendingTransactionId(record, runtime.config.appRegion);
        return id === undefined ? [] : [{ record, id }];
    });
    const fence = records.length > 0 ? await runtime.fence?.state() : undefined;
    if (fence?.fenced) {
        log("warn", "receipt finisher fenced: records left PENDING", {
            pending: records.length,
            source: fence.source,
            transactionIds: records.map(({ id }) => id).join(","),
        });
        return { batchItemFailures: [] };
    }
    const outcomes = await Promise.allSettled(records.map(({ id }) => complete(runtime, id)));
    const ages = outcomes.flatMap((o) => (o.status === "fulfilled" && o.value !== undefined ? [o.value] : []));
    // Lambda resumes from the first failed record; everything after it is retried too (and is idempotent).
    const firstFailure = outcomes.findIndex((o) => o.status === "rejected");
    if (firstFailure >= 0) {
        const reason = (outcomes[firstFailure] as PromiseRejectedResult).reason;
        log("warn", "receipt not completed; the batch is retried from this record", { transactionId: records[firstFailure].id, ...errorFields(reason) });
    }
    log(
        "info",
        "receipt finisher batch",
        {
            records: event.Records?.length ?? 0,
            pending: records.length,
            completed: ages.length,
            failed: outcomes.filter((o) => o.status === "rejected").length,
        },
        receiptFinisherFields(runtime.config.appRegion, ages.length, ages.length === 0 ? 0 : Math.max(...ages)),
    );
    return { batchItemFailures: firstFailure >= 0 ? [{ itemIdentifier: records[firstFailure].record.dynamodb?.SequenceNumber ?? "" }] : [] };
}
