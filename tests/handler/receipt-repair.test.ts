import { expect } from "chai";
import { transactionIdFor } from "./support/ids";
import { getEvent, invoke, newIdempotencyKey, postTransactionEvent, validBody, TEST_TENANT } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { expectRetryAfter } from "./support/retry-after";

/**
 * S3 fails after the transaction was written: the client gets a 5xx telling it to retry with the
 * same key; the retry repairs the receipt. Failures are real (a missing bucket, a stopped server).
 */
describe("POST /transactions receipt repair", () => {
    const fixture = useHandlerFixture();

    async function itemsFor(id: string): Promise<Record<string, unknown>[]> {
        return (await fixture.aws.scan(fixture.tableName)).filter((item) => item.pk === `TXN#${id}`);
    }

    async function receiptsFor(bucket: string, id: string): Promise<string[]> {
        return (await fixture.aws.listKeys(bucket, "receipts/")).filter((key) => key.endsWith(`/${id}.json`));
    }

    it("answers 502 when the bucket is missing, then repairs on retry once it exists", async () => {
        // given: BUCKET_NAME names a bucket that does not exist yet
        const bucket = `late-bucket-${Date.now()}`;
        fixture.env.set({ BUCKET_NAME: bucket });
        const key = newIdempotencyKey();
        const id = transactionIdFor(TEST_TENANT, key);
        const body = validBody({ metadata: { attempt: "first" } });

        // when: the first attempt cannot store the receipt
        const failed = await invoke(postTransactionEvent(body, { idempotencyKey: key }));

        // then
        expect(failed.status).to.equal(502);
        expect(failed.body.error).to.deep.equal({
            code: "RECEIPT_STORAGE_FAILED",
            message: `transaction ${id} was recorded but its receipt could not be stored; retry the request with the same Idempotency-Key and body`,
        });
        expect((await itemsFor(id)).map((item) => item.receiptStatus)).to.deep.equal(["PENDING"]);
        const stored = await invoke(getEvent(`/transactions/${id}`));
        expect(stored.status).to.equal(200);

        // when: the bucket appears and the client retries
        await fixture.aws.createBucket(bucket);
        const retried = await invoke(postTransactionEvent(body, { idempotencyKey: key }));

        // then: the same transaction, marked STORED, one item, one receipt
        expect(retried.status).to.equal(200);
        expect(retried.headers["idempotent-replay"]).to.equal("true");
        expect(retried.text).to.equal(stored.text);
        const items = await itemsFor(id);
        expect(items).to.have.length(1);
        expect(items[0].receiptStatus).to.equal("STORED");
        expect(await receiptsFor(bucket, id)).to.deep.equal([items[0].receiptKey]);
        const receipt = await fixture.aws.getObjectText(bucket, String(items[0].receiptKey));
        expect(JSON.parse(receipt.text)).to.deep.equal({ schema: "payments-dr/receipt/v1", transaction: JSON.parse(stored.text) });

        // and a further replay changes nothing
        const again = await invoke(postTransactionEvent(body, { idempotencyKey: key }));
        expect([again.status, again.text]).to.deep.equal([200, stored.text]);
        expect(await receiptsFor(bucket, id)).to.have.length(1);
    });

    it("answers 503 with Retry-After while S3 is down, then repairs on retry", async () => {
        const key = newIdempotencyKey();
        const id = transactionIdFor(TEST_TENANT, key);
        await fixture.aws.stopS3();
        let failed;
        try {
            failed = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
        } finally {
            await fixture.aws.startS3();
        }

        expect(failed.status).to.equal(503);
        expectRetryAfter(failed.headers["retry-after"]);
        expect(failed.body.error?.code).to.equal("RECEIPT_STORAGE_UNAVAILABLE");
        expect(failed.body.error?.message).to.contain("retry the request with the same Idempotency-Key");
        expect(failed.text).to.not.contain("ECONNREFUSED");

        const retried = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
        expect(retried.status).to.equal(200);
        expect(retried.headers["idempotent-replay"]).to.equal("true");
        const items = await itemsFor(id);
        expect(items).to.have.length(1);
        expect(items[0].receiptStatus).to.equal("STORED");
        expect(await receiptsFor(fixture.bucketName, id)).to.deep.equal([items[0].receiptKey]);
    });

    it("refuses a retry with a different body after a failure (409), leaving the receipt pending", async () => {
        const bucket = `never-bucket-${Date.now()}`;
        fixture.env.set({ BUCKET_NAME: bucket });
        const key = newIdempotencyKey();
        expect((await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }))).status).to.equal(502);
        const conflict = await invoke(postTransactionEvent(validBody({ amount: 1 }), { idempotencyKey: key }));
        expect(conflict.status).to.equal(409);
        expect((await itemsFor(transactionIdFor(TEST_TENANT, key))).map((item) => item.receiptStatus)).to.deep.equal(["PENDING"]);
    });

    it("repairs a receipt missing in the answering region on a replay, although the item says STORED", async () => {
        // given: a stored transaction whose receipt this region's bucket lost (the item replicated, the object did not)
        const key = newIdempotencyKey();
        const id = transactionIdFor(TEST_TENANT, key);
        const created = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
        expect(created.status).to.equal(201);
        const [item] = await itemsFor(id);
        expect(item.receiptStatus).to.equal("STORED");
        const original = await fixture.aws.getObjectText(fixture.bucketName, String(item.receiptKey));
        await fixture.aws.deleteObject(fixture.bucketName, String(item.receiptKey));
        expect(await receiptsFor(fixture.bucketName, id)).to.deep.equal([]);

        // when: the client replays
        const replay = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));

        // then: the same answer, and the receipt is back, byte for byte
        expect([replay.status, replay.text]).to.deep.equal([200, created.text]);
        expect(await receiptsFor(fixture.bucketName, id)).to.deep.equal([item.receiptKey]);
        expect((await fixture.aws.getObjectText(fixture.bucketName, String(item.receiptKey))).text).to.equal(original.text);
        expect((await itemsFor(id)).map((stored) => [stored.receiptStatus, stored.receiptStoredAt])).to.deep.equal([["STORED", item.receiptStoredAt]]);
    });
});
