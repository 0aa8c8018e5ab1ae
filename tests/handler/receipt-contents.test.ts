import { expect } from "chai";
import * as fc from "fast-check";
import { requestHashOf } from "../../functions/transaction-processor/create-transaction";
import { requestHashOfView } from "../../functions/transaction-processor/receipt-contents";
import { receiptBodyOf, receiptKeyFor } from "../../functions/transaction-processor/receipts";
import { toView, type TransactionItem } from "../../functions/transaction-processor/transactions";
import type { CreateTransactionInput } from "../../functions/transaction-processor/validation";

// The reconciliation compares a stored receipt with the table's requestHash: the hash must come back from the view.

const input = fc.record(
    {
        amount: fc.integer({ min: 1, max: 1_000_000_000 }),
        currency: fc.constantFrom("EUR", "USD", "JPY"),
        merchantId: fc.stringMatching(/^[a-z0-9_-]{1,40}$/),
        reference: fc.option(fc.string({ maxLength: 64 }), { nil: null }),
        metadata: fc.dictionary(fc.stringMatching(/^[a-z]{1,10}$/), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
    },
    { requiredKeys: ["amount", "currency", "merchantId", "reference"] },
);

function itemOf(body: CreateTransactionInput): TransactionItem {
    const id = "txn_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    const createdAt = "2026-11-28T19:00:00.000Z";
    return {
        pk: `TXN#${id}`,
        sk: "TXN",
        id,
        status: "ACCEPTED",
        amount: body.amount,
        currency: body.currency,
        merchantId: body.merchantId,
        ...(body.reference === null ? {} : { reference: body.reference }),
        ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
        createdAt,
        region: "us-east-1",
        requestHash: requestHashOf(body),
        idempotencyKeyHash: "1".repeat(64),
        receiptKey: receiptKeyFor(id, createdAt, "us-east-1"),
        receiptStatus: "PENDING",
    };
}

describe("receipt contents against the table", () => {
    it("recovers the accepted request's hash from the receipt's view, for any body (property)", () => {
        fc.assert(
            fc.property(input, (body) => {
                const item = itemOf(body);
                const parsed = JSON.parse(receiptBodyOf(toView(item))) as { transaction: ReturnType<typeof toView> };
                expect(requestHashOfView(parsed.transaction)).to.equal(item.requestHash);
            }),
        );
    });

    it("tells a different amount, reference or metadata apart", () => {
        const item = itemOf({ amount: 100, currency: "EUR", merchantId: "m1", reference: "r1", metadata: { a: "1" } });
        for (const changed of [{ amount: 101 }, { reference: null }, { metadata: { a: "2" } }]) {
            expect(requestHashOfView({ ...toView(item), ...changed })).to.not.equal(item.requestHash);
        }
    });

    it("keys a version's receipt by its region in eventual mode, the id alone otherwise", () => {
        expect(receiptKeyFor("txn_abcdefghijklmnopqrstuvwxyz", "2026-11-28T19:00:00.000Z", "us-west-2")).to.equal(
            "receipts/ab/2026/11/28/txn_abcdefghijklmnopqrstuvwxyz.us-west-2.json",
        );
        expect(receiptKeyFor("txn_abcdefghijklmnopqrstuvwxyz", "2026-11-28T19:00:00.000Z")).to.equal(
            "receipts/ab/2026/11/28/txn_abcdefghijklmnopqrstuvwxyz.json",
        );
    });
});
