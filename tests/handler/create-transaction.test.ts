import { expect } from "chai";
import { idempotencyKeyHash, transactionIdFor } from "./support/ids";
import { MAX_BODY_BYTES } from "../../functions/transaction-processor/validation";
import { invoke, newIdempotencyKey, postTransactionEvent, validBody, TEST_TENANT } from "./support/events";
import { TEST_KMS_KEY_ARN, TEST_MAX_AMOUNT_MINOR, useHandlerFixture } from "./support/fixture";
import { BlackHole } from "./support/black-hole";
import { expectRetryAfter } from "./support/retry-after";
import { closedPort } from "./support/local-aws";
import { RecordingProxy } from "./support/recording-proxy";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("POST /transactions", () => {
    const fixture = useHandlerFixture();

    async function itemCount(): Promise<number> {
        return (await fixture.aws.scan(fixture.tableName)).length;
    }

    describe("201 Created", () => {
        it("stores the transaction and answers with it", async () => {
            // given
            const key = newIdempotencyKey();
            // when
            const response = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
            // then
            expect(response.status).to.equal(201);
            expect(response.headers["content-type"]).to.equal("application/json");
            expect(response.headers["idempotent-replay"]).to.equal(undefined);
            const id = transactionIdFor(TEST_TENANT, key);
            expect(Object.keys(response.body)).to.deep.equal(["id", "status", "amount", "currency", "merchantId", "reference", "createdAt", "region"]);
            expect(response.body).to.include({
                id,
                status: "ACCEPTED",
                amount: 1250,
                currency: "EUR",
                merchantId: "merchant_42",
                reference: "order 1001",
                region: "us-east-1",
            });
            expect(response.body.createdAt).to.match(ISO_UTC);

            const item = await fixture.aws.getItem(fixture.tableName, { pk: `TXN#${id}`, sk: "TXN" });
            expect(item).to.deep.include({
                id,
                status: "ACCEPTED",
                amount: 1250,
                currency: "EUR",
                merchantId: "merchant_42",
                reference: "order 1001",
                createdAt: response.body.createdAt,
                region: "us-east-1",
                idempotencyKeyHash: idempotencyKeyHash(TEST_TENANT, key),
                receiptStatus: "STORED",
            });
            expect(item?.requestHash).to.match(/^[0-9a-f]{64}$/);
            expect(item).to.not.have.property("expiresAt");
            expect(JSON.stringify(item)).to.not.contain(key);
        });

        it("returns metadata with sorted keys and null for an absent reference", async () => {
            const body = { amount: 99, currency: "JPY", metadata: { zeta: "last", alpha: "first" } };
            const response = await invoke(postTransactionEvent(body));
            expect(response.status).to.equal(201);
            expect(response.body.reference).to.equal(null);
            expect(response.text).to.contain('"metadata":{"alpha":"first","zeta":"last"}');
            const item = await fixture.aws.getItem(fixture.tableName, { pk: `TXN#${String(response.body.id)}`, sk: "TXN" });
            expect(item).to.not.have.property("reference");
            expect(item?.metadata).to.deep.equal({ alpha: "first", zeta: "last" });
        });

        it("accepts the maximum amount from MAX_AMOUNT_MINOR", async () => {
            const response = await invoke(postTransactionEvent(validBody({ amount: TEST_MAX_AMOUNT_MINOR })));
            expect(response.status).to.equal(201);
        });

        it("decodes base64 bodies", async () => {
            const response = await invoke(postTransactionEvent(validBody({ reference: "base64 ✓" }), { base64: true }));
            expect(response.status).to.equal(201);
            expect(response.body.reference).to.equal("base64 ✓");
        });

        it("finds headers whatever their case", async () => {
            const event = postTransactionEvent(validBody(), { idempotencyKey: null, contentType: null });
            event.headers = { "Content-Type": "Application/JSON; charset=UTF-8", "IDEMPOTENCY-KEY": newIdempotencyKey() };
            expect((await invoke(event)).status).to.equal(201);
        });

        it("accepts a body of exactly 16 KiB", async () => {
            const json = JSON.stringify(validBody());
            const padded = json + " ".repeat(MAX_BODY_BYTES - Buffer.byteLength(json));
            expect(Buffer.byteLength(padded)).to.equal(MAX_BODY_BYTES);
            expect((await invoke(postTransactionEvent(padded))).status).to.equal(201);
        });
    });

    describe("receipts", () => {
        it("writes receipts/<shard>/YYYY/MM/DD/<id>.json with the transaction", async () => {
            // when
            const response = await invoke(postTransactionEvent(validBody({ metadata: { order: "A-1" } })));
            // then
            const id = String(response.body.id);
            const createdAt = String(response.body.createdAt);
            const expectedKey = `receipts/${id.slice(4, 6)}/${createdAt.slice(0, 4)}/${createdAt.slice(5, 7)}/${createdAt.slice(8, 10)}/${id}.json`;
            expect(await fixture.aws.listKeys(fixture.bucketName, `receipts/`)).to.include(expectedKey);
            const receipt = await fixture.aws.getObjectText(fixture.bucketName, expectedKey);
            expect(receipt.contentType).to.equal("application/json");
            expect(JSON.parse(receipt.text)).to.deep.equal({ schema: "payments-dr/receipt/v1", transaction: response.body });
            const item = await fixture.aws.getItem(fixture.tableName, { pk: `TXN#${id}`, sk: "TXN" });
            expect(item).to.include({ receiptKey: expectedKey, receiptStatus: "STORED" });
            expect(item?.receiptStoredAt).to.match(ISO_UTC);
        });

        it("requests SSE-KMS with KMS_KEY_ID, an S3 Bucket Key and a create-only write", async () => {
            // given: S3 traffic goes through a recording pass-through
            const proxy = await RecordingProxy.start(fixture.aws.s3Port);
            try {
                fixture.env.set({ AWS_ENDPOINT_URL_S3: proxy.endpoint });
                // when
                const response = await invoke(postTransactionEvent(validBody()));
                // then
                expect(response.status).to.equal(201);
                const puts = proxy.requests.filter((request) => request.method === "PUT");
                expect(puts).to.have.length(1);
                expect(puts[0].url.split("?")[0]).to.equal(
                    `/${fixture.bucketName}/receipts/${String(response.body.id).slice(4, 6)}/${String(response.body.createdAt).slice(0, 10).replace(/-/g, "/")}/${String(response.body.id)}.json`,
                );
                expect(puts[0].headers).to.include({
                    "x-amz-server-side-encryption": "aws:kms",
                    "x-amz-server-side-encryption-aws-kms-key-id": TEST_KMS_KEY_ARN,
                    "x-amz-server-side-encryption-bucket-key-enabled": "true",
                    "if-none-match": "*",
                    "content-type": "application/json",
                });
            } finally {
                fixture.resetEnv();
                await proxy.stop();
            }
        });
    });

    describe("5xx", () => {
        it("answers 503 with Retry-After when the table cannot be reached, and stores no receipt", async () => {
            fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await closedPort()}` });
            const key = newIdempotencyKey();
            const response = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
            expect(response.status).to.equal(503);
            expectRetryAfter(response.headers["retry-after"]);
            expect(response.body.error).to.deep.equal({
                code: "SERVICE_UNAVAILABLE",
                message: "the transaction store is temporarily unavailable; retry the request with the same Idempotency-Key and body",
            });
            const receipts = await fixture.aws.listKeys(fixture.bucketName, "receipts/");
            expect(receipts.some((receiptKey) => receiptKey.endsWith(`/${transactionIdFor(TEST_TENANT, key)}.json`))).to.equal(false);
        });

        it("answers 503 before Lambda would time out when DynamoDB hangs", async () => {
            // given: DynamoDB accepts connections but never answers, and the invocation has 0.7 s left
            const hole = await BlackHole.start();
            try {
                fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: hole.endpoint });
                // when
                const response = await invoke(postTransactionEvent(validBody()), "req-deadline", 700);
                // then: our JSON 503, not a timeout
                expect(response.status).to.equal(503);
                expect(response.body.error?.code).to.equal("SERVICE_UNAVAILABLE");
            } finally {
                fixture.resetEnv();
                await hole.stop();
            }
        });

        it("answers a generic 500 with the request id when the existing item is corrupt", async () => {
            const key = newIdempotencyKey();
            const id = transactionIdFor(TEST_TENANT, key);
            await fixture.aws.putItem(fixture.tableName, { pk: `TXN#${id}`, sk: "TXN", id, status: "ACCEPTED" });
            const response = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }), "req-corrupt-post");
            expect(response.status).to.equal(500);
            expect(response.body).to.deep.equal({
                error: { code: "INTERNAL_ERROR", message: "internal error; quote request id req-corrupt-post when reporting it" },
            });
        });
    });

    describe("415 Unsupported Media Type", () => {
        for (const contentType of [null, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1"]) {
            it(`for content-type ${String(contentType)}`, async () => {
                const response = await invoke(postTransactionEvent(validBody(), { contentType }));
                expect(response.status).to.equal(415);
                expect(response.body.error).to.include({ code: "UNSUPPORTED_MEDIA_TYPE", field: "content-type" });
            });
        }
    });

    describe("413 Payload Too Large", () => {
        it("above 16 KiB, plain or base64, and says the limit", async () => {
            const before = await itemCount();
            const json = JSON.stringify(validBody());
            const oversize = json + " ".repeat(MAX_BODY_BYTES + 1 - Buffer.byteLength(json));
            for (const base64 of [false, true]) {
                const response = await invoke(postTransactionEvent(oversize, { base64 }));
                expect(response.status).to.equal(413);
                expect(response.body).to.deep.equal({
                    error: { code: "PAYLOAD_TOO_LARGE", message: "the request body must not exceed 16384 bytes (16 KiB)" },
                });
            }
            expect(await itemCount()).to.equal(before);
        });
    });

    describe("400 Bad Request", () => {
        const bodies: [string, unknown, string, string?][] = [
            ["malformed JSON", '{"amount": 1250,', "INVALID_JSON"],
            ["an empty body", "", "INVALID_JSON"],
            ["a JSON array", "[1,2]", "VALIDATION_ERROR"],
            ["a float amount", validBody({ amount: 12.5 }), "VALIDATION_ERROR", "amount"],
            ["a string amount", validBody({ amount: "1250" }), "VALIDATION_ERROR", "amount"],
            ["a negative amount", validBody({ amount: -1 }), "VALIDATION_ERROR", "amount"],
            ["an amount above MAX_AMOUNT_MINOR", validBody({ amount: TEST_MAX_AMOUNT_MINOR + 1 }), "VALIDATION_ERROR", "amount"],
            ["a non-ISO currency", validBody({ currency: "EURO" }), "VALIDATION_ERROR", "currency"],
            ["a withdrawn currency", validBody({ currency: "HRK" }), "VALIDATION_ERROR", "currency"],
            ["a long reference", validBody({ reference: "x".repeat(141) }), "VALIDATION_ERROR", "reference"],
            ["nested metadata", validBody({ metadata: { a: { b: "c" } } }), "VALIDATION_ERROR", "metadata.a"],
            ["an unknown field", validBody({ cardNumber: "4111111111111111" }), "VALIDATION_ERROR", "cardNumber"],
        ];
        for (const [name, body, code, field] of bodies) {
            it(`for ${name}, writing nothing`, async () => {
                const before = await itemCount();
                const key = newIdempotencyKey();
                const response = await invoke(postTransactionEvent(body, { idempotencyKey: key }));
                expect(response.status).to.equal(400);
                expect(response.body.error?.code).to.equal(code);
                expect(response.body.error?.field).to.equal(field);
                expect(Object.keys(response.body)).to.deep.equal(["error"]);
                expect(await fixture.aws.getItem(fixture.tableName, { pk: `TXN#${transactionIdFor(TEST_TENANT, key)}`, sk: "TXN" })).to.equal(undefined);
                expect(await itemCount()).to.equal(before);
            });
        }

        it("for invalid UTF-8 in a base64 body", async () => {
            const event = postTransactionEvent("", { base64: true });
            event.body = Buffer.from([0x7b, 0xff, 0x7d]).toString("base64");
            const response = await invoke(event);
            expect(response.status).to.equal(400);
            expect(response.body.error?.code).to.equal("INVALID_JSON");
        });

        it("for a missing Idempotency-Key", async () => {
            const response = await invoke(postTransactionEvent(validBody(), { idempotencyKey: null }));
            expect(response.status).to.equal(400);
            expect(response.body.error).to.deep.equal({
                code: "IDEMPOTENCY_KEY_REQUIRED",
                message: "the Idempotency-Key header is required",
                field: "Idempotency-Key",
            });
        });

        for (const key of ["k".repeat(129), "has space", "comma,separated", "ünïcode"]) {
            it(`for the malformed Idempotency-Key ${JSON.stringify(key.slice(0, 20))}`, async () => {
                const response = await invoke(postTransactionEvent(validBody(), { idempotencyKey: key }));
                expect(response.status).to.equal(400);
                expect(response.body.error?.code).to.equal("INVALID_IDEMPOTENCY_KEY");
                expect(response.text).to.not.contain(key);
            });
        }

        it("accepts a 128-character Idempotency-Key", async () => {
            const response = await invoke(postTransactionEvent(validBody(), { idempotencyKey: newIdempotencyKey().padEnd(128, "x") }));
            expect(response.status).to.equal(201);
        });
    });
});
