import { expect } from "chai";
import * as fc from "fast-check";
import { ACCEPTED_CURRENCIES, ISO_4217_ACTIVE_CODES, isAcceptedCurrency } from "../../functions/transaction-processor/currencies";
import { HttpError } from "../../functions/transaction-processor/responses";
import {
    MAX_BASE64_BODY_CHARS,
    MAX_BODY_BYTES,
    checkContentType,
    createBodySchema,
    decodeBody,
    parseCreateTransactionBody,
    parseIdempotencyKey,
    parseJson,
} from "../../functions/transaction-processor/validation";

const schema = createBodySchema(1_000_000);
const valid = { amount: 1250, currency: "EUR", merchantId: "merchant_42" };

function rejection(action: () => unknown): HttpError {
    try {
        action();
    } catch (error) {
        expect(error).to.be.instanceOf(HttpError);
        return error as HttpError;
    }
    throw new Error("expected an HttpError, got none");
}

describe("request validation (validation.ts)", () => {
    describe("ISO 4217 currencies", () => {
        it("ships the active list, not a /[A-Z]{3}/ pattern", () => {
            expect(ISO_4217_ACTIVE_CODES.length).to.be.within(170, 185);
            expect(new Set(ISO_4217_ACTIVE_CODES).size).to.equal(ISO_4217_ACTIVE_CODES.length);
            for (const code of ["USD", "EUR", "JPY", "GBP", "CHF", "BHD", "ZWG", "XCG", "SLE", "VES"]) {
                expect(isAcceptedCurrency(code), code).to.equal(true);
            }
        });

        it("refuses withdrawn, made-up, lower-case and non-payment codes", () => {
            for (const code of ["HRK", "BGN", "ANG", "ZWL", "SLL", "CUC", "DEM", "ABC", "usd", "Usd", "XXX", "XTS", "US", "USDD"]) {
                expect(isAcceptedCurrency(code), code).to.equal(false);
            }
            expect(ACCEPTED_CURRENCIES.length).to.equal(ISO_4217_ACTIVE_CODES.length - 2);
        });
    });

    describe("body schema", () => {
        it("accepts a minimal body and normalises an absent reference to null", () => {
            expect(parseCreateTransactionBody(schema, valid)).to.deep.equal({ ...valid, reference: null });
        });

        it("accepts every optional field at its limits", () => {
            // Each field at its own limit, within the combined free-form budget (FREEFORM_MAX_BYTES, 320 bytes).
            const metadata = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "v"]));
            const input = { ...valid, amount: 1_000_000, reference: "r".repeat(140), metadata };
            expect(parseCreateTransactionBody(schema, input)).to.deep.equal(input);
            const longValue = { ...valid, reference: null, metadata: { note: "v".repeat(256) } };
            expect(parseCreateTransactionBody(schema, longValue).metadata).to.deep.equal({ note: "v".repeat(256) });
            expect(parseCreateTransactionBody(schema, { ...valid, amount: 1, reference: null }).reference).to.equal(null);
            expect(parseCreateTransactionBody(schema, { ...valid, merchantId: "m".repeat(64) }).merchantId).to.have.length(64);
            // Characters, not UTF-16 units: emoji count once (80 emoji are 320 bytes, the whole free-form budget).
            expect(parseCreateTransactionBody(schema, { ...valid, reference: "😀".repeat(80), metadata: undefined }).reference).to.have.length(160);
        });

        const cases: [string, unknown, string, string | undefined][] = [
            ["a float amount", { ...valid, amount: 12.5 }, "amount", "amount must be an integer number of minor units from 1 to 1000000"],
            ["a string amount", { ...valid, amount: "1250" }, "amount", "amount must be an integer number of minor units from 1 to 1000000"],
            ["a negative amount", { ...valid, amount: -5 }, "amount", undefined],
            ["a zero amount", { ...valid, amount: 0 }, "amount", undefined],
            ["an amount above MAX_AMOUNT_MINOR", { ...valid, amount: 1_000_001 }, "amount", undefined],
            ["an unsafe integer amount", { ...valid, amount: 2 ** 60 }, "amount", undefined],
            ["a missing amount", { currency: "EUR", merchantId: "m" }, "amount", "amount is required"],
            [
                "a made-up currency",
                { ...valid, currency: "ABC" },
                "currency",
                "currency must be an active ISO 4217 alphabetic code in upper case, such as USD or EUR",
            ],
            ["a lower-case currency", { ...valid, currency: "eur" }, "currency", undefined],
            ["a withdrawn currency", { ...valid, currency: "HRK" }, "currency", undefined],
            ["a missing currency", { amount: 1, merchantId: "m" }, "currency", "currency is required"],
            ["a long merchantId", { ...valid, merchantId: "m".repeat(65) }, "merchantId", "merchantId must be 1-64 characters of A-Z, a-z, 0-9, _ and -"],
            ["a merchantId with spaces", { ...valid, merchantId: "merchant 42" }, "merchantId", undefined],
            ["an empty merchantId", { ...valid, merchantId: "" }, "merchantId", undefined],
            [
                "a 141-character reference",
                { ...valid, reference: "r".repeat(141) },
                "reference",
                "reference must be a string of 1-140 characters without control characters, or null",
            ],
            ["an empty reference", { ...valid, reference: "" }, "reference", undefined],
            ["a reference with a control character", { ...valid, reference: "a\u0000b" }, "reference", undefined],
            ["a reference with a lone surrogate", { ...valid, reference: "a\ud800b" }, "reference", undefined],
            ["a numeric reference", { ...valid, reference: 7 }, "reference", undefined],
            ["metadata that is an array", { ...valid, metadata: ["a"] }, "metadata", "metadata must be an object of at most 20 string values"],
            ["metadata that is null", { ...valid, metadata: null }, "metadata", undefined],
            ["nested metadata", { ...valid, metadata: { a: { b: "c" } } }, "metadata.a", undefined],
            [
                "a numeric metadata value",
                { ...valid, metadata: { a: 1 } },
                "metadata.a",
                "metadata values must be strings of at most 256 characters without control characters",
            ],
            ["a long metadata value", { ...valid, metadata: { a: "v".repeat(257) } }, "metadata.a", undefined],
            [
                "a metadata key with a dot",
                { ...valid, metadata: { "a.b": "c" } },
                "metadata.a.b",
                "metadata keys must be 1-40 characters of A-Z, a-z, 0-9, _ and -, starting with a letter",
            ],
            ["a metadata key starting with a digit", { ...valid, metadata: { "1a": "c" } }, "metadata.1a", undefined],
            [
                "a __proto__ metadata key",
                JSON.parse('{"amount":1,"currency":"EUR","merchantId":"m","metadata":{"__proto__":"x"}}'),
                "metadata.__proto__",
                "metadata keys must be 1-40 characters of A-Z, a-z, 0-9, _ and -, starting with a letter",
            ],
            [
                "21 metadata entries",
                { ...valid, metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])) },
                "metadata",
                "metadata must have at most 20 entries",
            ],
            [
                "an unknown field",
                { ...valid, customer: "x" },
                "customer",
                'unknown field "customer"; allowed fields are amount, currency, merchantId, reference, metadata',
            ],
        ];
        for (const [name, body, field, message] of cases) {
            it(`refuses ${name} (400, field ${field})`, () => {
                const error = rejection(() => parseCreateTransactionBody(schema, body));
                expect(error.statusCode).to.equal(400);
                expect(error.code).to.equal("VALIDATION_ERROR");
                expect(error.field).to.equal(field);
                if (message !== undefined) {
                    expect(error.message).to.equal(message);
                }
            });
        }

        for (const body of [null, [], "text", 42, true]) {
            it(`refuses a top-level ${JSON.stringify(body)}`, () => {
                const error = rejection(() => parseCreateTransactionBody(schema, body));
                expect(error.message).to.equal("request body must be a JSON object");
                expect(error.field).to.equal(undefined);
            });
        }

        it("reports every problem in the message and the first in field", () => {
            const error = rejection(() => parseCreateTransactionBody(schema, { amount: 0, currency: "usd" }));
            expect(error.field).to.equal("amount");
            expect(error.message).to.contain("amount must be").and.contain("currency must be");
        });

        it("throws only 400 HttpErrors, whatever JSON it is given (property)", () => {
            fc.assert(
                fc.property(fc.jsonValue(), (json) => {
                    try {
                        parseCreateTransactionBody(schema, json);
                        return true;
                    } catch (error) {
                        return error instanceof HttpError && error.statusCode === 400;
                    }
                }),
                { numRuns: 1000 },
            );
        });
    });

    describe("Idempotency-Key", () => {
        it("accepts 1-128 characters of A-Za-z0-9_-", () => {
            for (const key of ["a", "k".repeat(128), "0f9e8d7c-6b5a-4f3e-9d2c-1b0a9f8e7d6c", "01HZY8W2Q5X_ABC"]) {
                expect(parseIdempotencyKey(key)).to.equal(key);
            }
        });

        it("requires the header", () => {
            for (const key of [undefined, ""]) {
                const error = rejection(() => parseIdempotencyKey(key));
                expect([error.statusCode, error.code, error.field]).to.deep.equal([400, "IDEMPOTENCY_KEY_REQUIRED", "Idempotency-Key"]);
            }
        });

        it("refuses other characters and lengths, without echoing the key", () => {
            for (const key of ["k".repeat(129), "a b", "a,b", "ключ", "a/b", "a.b"]) {
                const error = rejection(() => parseIdempotencyKey(key));
                expect([error.statusCode, error.code]).to.deep.equal([400, "INVALID_IDEMPOTENCY_KEY"]);
                expect(error.message).to.not.contain(key);
            }
        });
    });

    describe("content type", () => {
        it("accepts application/json with an optional utf-8 charset, in any case", () => {
            for (const value of ["application/json", "Application/JSON", "application/json; charset=utf-8", 'application/json;charset="UTF-8"']) {
                expect(() => checkContentType(value), value).to.not.throw();
            }
        });

        it("answers 415 for anything else", () => {
            for (const value of [
                undefined,
                "",
                "text/plain",
                "application/xml",
                "application/json-patch+json",
                "application/json; charset=latin1",
                "multipart/form-data",
            ]) {
                const error = rejection(() => checkContentType(value));
                expect([error.statusCode, error.code], String(value)).to.deep.equal([415, "UNSUPPORTED_MEDIA_TYPE"]);
            }
        });
    });

    describe("body decoding", () => {
        it("allows exactly 16 KiB and answers 413 above, counting decoded bytes", () => {
            expect(decodeBody("x".repeat(MAX_BODY_BYTES), false)).to.have.length(MAX_BODY_BYTES);
            const plain = rejection(() => decodeBody("x".repeat(MAX_BODY_BYTES + 1), false));
            expect([plain.statusCode, plain.code, plain.message]).to.deep.equal([
                413,
                "PAYLOAD_TOO_LARGE",
                "the request body must not exceed 16384 bytes (16 KiB)",
            ]);
            // Multi-byte characters count as bytes, and base64 counts after decoding.
            expect(rejection(() => decodeBody("é".repeat(MAX_BODY_BYTES / 2 + 1), false)).statusCode).to.equal(413);
            const base64 = Buffer.alloc(MAX_BODY_BYTES).toString("base64");
            expect(decodeBody(base64, true)).to.have.length(MAX_BODY_BYTES);
            expect(rejection(() => decodeBody(Buffer.alloc(MAX_BODY_BYTES + 1).toString("base64"), true)).statusCode).to.equal(413);
        });

        it("refuses an oversized body by its length, before decoding a byte of it (a 6 MB payload included)", () => {
            const decoded: number[] = [];
            const original = Buffer.from;
            // Count what is decoded: a body refused by its length must never reach Buffer.from.
            Buffer.from = ((value: unknown, ...rest: unknown[]) => {
                if (typeof value === "string") {
                    decoded.push(value.length);
                }
                return (original as (...args: unknown[]) => Buffer)(value, ...rest);
            }) as typeof Buffer.from;
            try {
                const sixMegabytes = "A".repeat(6 * 1024 * 1024);
                expect(rejection(() => decodeBody(sixMegabytes, true)).statusCode).to.equal(413);
                expect(rejection(() => decodeBody(sixMegabytes, false)).statusCode).to.equal(413);
                expect(rejection(() => decodeBody("A".repeat(MAX_BASE64_BODY_CHARS + 1), true)).statusCode).to.equal(413);
                expect(decoded).to.deep.equal([]);
            } finally {
                Buffer.from = original;
            }
            // The length bound lets through every body the byte limit allows.
            expect(MAX_BASE64_BODY_CHARS).to.equal(Buffer.alloc(MAX_BODY_BYTES).toString("base64").length);
        });

        it("answers 400 INVALID_JSON for empty, non-UTF-8 and malformed bodies", () => {
            for (const bytes of [Buffer.from(""), Buffer.from("  \n"), Buffer.from([0xff, 0xfe]), Buffer.from("{"), Buffer.from("{'a':1}")]) {
                const error = rejection(() => parseJson(bytes));
                expect([error.statusCode, error.code]).to.deep.equal([400, "INVALID_JSON"]);
            }
            expect(parseJson(Buffer.from('{"a":1}'))).to.deep.equal({ a: 1 });
        });
    });
});
