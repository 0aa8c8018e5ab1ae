import { expect } from "chai";
import * as fc from "fast-check";
import { createHmac } from "crypto";
import {
    TRANSACTION_ID_PATTERN,
    base32,
    canonicalJson,
    idempotencyKeyHash,
    legacyIdempotencyKeyHash,
    legacyTransactionIdFor,
    sha256Hex,
    transactionIdFor,
} from "../../functions/transaction-processor/ids";

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);

describe("transaction ids (ids.ts)", () => {
    it("encodes RFC 4648 base32 test vectors in lower case without padding", () => {
        const vectors: [string, string][] = [
            ["", ""],
            ["f", "my"],
            ["fo", "mzxq"],
            ["foo", "mzxw6"],
            ["foob", "mzxw6yq"],
            ["fooba", "mzxw6ytb"],
            ["foobar", "mzxw6ytboi"],
        ];
        for (const [input, expected] of vectors) {
            expect(base32(Buffer.from(input)), input).to.equal(expected);
        }
    });

    it("derives txn_ + 26 base32 chars of HMAC-SHA-256(stack key, namespace + tenant:key), deterministically", () => {
        // given
        const key = "order-1001";
        const digest = createHmac("sha256", KEY)
            .update("payments-dr/idempotency/v3:merchant_42:" + key)
            .digest();
        // when
        const id = transactionIdFor(KEY, "merchant_42", key);
        // then
        expect(id).to.equal("txn_" + base32(digest).slice(0, 26));
        expect(id).to.match(TRANSACTION_ID_PATTERN);
        expect(transactionIdFor(KEY, "merchant_42", key)).to.equal(id);
        expect(transactionIdFor(KEY, "merchant_42", "order-1002")).to.not.equal(id);
    });

    it("cannot be computed from a guessable key without the stack's secret: another key, another id, and not the unkeyed hash", () => {
        const id = transactionIdFor(KEY, "merchant_42", "order-1001");
        expect(transactionIdFor(OTHER_KEY, "merchant_42", "order-1001")).to.not.equal(id);
        expect(legacyTransactionIdFor("merchant_42", "order-1001")).to.not.equal(id);
        const unkeyed = Buffer.from(sha256Hex("payments-dr/idempotency/v3:merchant_42:order-1001"), "hex");
        expect("txn_" + base32(unkeyed).slice(0, 26)).to.not.equal(id);
    });

    it("keeps the pre-v3 derivation for migration: txn_ + 26 base32 chars of SHA-256(v2 namespace + tenant:key)", () => {
        const digest = Buffer.from(sha256Hex("payments-dr/idempotency/v2:merchant_42:order-1001"), "hex");
        expect(legacyTransactionIdFor("merchant_42", "order-1001")).to.equal("txn_" + base32(digest).slice(0, 26));
        expect(legacyIdempotencyKeyHash("merchant_42", "order-1001")).to.equal(digest.toString("hex"));
    });

    it("gives two tenants' equal keys two different ids", () => {
        expect(transactionIdFor(KEY, "merchant_a", "order-1001")).to.not.equal(transactionIdFor(KEY, "merchant_b", "order-1001"));
        // `:` separates tenant and key and occurs in neither, so shifting characters across it changes the id
        expect(transactionIdFor(KEY, "ab", "c")).to.not.equal(transactionIdFor(KEY, "a", "bc"));
    });

    it("stores the full tenant+key digest, whose prefix is the id, and never the key itself", () => {
        const key = "order-1001";
        const hash = idempotencyKeyHash(KEY, "merchant_42", key);
        expect(hash).to.match(/^[0-9a-f]{64}$/);
        expect(hash).to.not.contain(key);
        expect(base32(Buffer.from(hash, "hex")).slice(0, 26)).to.equal(transactionIdFor(KEY, "merchant_42", key).slice(4));
    });

    it("gives every tenant and key a well-formed id (property)", () => {
        fc.assert(
            fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.string({ minLength: 1, maxLength: 128 }), (tenant, key) =>
                TRANSACTION_ID_PATTERN.test(transactionIdFor(KEY, tenant, key)),
            ),
            { numRuns: 500 },
        );
    });

    it("canonical JSON ignores key order at every level and keeps array order", () => {
        expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).to.equal('{"a":{"c":null,"d":[2,1]},"b":1}');
        expect(canonicalJson({ a: 1, b: undefined })).to.equal('{"a":1}');
        fc.assert(
            fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
                const reversed = Object.fromEntries(Object.entries(object).reverse());
                return canonicalJson(object) === canonicalJson(reversed);
            }),
            { numRuns: 300 },
        );
    });
});
