import { expect } from "chai";
import { transactionIdFor } from "./support/ids";
import {
    getEvent,
    iamAuthorizer,
    invoke,
    jwtAuthorizer,
    newIdempotencyKey,
    postTransactionEvent,
    TEST_ROLE_ID,
    TEST_TENANT,
    validBody,
    type HandlerResponse,
} from "./support/events";
import { useHandlerFixture } from "./support/fixture";

const OTHER_TENANT = "merchant_77";
const TENANT_ROLE = "payments-tenant-merchant_42";

describe("tenants: authentication context, isolation and tenant-scoped ids", () => {
    const fixture = useHandlerFixture();
    const itemCount = async () => (await fixture.aws.scan(fixture.tableName)).length;

    function expectError(response: HandlerResponse, status: number, code: string): void {
        expect(response.status, response.text).to.equal(status);
        expect(response.headers["content-type"]).to.equal("application/json");
        expect(response.body.error?.code).to.equal(code);
        expect(Object.keys(response.body)).to.deep.equal(["error"]);
    }

    describe("a request without an authorizer context (defence in depth)", () => {
        it("answers POST with 401 JSON and writes nothing", async () => {
            const before = await itemCount();
            const response = await invoke(postTransactionEvent(validBody(), { authorizer: null }));
            expectError(response, 401, "UNAUTHENTICATED");
            expect(await itemCount()).to.equal(before);
        });

        it("answers GET with 401 JSON", async () => {
            const created = await invoke(postTransactionEvent(validBody()));
            const response = await invoke(getEvent(`/transactions/${String(created.body.id)}`, null));
            expectError(response, 401, "UNAUTHENTICATED");
        });

        it("answers 401 when the context is of the other mode (an IAM identity reaching a jwt function)", async () => {
            const response = await invoke(postTransactionEvent(validBody(), { authorizer: iamAuthorizer(TENANT_ROLE) }));
            expectError(response, 401, "UNAUTHENTICATED");
        });

        it("answers 401 before looking at the body (an empty one included)", async () => {
            const response = await invoke(postTransactionEvent("", { authorizer: null, contentType: "text/plain" }));
            expectError(response, 401, "UNAUTHENTICATED");
        });
    });

    describe("jwt mode", () => {
        it("refuses a token without the tenant claim (403) and one whose claim is not a merchant id", async () => {
            const before = await itemCount();
            const noClaim = await invoke(postTransactionEvent(validBody(), { authorizer: jwtAuthorizer(TEST_TENANT, "other_claim") }));
            expectError(noClaim, 403, "TENANT_UNKNOWN");
            expect(noClaim.body.error?.message).to.contain("no merchant_id claim");
            const badClaim = await invoke(postTransactionEvent(validBody(), { authorizer: jwtAuthorizer("merchant 42; drop") }));
            expectError(badClaim, 403, "TENANT_UNKNOWN");
            expect(await itemCount()).to.equal(before);
        });

        it("reads the claim TENANT_CLAIM names", async () => {
            fixture.env.set({ TENANT_CLAIM: "custom:merchant" });
            const response = await invoke(postTransactionEvent(validBody(), { authorizer: jwtAuthorizer(TEST_TENANT, "custom:merchant") }));
            expect(response.status).to.equal(201);
            expect(response.body.merchantId).to.equal(TEST_TENANT);
        });
    });

    describe("iam mode: the role's unique id, never its name, names the tenant", () => {
        beforeEach(() => fixture.env.set({ AUTH_MODE: "iam", TENANT_CLAIM: undefined }));

        it("derives the tenant from TENANT_ROLE_IDS, keyed by the unique id (AROA...) of the caller's role", async () => {
            const key = newIdempotencyKey();
            const response = await invoke(
                postTransactionEvent(validBody({ merchantId: undefined }), {
                    idempotencyKey: key,
                    // Any role name: only the unique id counts.
                    authorizer: iamAuthorizer("acme-checkout-service"),
                }),
            );
            expect(response.status, response.text).to.equal(201);
            expect(response.body).to.include({ id: transactionIdFor(TEST_TENANT, key), merchantId: TEST_TENANT });
        });

        it("refuses an unmapped role id with 403, even a role named payments-tenant-<merchant> (a re-created role is a new id)", async () => {
            const before = await itemCount();
            const recreated = iamAuthorizer(TENANT_ROLE, "111122223333", "AROARECREATEDROLE0001");
            const response = await invoke(postTransactionEvent(validBody(), { authorizer: recreated }));
            expectError(response, 403, "TENANT_UNKNOWN");
            expect(response.body.error?.message).to.contain("AROARECREATEDROLE0001").and.contain("mapped to no merchant");
            expectError(await invoke(getEvent("/transactions/txn_aaaaaaaaaaaaaaaaaaaaaaaaaa", recreated)), 403, "TENANT_UNKNOWN");
            expect(await itemCount()).to.equal(before);
        });

        it("refuses the mapped id from another account, IAM users and a missing mapping (403)", async () => {
            const before = await itemCount();
            const cases = [
                iamAuthorizer(TENANT_ROLE, "444455556666"),
                { iam: { accountId: "111122223333", userArn: "arn:aws:iam::111122223333:user/alice", userId: "AIDAEXAMPLEUSERALICE1" } },
                { iam: { accountId: "111122223333", userArn: `arn:aws:sts::111122223333:assumed-role/${TENANT_ROLE}/s` } },
            ];
            for (const authorizer of cases) {
                expectError(await invoke(postTransactionEvent(validBody(), { authorizer })), 403, "TENANT_UNKNOWN");
            }
            fixture.env.set({ TENANT_ROLE_IDS: undefined });
            expectError(await invoke(postTransactionEvent(validBody(), { authorizer: iamAuthorizer(TENANT_ROLE) })), 403, "TENANT_UNKNOWN");
            expect(await itemCount()).to.equal(before);
        });

        it("needs no scope (IAM policies decide who may invoke which route)", async () => {
            const response = await invoke(postTransactionEvent(validBody(), { authorizer: iamAuthorizer(TENANT_ROLE) }));
            expect(response.status, response.text).to.equal(201);
            expect(TEST_ROLE_ID).to.match(/^AROA/);
        });
    });

    describe("jwt scopes", () => {
        it("refuses a token without transactions:write on POST (403 INSUFFICIENT_SCOPE, nothing written)", async () => {
            const before = await itemCount();
            for (const scope of ["", "transactions:read", "openid profile"]) {
                const response = await invoke(postTransactionEvent(validBody(), { authorizer: jwtAuthorizer(TEST_TENANT, undefined, scope) }));
                expectError(response, 403, "INSUFFICIENT_SCOPE");
                expect(response.headers["www-authenticate"]).to.equal('Bearer error="insufficient_scope", scope="transactions:write"');
            }
            expect(await itemCount()).to.equal(before);
        });

        it("refuses a token without transactions:read on GET, and accepts each route's own scope alone", async () => {
            const key = newIdempotencyKey();
            const created = await invoke(
                postTransactionEvent(validBody(), { idempotencyKey: key, authorizer: jwtAuthorizer(TEST_TENANT, undefined, "transactions:write") }),
            );
            expect(created.status, created.text).to.equal(201);
            const path = `/transactions/${String(created.body.id)}`;
            expectError(await invoke(getEvent(path, jwtAuthorizer(TEST_TENANT, undefined, "transactions:write"))), 403, "INSUFFICIENT_SCOPE");
            expect((await invoke(getEvent(path, jwtAuthorizer(TEST_TENANT, undefined, "transactions:read")))).status).to.equal(200);
        });

        it("reads scp lists as well as the scope string, and the scopes REQUIRED_SCOPES names", async () => {
            const scp = { jwt: { claims: { merchant_id: TEST_TENANT, scp: "[openid transactions:write]" }, scopes: null } };
            expect((await invoke(postTransactionEvent(validBody(), { authorizer: scp }))).status).to.equal(201);
            fixture.env.set({ REQUIRED_SCOPES: JSON.stringify({ write: "payments/create", read: "payments/read" }) });
            expectError(await invoke(postTransactionEvent(validBody())), 403, "INSUFFICIENT_SCOPE");
            const custom = await invoke(postTransactionEvent(validBody(), { authorizer: jwtAuthorizer(TEST_TENANT, undefined, "payments/create") }));
            expect(custom.status, custom.text).to.equal(201);
        });
    });

    describe("the body's merchantId", () => {
        it("may be omitted: the transaction belongs to the tenant, and is the same as naming the tenant", async () => {
            const key = newIdempotencyKey();
            const omitted = await invoke(postTransactionEvent(validBody({ merchantId: undefined }), { idempotencyKey: key }));
            const named = await invoke(postTransactionEvent(validBody({ merchantId: TEST_TENANT }), { idempotencyKey: key }));
            expect([omitted.status, named.status]).to.deep.equal([201, 200]);
            expect(omitted.body.merchantId).to.equal(TEST_TENANT);
            expect(named.text).to.equal(omitted.text);
        });

        it("naming another merchant is 403 MERCHANT_MISMATCH and writes nothing", async () => {
            const before = await itemCount();
            const response = await invoke(postTransactionEvent(validBody({ merchantId: OTHER_TENANT })));
            expectError(response, 403, "MERCHANT_MISMATCH");
            expect(response.body.error?.field).to.equal("merchantId");
            expect(await itemCount()).to.equal(before);
        });
    });

    describe("isolation", () => {
        it("gives two tenants' equal Idempotency-Keys two transactions (no 409 across merchants)", async () => {
            const key = newIdempotencyKey();
            const first = await invoke(postTransactionEvent(validBody({ merchantId: undefined }), { idempotencyKey: key }));
            const second = await invoke(
                postTransactionEvent(validBody({ merchantId: undefined, amount: 999 }), { idempotencyKey: key, authorizer: jwtAuthorizer(OTHER_TENANT) }),
            );
            expect([first.status, second.status]).to.deep.equal([201, 201]);
            expect(first.body.id).to.equal(transactionIdFor(TEST_TENANT, key));
            expect(second.body.id).to.equal(transactionIdFor(OTHER_TENANT, key));
            expect(second.body).to.include({ merchantId: OTHER_TENANT, amount: 999 });
        });

        it("another tenant reusing a key gets its own transaction, and its 409 only ever shows its own (never the first tenant's)", async () => {
            // given: merchant_42 used the key first
            const key = newIdempotencyKey();
            const mine = await invoke(postTransactionEvent(validBody({ merchantId: undefined, amount: 4242 }), { idempotencyKey: key }));
            const other = jwtAuthorizer(OTHER_TENANT);
            // when: merchant_77 uses the same key, then the same key with another body
            const theirs = await invoke(postTransactionEvent(validBody({ merchantId: undefined, amount: 7777 }), { idempotencyKey: key, authorizer: other }));
            const conflict = await invoke(postTransactionEvent(validBody({ merchantId: undefined, amount: 7778 }), { idempotencyKey: key, authorizer: other }));
            // then: its 409 carries its own transaction; nothing of merchant_42's is in the answer
            expect([mine.status, theirs.status, conflict.status]).to.deep.equal([201, 201, 409]);
            expect(conflict.body.stored).to.deep.equal(theirs.body);
            expect(conflict.text).to.not.include(String(mine.body.id));
            expect(conflict.text).to.not.include("4242");
            expect(conflict.text).to.not.include(TEST_TENANT);
        });

        it("a 409 never shows an item whose merchant is not the caller (a hand-edited item under the caller's id): no `stored`", async () => {
            // given: under merchant_77's id for the key, an item that says merchant_42 (only a manual edit can do this)
            const key = newIdempotencyKey();
            const planted = await invoke(postTransactionEvent(validBody({ merchantId: undefined, amount: 4243 }), { idempotencyKey: key }));
            const [item] = (await fixture.aws.scan(fixture.tableName)).filter((i) => i.pk === `TXN#${String(planted.body.id)}` && i.sk === "TXN");
            const theirId = transactionIdFor(OTHER_TENANT, key);
            await fixture.aws.putItem(fixture.tableName, { ...item, pk: `TXN#${theirId}`, id: theirId });
            // when
            const conflict = await invoke(
                postTransactionEvent(validBody({ merchantId: undefined, amount: 1 }), { idempotencyKey: key, authorizer: jwtAuthorizer(OTHER_TENANT) }),
            );
            // then
            expectError(conflict, 409, "IDEMPOTENCY_CONFLICT");
            expect(conflict.text).to.not.include(TEST_TENANT);
        });

        it("answers another tenant's id with exactly the 404 of an id that does not exist", async () => {
            const created = await invoke(postTransactionEvent(validBody()));
            const id = String(created.body.id);
            const foreign = await invoke(getEvent(`/transactions/${id}`, jwtAuthorizer(OTHER_TENANT)));
            expectError(foreign, 404, "TRANSACTION_NOT_FOUND");
            expect(foreign.body).to.deep.equal({ error: { code: "TRANSACTION_NOT_FOUND", message: `transaction ${id} does not exist` } });
            const unknownId = transactionIdFor(OTHER_TENANT, newIdempotencyKey());
            const missing = await invoke(getEvent(`/transactions/${unknownId}`, jwtAuthorizer(OTHER_TENANT)));
            expect(missing.text.replace(unknownId, "<id>")).to.equal(foreign.text.replace(id, "<id>"));
            // the owner still reads it
            expect((await invoke(getEvent(`/transactions/${id}`))).text).to.equal(created.text);
        });
    });
});
