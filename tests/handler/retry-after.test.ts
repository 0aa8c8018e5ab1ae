import { expect } from "chai";
import {
    REPLICATION_LATENCY_SECONDS,
    RETRY_AFTER_JITTER_SECONDS,
    retryAfterHeader,
    retryAfterSeconds,
} from "../../functions/transaction-processor/retry-after";

describe("Retry-After (retry-after.ts)", () => {
    it("is never shorter than the documented replication latency (3 s) and at most 3 s above it", () => {
        expect(REPLICATION_LATENCY_SECONDS).to.equal(3);
        expect(retryAfterSeconds(() => 0)).to.equal(3);
        expect(retryAfterSeconds(() => 0.999999)).to.equal(3 + RETRY_AFTER_JITTER_SECONDS);
        // a random source at its bounds (or a broken one) cannot push it out of the range
        expect(retryAfterSeconds(() => 1)).to.equal(6);
        expect(retryAfterSeconds(() => -1)).to.equal(3);
    });

    it("spreads clients over every second of the range", () => {
        const seen = new Set<number>();
        for (let i = 0; i < 2_000; i++) {
            const value = retryAfterSeconds();
            expect(value).to.be.within(3, 6);
            seen.add(value);
        }
        expect([...seen].sort()).to.deep.equal([3, 4, 5, 6]);
    });

    it("renders whole seconds as the header value", () => {
        expect(retryAfterHeader(() => 0.5)).to.deep.equal({ "retry-after": "5" });
    });
});
