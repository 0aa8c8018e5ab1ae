import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";

/** A transaction item as the transaction processor stores it (see functions/transaction-processor/transactions.ts). */
export function transactionItem(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    // Digits mapped onto letters: a valid id (txn_ + 26 of a-z2-7) that is unique per n.
    const id = `txn_${String(n)
        .padStart(26, "0")
        .replace(/\d/g, (d) => "abcdefghij"[Number(d)])}`;
    return {
        pk: `TXN#${id}`,
        sk: "TXN",
        id,
        status: "ACCEPTED",
        amount: 1250 + n,
        currency: "EUR",
        merchantId: "merchant_42",
        reference: "order 1001",
        metadata: { channel: "web" },
        createdAt: "2026-11-23T18:17:43.556Z",
        region: "us-east-1",
        requestHash: `hash-${n}`,
        idempotencyKeyHash: `key-${n}`,
        receiptKey: `receipts/ab/2026/11/23/${id}.json`,
        receiptStatus: "PENDING",
        ...overrides,
    };
}

/** DynamoDB's wire format for the attribute types our items use. */
export function marshal(value: unknown): AttributeValue {
    if (value === null) {
        return { NULL: true };
    }
    if (typeof value === "string") {
        return { S: value };
    }
    if (typeof value === "number") {
        return { N: String(value) };
    }
    if (typeof value === "boolean") {
        return { BOOL: value };
    }
    if (typeof value === "object") {
        return {
            M: Object.fromEntries(
                Object.entries(value as object)
                    .filter(([, v]) => v !== undefined)
                    .map(([k, v]) => [k, marshal(v)]),
            ),
        };
    }
    throw new Error(`cannot marshal ${typeof value}`);
}

let sequence = 1000;

/** A stream record of `item` as Lambda delivers it from a NEW_AND_OLD_IMAGES stream in `region`. */
export function streamRecord(
    item: Record<string, unknown>,
    options: { eventName?: "INSERT" | "MODIFY" | "REMOVE"; region?: string; eventId?: string; image?: Record<string, AttributeValue> } = {},
): DynamoDBRecord {
    const seq = String(++sequence).padStart(21, "0");
    const region = options.region ?? "us-east-1";
    const image = options.image ?? (marshal(item).M as Record<string, AttributeValue>);
    return {
        eventID: options.eventId ?? `event-${seq}`,
        eventName: options.eventName ?? "INSERT",
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: region,
        eventSourceARN: `arn:aws:dynamodb:${region}:123456789012:table/transactions-table-dev-abc123/stream/2026-01-01T00:00:00.000`,
        dynamodb: {
            ApproximateCreationDateTime: 1_764_000_000,
            Keys: { pk: { S: String(item.pk) }, sk: { S: String(item.sk) } },
            NewImage: options.eventName === "REMOVE" ? undefined : image,
            SequenceNumber: seq,
            SizeBytes: 512,
            StreamViewType: "NEW_AND_OLD_IMAGES",
        },
    };
}

export function streamEvent(...records: DynamoDBRecord[]): DynamoDBStreamEvent {
    return { Records: records };
}
