import { expect } from "chai";
import * as fc from "fast-check";
import { TRANSACTION_ID_PATTERN, IDEMPOTENCY_KEY_PATTERN, transactionIdFor } from "./support/ids";
import { invoke, postTransactionEvent, TEST_TENANT } from "./support/events";
import { TEST_MAX_AMOUNT_MINOR, useHandlerFixture } from "./support/fixture";

/**
 * Arbitrary and malformed requests against POST /transactions: never a 5xx, always the error
 * shape, and a 4xx never leaves an item behind.
 */
describe("POST /transactions with arbitrary input (property)", () => {
    const fixture = useHandlerFixture();

    let counter = 0;
    /** Valid keys are unique per run, so "no item for this key" is meaningful. */
    const uniqueKey = fc.constant(null).map(() => `prop-${process.pid}-${counter++}`);
    const idempotencyKey = fc.oneof(
        { weight: 6, arbitrary: uniqueKey },
        { weight: 1, arbitrary: fc.string({ maxLength: 140 }) },
        { weight: 1, arbitrary: fc.constant(undefined) },
    );
    const contentType = fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "APPLICATION/JSON") },
        { weight: 1, arbitrary: fc.string() },
        { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/json; charset=utf-16") },
    );

    const anything = fc.jsonValue({ maxDepth: 2 });
    const amount = fc.oneof(
        fc.integer({ min: 1, max: TEST_MAX_AMOUNT_MINOR }),
        fc.integer(),
        fc.double(),
        fc.constantFrom(0, -1, TEST_MAX_AMOUNT_MINOR + 1, 2 ** 53, "100", null),
        anything,
    );
    const currency = fc.oneof(fc.constantFrom("USD", "EUR", "JPY", "usd", "HRK", "XXX", "XTS", ""), fc.string({ minLength: 3, maxLength: 3 }), anything);
    // Mostly the tenant (or omitted): another valid merchant id is a 403, checked after every field.
    const merchantId = fc.oneof(fc.constant(TEST_TENANT), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string({ maxLength: 80 }), anything);
    const reference = fc.oneof(fc.string({ maxLength: 150 }), fc.string({ unit: "binary", maxLength: 10 }), fc.constant(null), anything);
    const metadata = fc.oneof(
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/), fc.string({ maxLength: 300 }), { maxKeys: 22 }),
        fc.dictionary(fc.string(), fc.oneof(fc.string(), anything), { maxKeys: 4 }),
        anything,
    );
    const bodyObject = fc.record({ amount, currency, merchantId, reference, metadata, extra: anything }, { requiredKeys: [] });
    const validBodyObject = fc.record(
        {
            amount: fc.integer({ min: 1, max: TEST_MAX_AMOUNT_MINOR }),
            currency: fc.constantFrom("USD", "EUR", "JPY", "BHD", "CHF"),
            merchantId: fc.constant(TEST_TENANT),
            reference: fc.oneof(
                fc.constant(null),
                fc.string({ unit: "grapheme", minLength: 1, maxLength: 140 }).filter((text) => !/[\p{Cc}\p{Cs}]/u.test(text)),
            ),
            metadata: fc.dictionary(
                fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/),
                fc.string({ maxLength: 50 }).filter((text) => !/\p{Cc}/u.test(text)),
                { maxKeys: 20 },
            ),
        },
        { requiredKeys: ["amount", "currency"] },
    );
    const body = fc.oneof(
        { weight: 1, arbitrary: validBodyObject.map((object) => JSON.stringify(object)) },
        { weight: 8, arbitrary: bodyObject.map((object) => JSON.stringify(object)) },
        { weight: 1, arbitrary: fc.json() },
        { weight: 1, arbitrary: fc.string() },
        { weight: 1, arbitrary: fc.string({ unit: "binary" }) },
        { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", "{}", "x".repeat(17_000)) },
    );
    const request = fc.record({ idempotencyKey, contentType, body, base64: fc.boolean() });

    it("never answers 5xx and never writes an item for a 4xx (403: another merchant) (2000 runs)", async () => {
        // A few percent of the requests are valid, so the write path runs too (dozens of items).
        let created = 0;
        // Short generated keys repeat across runs: a key that created an item earlier legitimately has one.
        const keysWithItems = new Set<string>();
        await fc.assert(
            fc.asyncProperty(request, async ({ idempotencyKey: key, contentType: type, body: text, base64 }) => {
                const response = await invoke(postTransactionEvent(text, { idempotencyKey: key === undefined ? null : key, contentType: type, base64 }));
                expect(response.status, response.text).to.be.oneOf([201, 200, 400, 403, 409, 413, 415]);
                expect(response.headers["content-type"]).to.equal("application/json");
                if (response.status >= 400) {
                    const { error } = response.body;
                    expect(Object.keys(response.body)).to.deep.equal(["error"]);
                    expect(error?.code).to.be.a("string");
                    expect(error?.message).to.be.a("string");
                    expect(error?.field === undefined || typeof error.field === "string").to.equal(true);
                    if (key !== undefined && IDEMPOTENCY_KEY_PATTERN.test(key) && !keysWithItems.has(key)) {
                        const id = transactionIdFor(TEST_TENANT, key);
                        expect(await fixture.aws.getItem(fixture.tableName, { pk: `TXN#${id}`, sk: "TXN" })).to.equal(undefined);
                    }
                } else {
                    expect(response.body.id).to.match(TRANSACTION_ID_PATTERN);
                    keysWithItems.add(key!);
                    if (response.status === 201) {
                        created++;
                    }
                }
            }),
            { numRuns: 2000 },
        );
        expect(await fixture.aws.scan(fixture.tableName)).to.have.length(created);
    });
});
