import { expect } from "chai";
import { ITEM_MAX_BYTES, WRITE_UNITS_PER_WRITE } from "../../program/capacity";
import { FREEFORM_MAX_BYTES, METADATA_MAX_ENTRIES } from "../../functions/transaction-processor/validation";
import { invoke, jwtAuthorizer, postTransactionEvent } from "./support/events";
import { useHandlerFixture } from "./support/fixture";

/**
 * DynamoDB's item size: the UTF-8 lengths of attribute names and string values, about (digits / 2) + 1 bytes per
 * number, 3 bytes plus 1 per element for a map ("Item sizes and formats", DynamoDB Developer Guide).
 */
function dynamoItemBytes(item: Record<string, unknown>): number {
    const valueBytes = (value: unknown): number => {
        if (typeof value === "string") {
            return Buffer.byteLength(value, "utf8");
        }
        if (typeof value === "number") {
            return Math.ceil(String(Math.abs(value)).replace(".", "").length / 2) + 1;
        }
        if (typeof value === "object" && value !== null) {
            return 3 + Object.entries(value).reduce((sum, [name, inner]) => sum + 1 + Buffer.byteLength(name, "utf8") + valueBytes(inner), 0);
        }
        return 1;
    };
    return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, "utf8") + valueBytes(value), 0);
}

describe(`stored items stay within ${ITEM_MAX_BYTES} bytes (${WRITE_UNITS_PER_WRITE} write unit per write)`, () => {
    const fixture = useHandlerFixture();
    const tenant = "m".repeat(64);

    /** The largest body the API accepts: longest merchant, largest amount, the free-form budget in 4-byte characters. */
    function largestBody(): Record<string, unknown> {
        const metadata: Record<string, string> = {};
        let left = FREEFORM_MAX_BYTES;
        for (let i = 0; i < METADATA_MAX_ENTRIES && left > 8; i += 1) {
            const key = `k${String(i).padStart(2, "0")}`;
            const value = "😀".repeat(Math.min(Math.floor((left - key.length) / 4), 2));
            metadata[key] = value;
            left -= key.length + Buffer.byteLength(value, "utf8");
        }
        return { amount: 999_999, currency: "EUR", merchantId: tenant, reference: "x".repeat(Math.max(1, left)), metadata };
    }

    it("accepts the largest request, and its stored item (receipt marked STORED) is within the budget", async () => {
        const body = largestBody();
        const response = await invoke(postTransactionEvent(body, { authorizer: jwtAuthorizer(tenant) }));
        expect(response.status, JSON.stringify(response.body)).to.equal(201);
        const item = await fixture.aws.getItem(fixture.tableName, { pk: `TXN#${String(response.body.id)}`, sk: "TXN" });
        expect(item?.receiptStatus).to.equal("STORED");
        const bytes = dynamoItemBytes(item!);
        expect(bytes).to.be.at.most(ITEM_MAX_BYTES);
        expect(bytes).to.be.greaterThan(ITEM_MAX_BYTES * 0.6); // the measure is real, not trivially small
    });

    it("refuses one byte more of reference and metadata with a 400 naming the rule", async () => {
        // "note" + 100 × "é" (2 bytes each) = 204 bytes; the reference takes the rest of the budget plus one byte.
        const body = {
            amount: 1,
            currency: "EUR",
            merchantId: "merchant_42",
            reference: "r".repeat(FREEFORM_MAX_BYTES - 204 + 1),
            metadata: { note: "é".repeat(100) },
        };
        const response = await invoke(postTransactionEvent(body));
        expect(response.status).to.equal(400);
        expect(response.body.error?.field).to.equal("metadata");
        expect(response.body.error?.message).to.match(new RegExp(`must not exceed ${FREEFORM_MAX_BYTES} bytes of UTF-8`));
    });
});
