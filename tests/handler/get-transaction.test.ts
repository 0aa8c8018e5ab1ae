import { expect } from "chai";
import { transactionIdFor } from "./support/ids";
import { apiEvent, getEvent, invoke, newIdempotencyKey, postTransactionEvent, validBody, TEST_TENANT } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { closedPort } from "./support/local-aws";
import { expectRetryAfter } from "./support/retry-after";

describe("GET /transactions/{id}", () => {
    const fixture = useHandlerFixture();

    it("answers 200 with exactly the body POST answered", async () => {
        const created = await invoke(postTransactionEvent(validBody({ metadata: { k: "v" } })));
        const fetched = await invoke(getEvent(`/transactions/${String(created.body.id)}`));
        expect(fetched.status).to.equal(200);
        expect(fetched.headers["content-type"]).to.equal("application/json");
        expect(fetched.text).to.equal(created.text);
    });

    it("works behind a named stage", async () => {
        const created = await invoke(postTransactionEvent(validBody()));
        const fetched = await invoke(apiEvent({ method: "GET", path: `/transactions/${String(created.body.id)}`, stage: "v1" }));
        expect(fetched.text).to.equal(created.text);
    });

    it("answers 404 for a well-formed id that does not exist", async () => {
        const id = transactionIdFor(TEST_TENANT, newIdempotencyKey());
        const response = await invoke(getEvent(`/transactions/${id}`));
        expect(response.status).to.equal(404);
        expect(response.body.error).to.deep.equal({ code: "TRANSACTION_NOT_FOUND", message: `transaction ${id} does not exist` });
    });

    for (const id of [
        "abc",
        "txn_",
        "txn_aaaaaaaaaaaaaaaaaaaaaaaaa",
        "txn_aaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "TXN_AAAAAAAAAAAAAAAAAAAAAAAAAA",
        "txn_aaaaaaaaaaaaaaaaaaaaaaaaa1",
        "txn_aaaaaaaaaaaaaaaaaaaaaaaa%20",
    ]) {
        it(`answers 400 for the malformed id ${id}`, async () => {
            const response = await invoke(getEvent(`/transactions/${id}`));
            expect(response.status).to.equal(400);
            expect(response.body.error).to.include({ code: "INVALID_TRANSACTION_ID", field: "id" });
        });
    }

    it("answers a generic 500 with the request id, no stack, when a stored item is corrupt", async () => {
        // given: an item whose amount is not a number (a manual edit, say)
        const id = transactionIdFor(TEST_TENANT, newIdempotencyKey());
        await fixture.aws.putItem(fixture.tableName, { pk: `TXN#${id}`, sk: "TXN", id, status: "ACCEPTED", amount: "lots" });
        fixture.logs.clear();
        // when
        const response = await invoke(getEvent(`/transactions/${id}`), "req-corrupt-1");
        // then
        expect(response.status).to.equal(500);
        expect(response.body).to.deep.equal({
            error: { code: "INTERNAL_ERROR", message: "internal error; quote request id req-corrupt-1 when reporting it" },
        });
        expect(response.text).to.not.match(/CorruptTransaction|malformed|\bat .*\.ts/);
        const errorLine = fixture.logs.lines.find((line) => line.message === "unhandled error");
        expect(errorLine).to.include({ level: "error", requestId: "req-corrupt-1", errorName: "CorruptTransactionError" });
    });

    it("answers 503 when the table cannot be reached", async () => {
        fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await closedPort()}` });
        const response = await invoke(getEvent(`/transactions/${transactionIdFor(TEST_TENANT, "x")}`));
        expect(response.status).to.equal(503);
        expectRetryAfter(response.headers["retry-after"]);
        expect(response.body.error?.code).to.equal("SERVICE_UNAVAILABLE");
    });
});
