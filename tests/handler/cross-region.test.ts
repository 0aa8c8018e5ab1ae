import { expect } from "chai";
import { transactionIdFor } from "./support/ids";
import { CONFLICT_HEADER } from "../../functions/transaction-processor/conflicts";
import { CROSS_REGION_CONFLICT_METRIC } from "../../contracts/payment-metrics";
import { getEvent, newIdempotencyKey, postTransactionEvent, TEST_TENANT, validBody, type HandlerResponse } from "./support/events";
import { REGION_A, REGION_B, useTwoRegions } from "./support/two-regions";

/** The fields a body may differ in between two Regions that both accepted the same request. */
const REGION_FIELDS = ["createdAt", "region"];

function withoutRegionFields(response: HandlerResponse): Record<string, unknown> {
    return Object.fromEntries(Object.entries(response.body).filter(([field]) => !REGION_FIELDS.includes(field)));
}

describe("exactly once across two Regions (eventual consistency, two simulated Regions)", () => {
    const regions = useTwoRegions();
    const conflictMetricLines = () => regions.logs.lines.filter((line) => line[CROSS_REGION_CONFLICT_METRIC] === 1);

    describe("the same body retried in the other Region", () => {
        it("before replication: both Regions accept, and after replication both answer the same bytes, differing from each first answer only in createdAt and region", async () => {
            // given: the primary accepted; the client's retry reaches the secondary before replication
            const key = newIdempotencyKey();
            const first = await regions.call(REGION_A, postTransactionEvent(validBody(), { idempotencyKey: key }));
            const retry = await regions.call(REGION_B, postTransactionEvent(validBody(), { idempotencyKey: key }));
            expect([first.status, retry.status]).to.deep.equal([201, 201]);
            expect(withoutRegionFields(retry)).to.deep.equal(withoutRegionFields(first));
            expect([first.body.region, retry.body.region]).to.deep.equal([REGION_A.name, REGION_B.name]);

            // when
            await regions.replicate();

            // then: one transaction, the same bytes in both Regions, no conflict reported
            const id = transactionIdFor(TEST_TENANT, key);
            const readA = await regions.call(REGION_A, getEvent(`/transactions/${id}`));
            const readB = await regions.call(REGION_B, getEvent(`/transactions/${id}`));
            expect(readA.status).to.equal(200);
            expect(readB.text).to.equal(readA.text);
            expect([first.text, retry.text]).to.include(readA.text);
            expect(readA.body).to.not.have.property("conflict");
            const replayA = await regions.call(REGION_A, postTransactionEvent(validBody(), { idempotencyKey: key }));
            const replayB = await regions.call(REGION_B, postTransactionEvent(validBody(), { idempotencyKey: key }));
            expect([replayA.status, replayB.status]).to.deep.equal([200, 200]);
            expect(replayA.text).to.equal(readA.text);
            expect(replayB.text).to.equal(readA.text);
            expect(replayA.headers[CONFLICT_HEADER.toLowerCase()]).to.equal(undefined);
            expect(conflictMetricLines()).to.have.length(0);
            const transactions = (await regions.a.scan(regions.tableName)).filter((item) => item.sk === "TXN");
            expect(transactions).to.have.length(1);
        });

        it("after replication: the other Region replays the first answer byte for byte", async () => {
            const key = newIdempotencyKey();
            const first = await regions.call(REGION_A, postTransactionEvent(validBody(), { idempotencyKey: key }));
            await regions.replicate();
            const retry = await regions.call(REGION_B, postTransactionEvent(validBody(), { idempotencyKey: key }));
            expect([first.status, retry.status]).to.deep.equal([201, 200]);
            expect(retry.headers["idempotent-replay"]).to.equal("true");
            expect(retry.text).to.equal(first.text);
        });
    });

    describe("a different body retried in the other Region", () => {
        it("before replication: both versions survive replication, the conflict is reported on GET, counted, and each client's retry replays its own answer", async () => {
            // given: two bodies under one key, accepted by the two Regions inside the replication window
            const key = newIdempotencyKey();
            const first = await regions.call(REGION_A, postTransactionEvent(validBody({ amount: 1000 }), { idempotencyKey: key }));
            const second = await regions.call(REGION_B, postTransactionEvent(validBody({ amount: 2000 }), { idempotencyKey: key }));
            expect([first.status, second.status]).to.deep.equal([201, 201]);

            // when: replication, where the secondary's write of the transaction item wins
            await regions.replicate(REGION_B);

            // then: every Region's read says so and shows both versions, exactly as answered
            const id = transactionIdFor(TEST_TENANT, key);
            for (const region of [REGION_A, REGION_B]) {
                const read = await regions.call(region, getEvent(`/transactions/${id}`));
                expect(read.status).to.equal(200);
                expect(read.body.amount).to.equal(2000);
                const conflict = read.body.conflict as { code: string; versions: unknown[] };
                expect(conflict.code).to.equal("CROSS_REGION_CONFLICT");
                expect(conflict.versions).to.deep.equal([first.body, second.body]);
            }
            expect(conflictMetricLines().length).to.be.at.least(2);
            expect(conflictMetricLines()[0]).to.include({ transactionId: id, regions: `${REGION_A.name},${REGION_B.name}` });

            // the primary's client retries: its payment was accepted, so it gets its own answer back, flagged
            const retryFirst = await regions.call(REGION_A, postTransactionEvent(validBody({ amount: 1000 }), { idempotencyKey: key }));
            expect(retryFirst.status).to.equal(200);
            expect(retryFirst.text).to.equal(first.text);
            expect(retryFirst.headers[CONFLICT_HEADER.toLowerCase()]).to.equal("true");
            // a third body is still refused
            const third = await regions.call(REGION_A, postTransactionEvent(validBody({ amount: 3000 }), { idempotencyKey: key }));
            expect(third.status).to.equal(409);
            // with what GET answers, the conflict section and both versions included
            const readA = await regions.call(REGION_A, getEvent(`/transactions/${id}`));
            expect(JSON.stringify(third.body.stored)).to.equal(readA.text);
            expect(third.headers[CONFLICT_HEADER.toLowerCase()]).to.equal("true");

            // both versions are in the table of each Region
            for (const servers of [regions.a, regions.b]) {
                const versions = (await servers.scan(regions.tableName)).filter((item) => item.id === id && String(item.sk).startsWith("VERSION#"));
                expect(versions.map((version) => version.region).sort()).to.deep.equal([REGION_A.name, REGION_B.name]);
            }
        });

        it("after replication: the other Region refuses it with 409 and changes nothing", async () => {
            const key = newIdempotencyKey();
            const first = await regions.call(REGION_A, postTransactionEvent(validBody({ amount: 1000 }), { idempotencyKey: key }));
            await regions.replicate();
            const before = await regions.b.scan(regions.tableName);
            const second = await regions.call(REGION_B, postTransactionEvent(validBody({ amount: 2000 }), { idempotencyKey: key }));
            expect([first.status, second.status]).to.deep.equal([201, 409]);
            expect(second.body.error?.code).to.equal("IDEMPOTENCY_CONFLICT");
            // the stored transaction, replicated from the other Region, exactly as GET answers it there (eventual mode)
            const readB = await regions.call(REGION_B, getEvent(`/transactions/${String(first.body.id)}`));
            expect(second.body.stored).to.deep.equal(first.body);
            expect(JSON.stringify(second.body.stored)).to.equal(readB.text);
            expect(second.headers[CONFLICT_HEADER.toLowerCase()]).to.equal(undefined);
            expect(await regions.b.scan(regions.tableName)).to.deep.equal(before);
            expect(conflictMetricLines()).to.have.length(0);
        });
    });

    describe("tenants across Regions", () => {
        it("keeps another tenant out of a replicated transaction in the other Region (404), and its equal key apart", async () => {
            const key = newIdempotencyKey();
            const mine = await regions.call(REGION_A, postTransactionEvent(validBody(), { idempotencyKey: key }));
            await regions.replicate();
            const other = { jwt: { claims: { merchant_id: "merchant_77", scope: "transactions:read transactions:write" } } };
            const foreign = await regions.call(REGION_B, getEvent(`/transactions/${String(mine.body.id)}`, other));
            expect(foreign.status).to.equal(404);
            const theirs = await regions.call(REGION_B, postTransactionEvent(validBody({ merchantId: undefined }), { idempotencyKey: key, authorizer: other }));
            expect(theirs.status).to.equal(201);
            expect(theirs.body.id).to.not.equal(mine.body.id);
            // the same key with another body: a 409 with its own transaction, nothing of the first merchant's
            const conflict = await regions.call(
                REGION_B,
                postTransactionEvent(validBody({ merchantId: undefined, amount: 4 }), { idempotencyKey: key, authorizer: other }),
            );
            expect(conflict.status).to.equal(409);
            expect(conflict.body.stored).to.deep.equal(theirs.body);
            expect(conflict.text).to.not.include(String(mine.body.id));
            expect(conflict.text).to.not.include(TEST_TENANT);
        });
    });
});
