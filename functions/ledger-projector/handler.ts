import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import type { ClientBase } from "pg";
import { errorFields, log } from "../transaction-processor/log";
import { parseStreamRecord } from "./records";
import { recordReject, upsertEntry, UpsertOutcome } from "./store";

import { REJECTED_RECORD_EVENT } from "../../contracts/ledger-schema";
export { REJECTED_RECORD_EVENT };

export interface ProjectorDeps {
    /** A connected client to the ledger's writer; the projector calls `release(broken)` after each batch. */
    readonly connect: () => Promise<ClientBase>;
    /** Drops the connection (`broken`: after an error, so the next batch reconnects, e.g. to a new writer). */
    readonly release: (broken: boolean) => Promise<void>;
    /** This projector's region: written as `projected_by` and on rejects. */
    readonly region: string;
}

export interface BatchSummary {
    readonly outcomes: Readonly<Record<UpsertOutcome | "rejected" | "skipped", number>>;
}

/**
 * Projects a batch of stream records in order. A record the ledger cannot hold (malformed, or conflicting
 * with the stored entry) is kept in `ledger_rejects` and logged for the alarm, and the batch goes on; a
 * database failure stops the batch at that record and reports it (ReportBatchItemFailures), so Lambda
 * retries from there and, after its retries, sends the batch's position to the on-failure destination.
 */
export function createProjector(deps: ProjectorDeps) {
    return async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse & BatchSummary> {
        const outcomes = { inserted: 0, updated: 0, unchanged: 0, conflict: 0, rejected: 0, skipped: 0 };
        let client: ClientBase | undefined;
        let broken = false;
        try {
            for (const record of event.Records) {
                try {
                    const parsed = parseStreamRecord(record);
                    if (parsed.kind === "skip") {
                        outcomes.skipped++;
                        continue;
                    }
                    client ??= await deps.connect();
                    if (parsed.kind === "malformed") {
                        await reject(client, record, parsed.reason, deps.region);
                        outcomes.rejected++;
                        continue;
                    }
                    const outcome = await upsertEntry(client, parsed.entry, deps.region);
                    outcomes[outcome]++;
                    if (outcome === "conflict") {
                        await reject(client, record, "conflicting content for an existing transaction (different request hash)", deps.region);
                    }
                } catch (error) {
                    broken = true;
                    log("error", "ledger write failed; Lambda retries from this record", {
                        eventId: record.eventID,
                        sequenceNumber: record.dynamodb?.SequenceNumber,
                        ...errorFields(error),
                    });
                    return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? "" }], outcomes };
                }
            }
            log("info", "ledger batch projected", { region: deps.region, records: event.Records.length, ...outcomes });
            return { batchItemFailures: [], outcomes };
        } finally {
            if (client) {
                await deps.release(broken);
            }
        }
    };
}

async function reject(client: ClientBase, record: DynamoDBRecord, reason: string, region: string): Promise<void> {
    const eventId = record.eventID ?? `${record.eventSourceARN ?? "unknown"}#${record.dynamodb?.SequenceNumber ?? "unknown"}`;
    const fresh = await recordReject(client, eventId, reason, record, region);
    // Ids and reasons only: the record (amounts, metadata) stays in the database.
    log("error", REJECTED_RECORD_EVENT, { event: REJECTED_RECORD_EVENT, eventId, reason, firstTime: fresh });
}
