import { randomUUID } from "crypto";
import { expect } from "chai";
import { AuthError, PaymentsClient, type CreateResult, type PaymentsClientOptions } from "@payments-dr/client";
import { FENCE_CACHE_MS } from "../../functions/transaction-processor/fence";
import { REGION_A, REGION_B } from "../handler/support/two-regions";
import { EnvSandbox } from "../handler/support/env-sandbox";
import { MERCHANT, MERCHANT_CREDENTIALS, useTwoRegionApi } from "./support/regional-api";

/**
 * The client against the real functions in two local regions (one process, one dynalite and one s3rver each),
 * in both auth modes: a fenced primary, a black-holed primary, and 50 callers paying through a failover.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const body = (amount: number, reference = `order ${randomUUID().slice(0, 8)}`) => ({ amount, currency: "EUR", reference });
/** Within the bound: a fenced primary's payments succeed in the secondary within 5 s of the fence. */
const FENCE_TO_SECONDARY_LIMIT_MS = 5_000;
/** Scheduling slack on this shared machine (2 cores, other test runs beside this one) for timers and one local request. */
const TIMER_SLACK_MS = 500;

for (const authMode of ["jwt", "iam"] as const) {
    describe(`PaymentsClient through a regional failure (${authMode} auth, two local regions)`, function () {
        this.timeout(120_000);
        const api = useTwoRegionApi(authMode);
        const newClient = (options: Partial<PaymentsClientOptions> = {}) => new PaymentsClient({ endpoints: api.endpoints(), auth: api.auth(), ...options });

        afterEach(async () => {
            await api.primary.command({ type: "black-hole", on: false });
            await api.unfence();
        });

        if (authMode === "iam") {
            it("signs with the default AWS credential chain when no credentials are given (here: the environment)", async () => {
                const env = new EnvSandbox();
                try {
                    env.set({
                        AWS_ACCESS_KEY_ID: MERCHANT_CREDENTIALS.accessKeyId,
                        AWS_SECRET_ACCESS_KEY: MERCHANT_CREDENTIALS.secretAccessKey,
                        AWS_SESSION_TOKEN: MERCHANT_CREDENTIALS.sessionToken,
                        AWS_PROFILE: undefined,
                    });
                    const result = await newClient({ auth: { type: "iam" } }).createTransaction(body(130));
                    expect([result.transaction.merchantId, result.region]).to.deep.equal([MERCHANT, REGION_A.name]);
                } finally {
                    env.restore();
                }
            });

            it("a signature API Gateway refuses (another secret, another region) is an AuthError 403 after one attempt", async () => {
                const wrongSecret = newClient({ auth: { type: "iam", credentials: { ...MERCHANT_CREDENTIALS, secretAccessKey: "not-the-secret" } } });
                const refused = await wrongSecret.createTransaction(body(131)).catch((error: unknown) => error as AuthError);
                expect(refused).to.be.instanceOf(AuthError);
                expect([(refused as AuthError).status, (refused as AuthError).body.message, (refused as AuthError).attempts.length]).to.deep.equal([
                    403,
                    "Forbidden",
                    1,
                ]);
                const endpoints = api.endpoints() as { primary: { url: string } };
                const wrongRegion = newClient({ endpoints: { failover: { url: endpoints.primary.url, region: "eu-west-1" } } });
                expect(await wrongRegion.getTransaction(`txn_${"a".repeat(26)}`).catch((error: unknown) => (error as AuthError).status)).to.equal(403);
            });
        }

        it("a fenced primary: the first payment after the fence succeeds in the secondary within 5 s, and the client stays there", async () => {
            const client = newClient();
            expect((await client.createTransaction(body(100))).region).to.equal(REGION_A.name);

            // given: a merchant paying every 50 ms
            const results: Array<{ doneAt: number; result: CreateResult }> = [];
            let stop = false;
            const payer = (async () => {
                while (!stop) {
                    results.push({ result: await client.createTransaction(body(110)), doneAt: Date.now() });
                    await sleep(50);
                }
            })();
            await sleep(300);

            // when: the takeover signal fences the primary
            await api.fence();
            const fencedAt = Date.now();
            while (!results.some((r) => r.result.region === REGION_B.name) && Date.now() - fencedAt < 10_000) {
                await sleep(20);
            }
            await sleep(300);
            stop = true;
            await payer;

            // then
            const first = results.find((r) => r.result.region === REGION_B.name);
            expect(first, "a payment in the secondary").to.not.equal(undefined);
            expect(first!.doneAt - fencedAt).to.be.below(FENCE_TO_SECONDARY_LIMIT_MS);
            expect(first!.result.attempts.map((a) => [a.endpoint, a.status, a.code])).to.deep.equal([
                ["primary", 503, "REGION_FENCED"],
                ["secondary", 201, undefined],
            ]);
            // Switched at once: not after the fence's Retry-After (3-6 s).
            expect(Date.parse(first!.result.attempts[1].at) - Date.parse(first!.result.attempts[0].at)).to.be.below(1_000);
            // Every later payment went straight to the secondary, first time.
            const later = results.slice(results.indexOf(first!) + 1);
            expect(later.length).to.be.at.least(1);
            expect(later.every((r) => r.result.region === REGION_B.name && r.result.attempts.length === 1)).to.equal(true);
            // The fenced primary wrote nothing after the fence took effect; the payment it refused exists only in the secondary.
            expect((await api.transactions(REGION_A)).map((t) => t.id)).to.not.include(first!.result.transaction.id);
            expect((await api.transactions(REGION_B)).map((t) => t.id)).to.include(first!.result.transaction.id);
            // The primary took payments for at most its fence cache after the signal (plus one request in flight).
            const lastInPrimary = results.filter((r) => r.result.region === REGION_A.name).at(-1)!;
            expect(lastInPrimary.doneAt - fencedAt).to.be.below(FENCE_CACHE_MS + client.regionSwitchBoundMs);
        });

        it("a black-holed primary (accepts, never answers): the payment succeeds in the secondary within the client's stated bound", async () => {
            const client = newClient();
            expect(client.regionSwitchBoundMs).to.equal(3_000);
            expect((await client.createTransaction(body(120))).region).to.equal(REGION_A.name);

            await api.primary.command({ type: "black-hole", on: true });
            const blackHoledAt = Date.now();
            const result = await client.createTransaction(body(121));
            const elapsed = Date.now() - blackHoledAt;

            expect(result.region).to.equal(REGION_B.name);
            expect(result.attempts.map((a) => [a.endpoint, a.status, a.code])).to.deep.equal([
                ["primary", undefined, "timeout"],
                ["secondary", 201, undefined],
            ]);
            const switchedAfter = Date.parse(result.attempts[1].at) - blackHoledAt;
            expect(switchedAfter).to.be.within(client.regionSwitchBoundMs - TIMER_SLACK_MS, client.regionSwitchBoundMs + TIMER_SLACK_MS);
            expect(elapsed).to.be.below(client.regionSwitchBoundMs + result.attempts[1].durationMs + TIMER_SLACK_MS);
            // The client stays on the region that answered.
            const next = await client.createTransaction(body(122));
            expect(next.attempts.map((a) => a.endpoint)).to.deep.equal(["secondary"]);
        });

        it("50 concurrent callers through a failover: one transaction per key, no 409, every 2xx kept, the same body under each key everywhere", async () => {
            // Local regions are one process each on a shared 2-core machine: under 50 callers they answer in seconds, so
            // a 3 s timeout would time out most requests and the retries would pile more work on them. Timeouts still
            // happen here (ambiguous outcomes, retried with the same key), just not as a storm.
            const client = newClient({ timeoutMs: 10_000, deadlineMs: 90_000 });
            type Payment = { key: string; amount: number; reference: string; results: CreateResult[] };
            const payments: Payment[] = [];
            const errors: unknown[] = [];
            const caller = async (index: number) => {
                for (let n = 0; n < 3; n++) {
                    const payment: Payment = {
                        key: `caller-${index}-${n}-${randomUUID()}`,
                        amount: 1_000 + index * 10 + n,
                        reference: `caller ${index} payment ${n}`,
                        results: [],
                    };
                    payments.push(payment);
                    try {
                        // A merchant that lost the first answer sends the same request again, maybe to another region by then.
                        for (let send = 0; send < 2; send++) {
                            const result = await client.createTransaction(
                                { amount: payment.amount, currency: "EUR", reference: payment.reference },
                                { idempotencyKey: payment.key },
                            );
                            payment.results.push(result);
                            await sleep(Math.random() * 400);
                        }
                    } catch (error) {
                        errors.push(error);
                    }
                }
            };
            const callers = Promise.all(Array.from({ length: 50 }, (_, index) => caller(index)));
            // Fence once the primary has answered some of them (a fixed delay missed that on a loaded machine).
            const deadline = Date.now() + 30_000;
            while (payments.filter((p) => p.results.length > 0).length < 10 && Date.now() < deadline) await sleep(20);
            await api.fence();
            await callers;

            expect(errors, String(errors[0])).to.deep.equal([]);
            const all = payments.flatMap((p) => p.results);
            expect(all).to.have.length(300);
            // The failover happened in the middle of the traffic, keys straddling it included.
            expect(all.filter((r) => r.region === REGION_A.name).length).to.be.at.least(1);
            expect(all.filter((r) => r.region === REGION_B.name).length).to.be.at.least(1);
            expect(payments.filter((p) => new Set(p.results.map((r) => r.region)).size === 2).length, "keys answered by both regions").to.be.at.least(1);
            expect(all.flatMap((r) => r.attempts).filter((a) => a.code === "REGION_FENCED").length, "fenced answers").to.be.at.least(1);
            // Each key: one transaction id, the merchant's own amount, never a cross-region conflict.
            for (const payment of payments) {
                expect(new Set(payment.results.map((r) => r.transaction.id)).size).to.equal(1);
                expect(payment.results.every((r) => r.transaction.amount === payment.amount && r.transaction.merchantId === MERCHANT)).to.equal(true);
                expect(payment.results.some((r) => r.crossRegionConflict)).to.equal(false);
            }
            // Server side: each key arrived with one body, in both regions together.
            const [statsA, statsB] = await Promise.all([api.primary.command({ type: "stats" }), api.secondary.command({ type: "stats" })]);
            for (const payment of payments) {
                expect(new Set([...(statsA.bodiesByKey[payment.key] ?? []), ...(statsB.bodiesByKey[payment.key] ?? [])]).size).to.equal(1);
            }

            // after replication: both regions hold exactly these transactions, once each, as answered
            await api.replicate();
            const ids = new Set(payments.map((p) => p.results[0].transaction.id));
            for (const region of [REGION_A, REGION_B]) {
                const stored = (await api.transactions(region)).filter((t) => ids.has(String(t.id)));
                expect(stored).to.have.length(payments.length);
                const byId = new Map(stored.map((t) => [String(t.id), t]));
                for (const payment of payments) {
                    expect(byId.get(payment.results[0].transaction.id)).to.deep.include({ amount: payment.amount, reference: payment.reference });
                }
            }
            // and reading any of them back shows no conflict
            for (const payment of payments.slice(0, 20)) {
                const read = await client.getTransaction(payment.results[0].transaction.id);
                expect(read.transaction).to.not.have.property("conflict");
            }
        });
    });
}
