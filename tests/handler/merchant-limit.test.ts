import { expect } from "chai";
import { MAX_TRACKED_MERCHANTS, MerchantLimiter } from "../../functions/transaction-processor/merchant-limit";
import { getEvent, invoke, jwtAuthorizer, postTransactionEvent, TEST_TENANT, validBody } from "./support/events";
import { useHandlerFixture } from "./support/fixture";

const OTHER_TENANT = "merchant_77";

describe("per-merchant limit (merchant-limit.ts)", () => {
    describe("MerchantLimiter, with a controlled clock", () => {
        let clock = 0;
        const limiter = () => new MerchantLimiter(2, 4, () => clock);
        beforeEach(() => (clock = 0));

        it("admits the burst at once, then the rate, per merchant", () => {
            const buckets = limiter();
            const taken = Array.from({ length: 5 }, () => buckets.take("a").admitted);
            expect(taken).to.deep.equal([true, true, true, true, false]);
            // another merchant has its own bucket
            expect(buckets.take("b").admitted).to.equal(true);
            // 2 per second: after 500 ms one more request, after 2 s the whole burst again (never more)
            clock = 500;
            expect([buckets.take("a").admitted, buckets.take("a").admitted]).to.deep.equal([true, false]);
            clock = 10_000;
            expect(Array.from({ length: 5 }, () => buckets.take("a").admitted)).to.deep.equal([true, true, true, true, false]);
        });

        it("says how long to wait: whole seconds until the next token", () => {
            const buckets = new MerchantLimiter(1, 1, () => clock);
            buckets.take("a");
            expect(buckets.take("a")).to.deep.equal({ admitted: false, retryAfterSeconds: 1 });
            const slow = new MerchantLimiter(1, 1, () => clock);
            slow.take("a");
            clock = 100;
            expect(slow.take("a")).to.deep.equal({ admitted: false, retryAfterSeconds: 1 });
        });

        it(`remembers at most ${MAX_TRACKED_MERCHANTS} merchants, forgetting the least recently seen first`, () => {
            const buckets = new MerchantLimiter(1, 1, () => clock);
            buckets.take("first");
            for (let i = 0; i < MAX_TRACKED_MERCHANTS; i++) {
                buckets.take(`m${i}`);
            }
            // "first" was forgotten: a fresh, full bucket; "m1" (recent) is still empty.
            expect(buckets.take("first").admitted).to.equal(true);
            expect(buckets.take(`m${MAX_TRACKED_MERCHANTS - 1}`).admitted).to.equal(false);
        });
    });

    describe("the handler", () => {
        const fixture = useHandlerFixture();
        beforeEach(() => fixture.env.set({ MERCHANT_RATE_LIMIT: "1", MERCHANT_BURST: "3" }));

        it("answers a merchant over its limit 429 MERCHANT_RATE_LIMITED (Retry-After, nothing written) while another gets 201", async () => {
            const noisy = await Promise.all(Array.from({ length: 3 }, () => invoke(postTransactionEvent(validBody()))));
            expect(noisy.map((r) => r.status)).to.deep.equal([201, 201, 201]);
            const before = (await fixture.aws.scan(fixture.tableName)).length;
            const over = await invoke(postTransactionEvent(validBody()));
            expect(over.status, over.text).to.equal(429);
            expect(over.body.error?.code).to.equal("MERCHANT_RATE_LIMITED");
            expect(Number(over.headers["retry-after"])).to.be.within(1, 2);
            expect((await fixture.aws.scan(fixture.tableName)).length).to.equal(before);
            // reads count too: the same merchant's GET is refused, another merchant's POST and GET are served
            expect((await invoke(getEvent(`/transactions/${String(noisy[0].body.id)}`))).status).to.equal(429);
            const other = await invoke(postTransactionEvent(validBody({ merchantId: undefined }), { authorizer: jwtAuthorizer(OTHER_TENANT) }));
            expect(other.status, other.text).to.equal(201);
            expect(other.body.merchantId).to.equal(OTHER_TENANT);
            expect((await invoke(getEvent(`/transactions/${String(other.body.id)}`, jwtAuthorizer(OTHER_TENANT)))).status).to.equal(200);
            const line = fixture.logs.requests().find((l) => l.status === 429);
            expect(line).to.include({ errorCode: "MERCHANT_RATE_LIMITED", callerSub: `user-of-${TEST_TENANT}` });
        });

        it("checks the limit before the body: an over-limit merchant's invalid body is still a 429", async () => {
            fixture.env.set({ MERCHANT_RATE_LIMIT: "1", MERCHANT_BURST: "1", TABLE_NAME: fixture.tableName, LOG_LEVEL: undefined });
            // A fresh limiter (the environment's fingerprint changed): one request, then none.
            await invoke(postTransactionEvent(validBody(), { authorizer: jwtAuthorizer("merchant_burst1") }));
            const response = await invoke(postTransactionEvent("{not json", { authorizer: jwtAuthorizer("merchant_burst1") }));
            expect(response.status).to.equal(429);
        });

        it("is off unless MERCHANT_RATE_LIMIT and MERCHANT_BURST are set", async () => {
            fixture.env.set({ MERCHANT_RATE_LIMIT: undefined, MERCHANT_BURST: undefined });
            const statuses = [];
            for (let i = 0; i < 6; i++) {
                statuses.push((await invoke(postTransactionEvent(validBody()))).status);
            }
            expect(statuses).to.deep.equal([201, 201, 201, 201, 201, 201]);
        });
    });
});
