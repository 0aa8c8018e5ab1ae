import { randomUUID } from "crypto";
import { expect } from "chai";
import {
    AuthError,
    ConflictError,
    GaveUpError,
    NotFoundError,
    PaymentsClient,
    ValidationError,
    type CreateResult,
    type PaymentsClientOptions,
    type Transaction,
} from "@payments-dr/client";
import { REPLICATION_LATENCY_SECONDS, RETRY_AFTER_JITTER_SECONDS } from "../../functions/transaction-processor/retry-after";
import { BlackHole } from "../handler/support/black-hole";
import { closedPort } from "../handler/support/local-aws";
import { REGION_A, REGION_B } from "../handler/support/two-regions";
import { useTwoRegionApi } from "./support/regional-api";

/** Retries, Retry-After, final answers and giving up, against the real functions in two local regions (jwt auth). */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const body = (amount = 500) => ({ amount, currency: "EUR", reference: `order ${randomUUID().slice(0, 8)}` });
const failure = (promise: Promise<unknown>) =>
    promise.then(
        () => expect.fail("expected the call to fail"),
        (error: unknown) => error,
    );
const endOf = (attempt: { at: string; durationMs: number }) => Date.parse(attempt.at) + attempt.durationMs;

describe("PaymentsClient retries and answers (jwt auth, two local regions)", function () {
    this.timeout(120_000);
    const api = useTwoRegionApi("jwt");
    const newClient = (options: Partial<PaymentsClientOptions> = {}) => new PaymentsClient({ endpoints: api.endpoints(), auth: api.auth(), ...options });
    const posts = async () => {
        const [a, b] = await Promise.all([api.primary.command({ type: "stats" }), api.secondary.command({ type: "stats" })]);
        return (a.forwarded["POST /transactions"] ?? 0) + (b.forwarded["POST /transactions"] ?? 0);
    };

    describe("an unhealthy region", () => {
        it("a 5xx from a region whose /health is unhealthy: the same request goes to the other region at once, not after Retry-After", async () => {
            // given: the primary's bucket is down, so its payments fail and its /health (once its cache expires) says so
            await api.storage.servers(REGION_A).stopS3();
            let restarted = false;
            try {
                const deadline = Date.now() + 10_000;
                while ((await fetch(`${api.primary.url}/health`)).status !== 503 && Date.now() < deadline) {
                    await sleep(250);
                }

                const result = await newClient().createTransaction(body(510));

                expect(result.attempts.map((a) => [a.endpoint, a.status, a.code])).to.deep.equal([
                    ["primary", 503, "RECEIPT_STORAGE_UNAVAILABLE"],
                    ["secondary", 201, undefined],
                ]);
                expect(result.attempts[0].retryAfterMs).to.be.at.least(REPLICATION_LATENCY_SECONDS * 1000);
                expect(Date.parse(result.attempts[1].at) - endOf(result.attempts[0])).to.be.below(REPLICATION_LATENCY_SECONDS * 1000);
                // The primary recorded the transaction before its receipt failed; the secondary accepted the same key and
                // body: after replication, one transaction.
                await api.storage.servers(REGION_A).startS3();
                restarted = true;
                await api.replicate();
                for (const region of [REGION_A, REGION_B]) {
                    expect((await api.transactions(region)).filter((t) => t.id === result.transaction.id)).to.have.length(1);
                }
            } finally {
                if (!restarted) {
                    await api.storage.servers(REGION_A).startS3();
                }
            }
        });
    });

    describe("Retry-After", () => {
        it("429 with Retry-After: waits at least that long and retries the same region (throttling is no reason to fail over)", async () => {
            await api.primary.command({ type: "throttle", count: 1, retryAfterSeconds: 1 });
            const result = await newClient().createTransaction(body(520));
            expect(result.attempts.map((a) => [a.endpoint, a.status])).to.deep.equal([
                ["primary", 429],
                ["primary", 201],
            ]);
            expect(result.attempts[0].retryAfterMs).to.equal(1_000);
            expect(Date.parse(result.attempts[1].at) - endOf(result.attempts[0])).to.be.at.least(1_000);
        });

        it("the processor's own 503 (receipt storage down) through the failover name: waits out its Retry-After, then the retry completes the same payment", async () => {
            const client = new PaymentsClient({ endpoints: { failover: api.primary.url }, auth: api.auth() });
            await api.storage.servers(REGION_A).stopS3();
            setTimeout(() => void api.storage.servers(REGION_A).startS3(), 1_000);

            const result = await client.createTransaction(body(530));

            const [first, second] = result.attempts;
            expect([first.status, first.code]).to.deep.equal([503, "RECEIPT_STORAGE_UNAVAILABLE"]);
            expect(first.retryAfterMs).to.be.within(REPLICATION_LATENCY_SECONDS * 1000, (REPLICATION_LATENCY_SECONDS + RETRY_AFTER_JITTER_SECONDS) * 1000);
            expect(Date.parse(second.at) - endOf(first)).to.be.at.least(first.retryAfterMs!);
            expect(second.status).to.equal(200);
            expect(result.replayed).to.equal(true);
            expect((await api.transactions(REGION_A)).filter((t) => t.id === result.transaction.id)).to.have.length(1);
        });
    });

    describe("final answers are never retried", () => {
        it("409: the same key with another body is a ConflictError after one attempt, with the API's answer", async () => {
            const client = newClient();
            const first = await client.createTransaction({ amount: 540, currency: "EUR" });
            const before = await posts();
            const error = await failure(client.createTransaction({ amount: 541, currency: "EUR" }, { idempotencyKey: first.idempotencyKey }));
            expect(error).to.be.instanceOf(ConflictError);
            const conflict = error as ConflictError;
            expect([conflict.status, conflict.code, conflict.region]).to.deep.equal([409, "IDEMPOTENCY_CONFLICT", REGION_A.name]);
            expect(conflict.body.error?.field).to.equal("Idempotency-Key");
            expect(conflict.attempts).to.have.length(1);
            expect(await posts()).to.equal(before + 1);
            // the stored transaction, typed, exactly as getTransaction reads it
            const stored: Transaction | undefined = conflict.stored;
            expect(stored).to.deep.equal(first.transaction);
            expect(stored).to.deep.equal((await client.getTransaction(first.transaction.id)).transaction);
        });

        it("409 without a stored transaction in the answer (or a malformed one): `stored` is undefined, never a guess", async () => {
            for (const answer of [{}, { stored: { id: "txn_x", amount: "12" } }, { stored: "txn_x" }]) {
                const client = newClient({
                    fetch: async () =>
                        new Response(JSON.stringify({ error: { code: "IDEMPOTENCY_CONFLICT", message: "m", field: "Idempotency-Key" }, ...answer }), {
                            status: 409,
                            headers: { "content-type": "application/json" },
                        }),
                });
                const conflict = (await failure(client.createTransaction(body(542)))) as ConflictError;
                expect([conflict.constructor, conflict.stored]).to.deep.equal([ConflictError, undefined]);
            }
        });

        it("the same key with the same body is a replay: the first transaction, no new charge", async () => {
            const client = newClient();
            const request = body(545);
            const first = await client.createTransaction(request);
            const again = await client.createTransaction(request, { idempotencyKey: first.idempotencyKey });
            expect([first.replayed, again.replayed]).to.deep.equal([false, true]);
            expect(again.transaction).to.deep.equal(first.transaction);
        });

        it("400 and 413 are ValidationErrors naming the field; 403 MERCHANT_MISMATCH and a refused token (401) are AuthErrors; one attempt each", async () => {
            const client = newClient();
            const invalid = (await failure(client.createTransaction({ amount: 12.5, currency: "EUR" }))) as ValidationError;
            expect(invalid).to.be.instanceOf(ValidationError);
            expect([invalid.status, invalid.code, invalid.field, invalid.attempts.length]).to.deep.equal([400, "VALIDATION_ERROR", "amount", 1]);

            const huge = { amount: 1, currency: "EUR", padding: "x".repeat(17 * 1024) } as unknown as Parameters<PaymentsClient["createTransaction"]>[0];
            const tooLarge = (await failure(client.createTransaction(huge))) as ValidationError;
            expect([tooLarge.constructor, tooLarge.status, tooLarge.code]).to.deep.equal([ValidationError, 413, "PAYLOAD_TOO_LARGE"]);

            const mismatch = (await failure(client.createTransaction({ amount: 1, currency: "EUR", merchantId: "someone_else" }))) as AuthError;
            expect([mismatch.constructor, mismatch.status, mismatch.code, mismatch.attempts.length]).to.deep.equal([AuthError, 403, "MERCHANT_MISMATCH", 1]);

            const stranger = new PaymentsClient({ endpoints: api.endpoints(), auth: { type: "jwt", token: async () => "not.a.token" } });
            const refused = (await failure(stranger.createTransaction(body()))) as AuthError;
            expect([refused.constructor, refused.status, refused.body.message, refused.attempts.length]).to.deep.equal([AuthError, 401, "Unauthorized", 1]);
        });
    });

    describe("reads", () => {
        it("getTransaction: a transaction only the other region has yet (not replicated) is found there; one neither has is a NotFoundError from both", async () => {
            const onSecondary = new PaymentsClient({ endpoints: { failover: { url: api.secondary.url, region: REGION_B.name } }, auth: api.auth() });
            const created = await onSecondary.createTransaction(body(550));
            const client = newClient();
            const read = await client.getTransaction(created.transaction.id);
            expect(read.transaction).to.deep.equal(created.transaction);
            expect(read.attempts.map((a) => [a.endpoint, a.status])).to.deep.equal([
                ["primary", 404],
                ["secondary", 200],
            ]);

            const missing = (await failure(client.getTransaction(`txn_${"a".repeat(26)}`))) as NotFoundError;
            expect(missing).to.be.instanceOf(NotFoundError);
            expect(missing.attempts.map((a) => [a.endpoint, a.status])).to.deep.equal([
                ["primary", 404],
                ["secondary", 404],
            ]);
        });
    });

    describe("connection failures and probing back", () => {
        it("a primary that refuses connections is left after regionFailoverAfterMs of failures, retried with backoff until then", async () => {
            const port = await closedPort();
            const client = new PaymentsClient({
                endpoints: {
                    primary: { url: `http://127.0.0.1:${port}`, region: REGION_A.name },
                    secondary: { url: api.secondary.url, region: REGION_B.name },
                },
                auth: api.auth(),
                regionFailoverAfterMs: 500,
            });
            const started = Date.now();
            const result = await client.createTransaction(body(560));
            const refused = result.attempts.slice(0, -1);
            expect(refused.length).to.be.at.least(2);
            expect(refused.every((a) => a.endpoint === "primary" && a.code === "ECONNREFUSED")).to.equal(true);
            expect(result.attempts.at(-1)).to.deep.include({ endpoint: "secondary", status: 201 });
            expect(Date.parse(result.attempts.at(-1)!.at) - started).to.be.within(450, client.regionSwitchBoundMs + 250);
        });

        it("after a fence, stays on the secondary, then probes the primary's /health and goes back once the fence is lifted and held long enough", async () => {
            const client = newClient({ probeBackAfterMs: 200, fencedHoldMs: 1_000 });
            await api.fence();
            let result: CreateResult;
            do {
                result = await client.createTransaction(body(570));
            } while (result.region !== REGION_B.name);
            const healthBefore = (await api.primary.command({ type: "stats" })).health;
            await api.unfence();
            const deadline = Date.now() + 5_000;
            do {
                result = await client.createTransaction(body(571));
                await sleep(100);
            } while (result.region !== REGION_A.name && Date.now() < deadline);
            expect(result.region).to.equal(REGION_A.name);
            expect((await api.primary.command({ type: "stats" })).health).to.be.above(healthBefore);
        });
    });

    describe("giving up", () => {
        it("after maxAttempts, with every attempt's region, outcome and time", async () => {
            const [portA, portB] = [await closedPort(), await closedPort()];
            const client = new PaymentsClient({
                endpoints: {
                    primary: { url: `http://127.0.0.1:${portA}`, region: REGION_A.name },
                    secondary: { url: `http://127.0.0.1:${portB}`, region: REGION_B.name },
                },
                auth: api.auth(),
                maxAttempts: 4,
                regionFailoverAfterMs: 50,
                // The longest jittered backoff: each region's 50 ms budget runs out before its third attempt.
                random: () => 0.999,
            });
            const error = (await failure(client.createTransaction(body(580), { idempotencyKey: "key-to-reuse" }))) as GaveUpError;
            expect(error).to.be.instanceOf(GaveUpError);
            expect([error.reason, error.idempotencyKey, error.attempts.length]).to.deep.equal(["max-attempts", "key-to-reuse", 4]);
            expect(new Set(error.attempts.map((a) => a.region))).to.deep.equal(new Set([REGION_A.name, REGION_B.name]));
            expect(error.attempts.every((a) => a.code === "ECONNREFUSED" && a.status === undefined && !Number.isNaN(Date.parse(a.at)))).to.equal(true);
            expect(error.message).to.match(/^gave up after 4 attempts \(max-attempts\): us-east-1 - ECONNREFUSED at \d{4}-/);
        });

        it("at the overall deadline, even with attempts left", async () => {
            const holes = [await BlackHole.start(), await BlackHole.start()];
            try {
                const client = new PaymentsClient({
                    endpoints: { primary: { url: holes[0].endpoint, region: REGION_A.name }, secondary: { url: holes[1].endpoint, region: REGION_B.name } },
                    auth: api.auth(),
                    timeoutMs: 400,
                    deadlineMs: 1_500,
                });
                const started = Date.now();
                const error = (await failure(client.createTransaction(body(590)))) as GaveUpError;
                expect(error.reason).to.equal("deadline");
                expect(Date.now() - started).to.be.below(1_500 + 500);
                expect(error.attempts.every((a) => a.code === "timeout")).to.equal(true);
            } finally {
                await Promise.all(holes.map((hole) => hole.stop()));
            }
        });
    });
});
