import { expect } from "chai";
import { transactionIdFor } from "./support/ids";
import { getEvent, invoke, newIdempotencyKey, postTransactionEvent, validBody, TEST_TENANT } from "./support/events";
import { useHandlerFixture } from "./support/fixture";

describe("POST /transactions idempotency", () => {
    const fixture = useHandlerFixture();

    async function itemsFor(key: string): Promise<Record<string, unknown>[]> {
        const pk = `TXN#${transactionIdFor(TEST_TENANT, key)}`;
        return (await fixture.aws.scan(fixture.tableName)).filter((item) => item.pk === pk);
    }

    it("replays the same key and body: 200, Idempotent-Replay: true, byte-identical body, one item", async () => {
        // given
        const key = newIdempotencyKey();
        const body = validBody({ metadata: { b: "2", a: "1" } });
        const first = await invoke(postTransactionEvent(body, { idempotencyKey: key }));
        // when
        const replay = await invoke(postTransactionEvent(body, { idempotencyKey: key }));
        // then
        expect(first.status).to.equal(201);
        expect(replay.status).to.equal(200);
        expect(replay.headers["idempotent-replay"]).to.equal("true");
        expect(replay.text).to.equal(first.text);
        expect(await itemsFor(key)).to.have.length(1);
    });

    it("treats reordered fields, an explicit null reference and an explicit merchantId (the tenant) as the same body", async () => {
        const key = newIdempotencyKey();
        const first = await invoke(postTransactionEvent({ amount: 5, currency: "USD", metadata: { x: "1", y: "2" } }, { idempotencyKey: key }));
        const reordered = await invoke(
            postTransactionEvent(
                { metadata: { y: "2", x: "1" }, reference: null, merchantId: TEST_TENANT, currency: "USD", amount: 5 },
                { idempotencyKey: key, base64: true },
            ),
        );
        expect([first.status, reordered.status]).to.deep.equal([201, 200]);
        expect(reordered.text).to.equal(first.text);
    });

    it("answers 409 for the same key with a different body and leaves the transaction alone", async () => {
        // given
        const key = newIdempotencyKey();
        const first = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
        const before = await itemsFor(key);
        // when
        const responses = [
            await invoke(postTransactionEvent(validBody({ amount: 1251 }), { idempotencyKey: key })),
            await invoke(postTransactionEvent(validBody({ reference: null }), { idempotencyKey: key })),
            await invoke(postTransactionEvent(validBody({ metadata: {} }), { idempotencyKey: key })),
        ];
        // then
        expect(first.status).to.equal(201);
        for (const response of responses) {
            expect(response.status).to.equal(409);
            expect(response.body.error).to.deep.equal({
                code: "IDEMPOTENCY_CONFLICT",
                message: "this Idempotency-Key was already used with a different request body; use a new key for a new transaction",
                field: "Idempotency-Key",
            });
        }
        expect(await itemsFor(key)).to.deep.equal(before);
    });

    it("a 409 carries the key's stored transaction exactly as GET answers it (strong mode)", async () => {
        // given
        const key = newIdempotencyKey();
        const first = await invoke(postTransactionEvent(validBody({ amount: 700, metadata: { z: "1", a: "2" } }), { idempotencyKey: key }));
        // when
        const conflict = await invoke(postTransactionEvent(validBody({ amount: 701 }), { idempotencyKey: key }));
        // then
        const read = await invoke(getEvent(`/transactions/${String(first.body.id)}`));
        expect([first.status, conflict.status, read.status]).to.deep.equal([201, 409, 200]);
        expect(Object.keys(conflict.body)).to.deep.equal(["error", "stored"]);
        expect(conflict.body.error?.code).to.equal("IDEMPOTENCY_CONFLICT");
        expect(conflict.body.stored).to.deep.equal(read.body);
        expect(JSON.stringify(conflict.body.stored)).to.equal(read.text);
        expect(conflict.body.stored).to.include({ amount: 700, merchantId: TEST_TENANT });
        expect(conflict.headers["idempotent-replay"]).to.equal(undefined);
    });

    it("creates exactly one transaction and one receipt from 50 parallel identical requests", async () => {
        // given
        const key = newIdempotencyKey();
        const body = validBody({ metadata: { batch: "parallel" } });
        // when
        const responses = await Promise.all(Array.from({ length: 50 }, () => invoke(postTransactionEvent(body, { idempotencyKey: key }))));
        // then
        const statuses = responses.map((response) => response.status);
        expect(statuses.filter((status) => status === 201)).to.have.length(1);
        expect(statuses.filter((status) => status === 200)).to.have.length(49);
        expect(new Set(responses.map((response) => response.text)).size).to.equal(1);
        for (const response of responses.filter((r) => r.status === 200)) {
            expect(response.headers["idempotent-replay"]).to.equal("true");
        }
        const items = await itemsFor(key);
        expect(items).to.have.length(1);
        expect(items[0].receiptStatus).to.equal("STORED");
        const receipts = await fixture.aws.listKeys(fixture.bucketName, "receipts/");
        expect(receipts.filter((receiptKey) => receiptKey.endsWith(`/${transactionIdFor(TEST_TENANT, key)}.json`))).to.deep.equal([items[0].receiptKey]);
        const receipt = await fixture.aws.getObjectText(fixture.bucketName, String(items[0].receiptKey));
        expect(JSON.parse(receipt.text).transaction).to.deep.equal(JSON.parse(responses[0].text));
    });
});
