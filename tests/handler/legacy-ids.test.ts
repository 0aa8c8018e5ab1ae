import { expect } from "chai";
import { legacyIdempotencyKeyHash, legacyTransactionIdFor } from "../../functions/transaction-processor/ids";
import { getEvent, invoke, newIdempotencyKey, postTransactionEvent, TEST_TENANT, validBody } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { transactionIdFor } from "./support/ids";

/**
 * Migration to keyed ids: a transaction stored before v3 sits under its unkeyed (v2) id. A retry of its key must
 * replay it, never create a second transaction under the v3 id.
 */
describe("transaction ids: migration from unkeyed (v2) ids", () => {
    const fixture = useHandlerFixture();

    /** Stores a transaction as the handler before v3 did: created now, then moved to its v2 id and key digest. */
    async function storeLegacyTransaction(key: string, body = validBody()): Promise<string> {
        const created = await invoke(postTransactionEvent(body, { idempotencyKey: key }));
        expect(created.status, created.text).to.equal(201);
        const item = await fixture.aws.getItem(fixture.tableName, { pk: `TXN#${String(created.body.id)}`, sk: "TXN" });
        expect(item, "the created item (pk TXN#<id>)").to.not.equal(undefined);
        const legacyId = legacyTransactionIdFor(TEST_TENANT, key);
        await fixture.aws.putItem(fixture.tableName, {
            ...item,
            pk: `TXN#${legacyId}`,
            id: legacyId,
            idempotencyKeyHash: legacyIdempotencyKeyHash(TEST_TENANT, key),
        });
        return legacyId;
    }

    it("replays a key used before the change from its old id while LEGACY_IDS_UNTIL has not passed (no second transaction)", async () => {
        fixture.env.set({ LEGACY_IDS_UNTIL: "2999-12-31" });
        const key = newIdempotencyKey();
        const legacyId = await storeLegacyTransaction(key);
        const before = (await fixture.aws.scan(fixture.tableName)).length;
        const replay = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
        expect(replay.status, replay.text).to.equal(200);
        expect(replay.headers["idempotent-replay"]).to.equal("true");
        expect(replay.body.id).to.equal(legacyId);
        expect((await fixture.aws.scan(fixture.tableName)).length).to.equal(before);
        // another body under the old key is the usual 409; the old id reads back as before
        const conflict = await invoke(postTransactionEvent(validBody({ amount: 1 }), { idempotencyKey: key }));
        expect([conflict.status, conflict.body.error?.code]).to.deep.equal([409, "IDEMPOTENCY_CONFLICT"]);
        expect((await invoke(getEvent(`/transactions/${legacyId}`))).body.id).to.equal(legacyId);
    });

    it("creates new keys under their keyed id during the window", async () => {
        fixture.env.set({ LEGACY_IDS_UNTIL: "2999-12-31" });
        const key = newIdempotencyKey();
        const created = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
        expect([created.status, created.body.id]).to.deep.equal([201, transactionIdFor(TEST_TENANT, key)]);
    });

    it("without the window (unset, or passed) the old key is not looked up: why a stack with stored transactions must set it", async () => {
        for (const until of [undefined, "2020-01-01"]) {
            fixture.env.set({ LEGACY_IDS_UNTIL: until });
            const key = newIdempotencyKey();
            const legacyId = await storeLegacyTransaction(key);
            const retry = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
            // The v3 id was written by storeLegacyTransaction's own POST: a replay of that, not of the old id.
            expect(retry.body.id, String(until)).to.not.equal(legacyId);
        }
    });
});
