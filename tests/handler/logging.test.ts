import { expect } from "chai";
import { closedPort } from "./support/local-aws";
import { getEvent, iamAuthorizer, invoke, jwtAuthorizer, newIdempotencyKey, postTransactionEvent, TEST_TENANT, validBody } from "./support/events";
import { useHandlerFixture } from "./support/fixture";

describe("structured logs", () => {
    const fixture = useHandlerFixture();
    beforeEach(() => fixture.logs.clear());

    it("writes one JSON access line per request with id, route, status, latency, region and role", async () => {
        // when
        const created = await invoke(postTransactionEvent(validBody()), "req-log-1");
        await invoke(getEvent(`/transactions/${String(created.body.id)}`), "req-log-2");
        await invoke(getEvent("/nope"), "req-log-3");
        // then
        const lines = fixture.logs.requests();
        expect(lines.map((line) => [line.requestId, line.route, line.status])).to.deep.equal([
            ["req-log-1", "POST /transactions", 201],
            ["req-log-2", "GET /transactions/{id}", 200],
            ["req-log-3", "GET (unknown path)", 404],
        ]);
        for (const line of lines) {
            expect(line).to.include({ level: "info", region: "us-east-1", role: "primary", env: "dev" });
            expect(line.latencyMs).to.be.a("number");
            expect(line.apiRequestId).to.match(/^apigw-/);
        }
        expect(lines[0].transactionId).to.equal(created.body.id);
        expect(lines[2].errorCode).to.equal("NOT_FOUND");
    });

    it("names the caller on every access line (PCI DSS 10.2): token sub and client id, or the role session, and the tenant", async () => {
        await invoke(postTransactionEvent(validBody()));
        await invoke(postTransactionEvent(validBody(), { authorizer: jwtAuthorizer(TEST_TENANT, undefined, "openid") }));
        fixture.env.set({ AUTH_MODE: "iam", TENANT_CLAIM: undefined });
        await invoke(postTransactionEvent(validBody(), { authorizer: iamAuthorizer("acme-checkout") }));
        await invoke(postTransactionEvent(validBody(), { authorizer: iamAuthorizer("intruder", undefined, "AROAUNMAPPEDROLE00001") }));
        const pick = (line: Record<string, unknown>) => [line.status, line.tenant, line.callerSub, line.callerClientId, line.callerArn, line.callerId];
        expect(fixture.logs.requests().map(pick)).to.deep.equal([
            [201, TEST_TENANT, `user-of-${TEST_TENANT}`, `client-of-${TEST_TENANT}`, undefined, undefined],
            // refused for its scope: still named, and its tenant
            [403, TEST_TENANT, `user-of-${TEST_TENANT}`, `client-of-${TEST_TENANT}`, undefined, undefined],
            [201, TEST_TENANT, undefined, undefined, "arn:aws:sts::111122223333:assumed-role/acme-checkout/session-1", "AROAEXAMPLETENANT42XX:session-1"],
            [403, undefined, undefined, undefined, "arn:aws:sts::111122223333:assumed-role/intruder/session-1", "AROAUNMAPPEDROLE00001:session-1"],
        ]);
    });

    it("never logs bodies, metadata values, idempotency keys or card-like data", async () => {
        // given: recognisable values in every client-controlled place
        const key = `secret-key-${newIdempotencyKey()}`;
        const body = validBody({ reference: "REF-4111111111111111", metadata: { note: "META-VALUE-5500005555555559" } });
        // when: a success, a replay, a conflict and a validation failure
        await invoke(postTransactionEvent(body, { idempotencyKey: key }));
        await invoke(postTransactionEvent(body, { idempotencyKey: key }));
        await invoke(postTransactionEvent({ ...body, amount: 1 }, { idempotencyKey: key }));
        await invoke(postTransactionEvent({ ...body, cardNumber: "4000056655665556" }));
        // then
        const output = fixture.logs.raw.join("\n");
        expect(fixture.logs.requests()).to.have.length(4);
        for (const secret of [key, "REF-", "META-VALUE", "4111111111111111", "5500005555555559", "4000056655665556"]) {
            expect(output, secret).to.not.contain(secret);
        }
        expect(fixture.logs.requests().map((line) => [line.status, line.replay ?? false])).to.deep.equal([
            [201, false],
            [200, true],
            [409, false],
            [400, false],
        ]);
    });

    it("puts one 0/1 PaymentFailed value (embedded metric format) on each payment's line, 1 only for a 5xx", async () => {
        // when: a created payment, a client error, a payment the region fails (table unreachable) and a read
        await invoke(postTransactionEvent(validBody()));
        await invoke(postTransactionEvent({ ...validBody(), amount: "12" }));
        fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await closedPort()}` });
        await invoke(postTransactionEvent(validBody()));
        await invoke(getEvent("/transactions/txn_aaaaaaaaaaaaaaaaaaaaaaaaaa"));
        // then
        const lines = fixture.logs.requests();
        expect(lines.map((line) => [line.status, line.PaymentFailed])).to.deep.equal([
            [201, 0],
            [400, 0],
            [503, 1],
            [503, undefined],
        ]);
        const emf = lines[0]._aws as { Timestamp: unknown; CloudWatchMetrics: unknown };
        expect(emf.Timestamp).to.be.a("number");
        expect(emf.CloudWatchMetrics).to.deep.equal([
            { Namespace: "PaymentsDR", Dimensions: [["Region"]], Metrics: [{ Name: "PaymentFailed", Unit: "Count" }] },
        ]);
        expect(lines[0].Region).to.equal("us-east-1");
        expect(lines[3]._aws).to.equal(undefined);
    });
});
