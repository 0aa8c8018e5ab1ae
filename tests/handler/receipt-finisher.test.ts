import { expect } from "chai";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { handler as finisher, pendingTransactionId } from "../../functions/receipt-finisher";
import { transactionIdFor } from "./support/ids";
import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { writeAuthority } from "../../functions/takeover-switch/authority";
import { invoke, newIdempotencyKey, postTransactionEvent, TEST_TENANT, validBody } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { LOCAL_REGION } from "./support/local-aws";

/** The stream record Lambda delivers for a new item (only the attributes the finisher reads). */
function insertRecord(
    id: string,
    sequence: string,
    overrides: { receiptStatus?: string; region?: string; eventName?: "INSERT" | "MODIFY" } = {},
): DynamoDBRecord {
    return {
        eventName: overrides.eventName ?? "INSERT",
        eventSource: "aws:dynamodb",
        awsRegion: LOCAL_REGION,
        dynamodb: {
            SequenceNumber: sequence,
            NewImage: {
                pk: { S: `TXN#${id}` },
                sk: { S: "TXN" },
                receiptStatus: { S: overrides.receiptStatus ?? "PENDING" },
                region: { S: overrides.region ?? LOCAL_REGION },
            },
        },
    };
}

const streamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

describe("receipt finisher (PENDING receipts completed without a client retry)", () => {
    const fixture = useHandlerFixture();

    /** A transaction the request path left PENDING: its bucket was missing when the client called, and is back now. */
    async function pendingTransaction(): Promise<{ id: string; bucket: string }> {
        const bucket = `finisher-${Date.now()}-${Math.round(Math.random() * 1e6)}`;
        fixture.env.set({ BUCKET_NAME: bucket });
        const key = newIdempotencyKey();
        expect((await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }))).status).to.equal(502);
        await fixture.aws.createBucket(bucket);
        return { id: transactionIdFor(TEST_TENANT, key), bucket };
    }

    const itemOf = (id: string) => fixture.aws.getItem(fixture.tableName, { pk: `TXN#${id}`, sk: "TXN" });

    it("stores the receipt and marks the item STORED, and reports it as a metric", async () => {
        const { id, bucket } = await pendingTransaction();
        expect((await itemOf(id))?.receiptStatus).to.equal("PENDING");
        fixture.logs.clear();

        const result = await finisher(streamEvent(insertRecord(id, "100")));

        expect(result).to.deep.equal({ batchItemFailures: [] });
        const item = await itemOf(id);
        expect(item?.receiptStatus).to.equal("STORED");
        const receipt = await fixture.aws.getObjectText(bucket, String(item?.receiptKey));
        expect(JSON.parse(receipt.text).transaction.id).to.equal(id);
        const [line] = fixture.logs.lines.filter((l) => l.message === "receipt finisher batch");
        expect(line).to.include({ pending: 1, completed: 1, failed: 0, ReceiptsCompleted: 1, Region: LOCAL_REGION });
        expect(line.CompletedPendingReceiptAgeSeconds).to.be.a("number").and.at.least(0);
        expect((line._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0].Namespace).to.equal("PaymentsDR");
    });

    it("leaves STORED items, other regions' items and updates alone", async () => {
        const created = await invoke(postTransactionEvent(validBody()));
        const id = String(created.body.id);
        const before = await itemOf(id);
        fixture.logs.clear();
        const result = await finisher(
            streamEvent(
                insertRecord(id, "1"),
                insertRecord("txn_bbbbbbbbbbbbbbbbbbbbbbbbbb", "2", { region: "us-west-2" }),
                insertRecord(id, "3", { eventName: "MODIFY" }),
            ),
        );
        expect(result.batchItemFailures).to.deep.equal([]);
        expect(await itemOf(id)).to.deep.equal(before);
        expect(fixture.logs.lines.filter((l) => l.message === "receipt finisher batch")[0]).to.include({ pending: 1, completed: 0, ReceiptsCompleted: 0 });
    });

    it("reports the first record it cannot complete, so Lambda retries from there (and the item stays PENDING)", async () => {
        const { id } = await pendingTransaction();
        fixture.env.set({ BUCKET_NAME: `gone-${Date.now()}` });
        const result = await finisher(streamEvent(insertRecord(id, "7")));
        expect(result).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "7" }] });
        expect((await itemOf(id))?.receiptStatus).to.equal("PENDING");
    });

    it("in a fenced region (takeover set), completes nothing: its copy must not win over the version the standby answered", async () => {
        const { id, bucket } = await pendingTransaction();
        const authority = { region: "us-west-2", tableName: `takeover-authority-finisher-${Date.now()}` };
        await fixture.aws.dynamo.send(
            new CreateTableCommand({
                TableName: authority.tableName,
                AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
                KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
        // dynalite creates tables asynchronously: wait until it is ACTIVE.
        await waitUntilTableExists({ client: fixture.aws.dynamo, maxWaitTime: 60, minDelay: 1 }, { TableName: authority.tableName });
        await writeAuthority(fixture.aws.dynamo, authority, true, new Date(), "test");
        fixture.env.set({ FENCE_TABLE_NAME: authority.tableName, FENCE_TABLE_REGION: authority.region, FENCE_ENDPOINT_URL: fixture.aws.dynamoEndpoint });
        fixture.logs.clear();

        expect(await finisher(streamEvent(insertRecord(id, "200")))).to.deep.equal({ batchItemFailures: [] });
        const untouched = await itemOf(id);
        expect(untouched?.receiptStatus).to.equal("PENDING");
        expect(await fixture.aws.listKeys(bucket)).to.deep.equal([]);
        expect(fixture.logs.lines.find((l) => l.message === "receipt finisher fenced: records left PENDING")).to.include({
            pending: 1,
            source: "read",
            transactionIds: id,
        });

        // Released (failback): a later batch completes it.
        await writeAuthority(fixture.aws.dynamo, authority, false, new Date(), "test");
        fixture.env.set({ FENCE_ENDPOINT_URL: `${fixture.aws.dynamoEndpoint}/` });
        await finisher(streamEvent(insertRecord(id, "201")));
        expect((await itemOf(id))?.receiptStatus).to.equal("STORED");
        fixture.env.set({ FENCE_TABLE_NAME: undefined, FENCE_TABLE_REGION: undefined, FENCE_ENDPOINT_URL: undefined });
    });

    it("selects only INSERTs of PENDING transactions written in its own region", () => {
        expect(pendingTransactionId(insertRecord("txn_x", "1"), LOCAL_REGION)).to.equal("txn_x");
        expect(pendingTransactionId(insertRecord("txn_x", "1", { receiptStatus: "STORED" }), LOCAL_REGION)).to.equal(undefined);
        expect(pendingTransactionId(insertRecord("txn_x", "1", { region: "us-west-2" }), LOCAL_REGION)).to.equal(undefined);
        expect(pendingTransactionId(insertRecord("txn_x", "1", { eventName: "MODIFY" }), LOCAL_REGION)).to.equal(undefined);
        const health = { eventName: "INSERT", dynamodb: { NewImage: { pk: { S: "HEALTH#us-east-1" }, sk: { S: "HEALTH" } } } } as DynamoDBRecord;
        expect(pendingTransactionId(health, LOCAL_REGION)).to.equal(undefined);
    });
});
