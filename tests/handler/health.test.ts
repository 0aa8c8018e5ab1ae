import { expect } from "chai";
import { HEALTH_CACHE_MS } from "../../functions/transaction-processor/health";
import { getEvent, invoke } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { closedPort } from "./support/local-aws";

interface Check {
    ok: boolean;
    latencyMs: number;
    error?: string;
}

function checks(body: Record<string, unknown>): { table: Check; bucket: Check } {
    return body.checks as { table: Check; bucket: Check };
}

describe("GET /health", () => {
    const fixture = useHandlerFixture();

    it("answers 200 ok with region, role and both checks", async () => {
        const response = await invoke(getEvent("/health"));
        expect(response.status).to.equal(200);
        expect(response.body).to.include({ status: "ok", region: "us-east-1", role: "primary", cached: false });
        expect(checks(response.body).table.ok).to.equal(true);
        expect(checks(response.body).bucket.ok).to.equal(true);
        expect(checks(response.body).table.latencyMs).to.be.a("number");
        expect(checks(response.body).bucket.latencyMs).to.be.a("number");
    });

    it("reports the secondary role", async () => {
        fixture.env.set({ REGION_ROLE: "secondary" });
        const response = await invoke(getEvent("/health"));
        expect(response.body).to.include({ status: "ok", role: "secondary" });
    });

    it("answers 503 degraded, naming the table check, when DynamoDB is unreachable", async () => {
        fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await closedPort()}` });
        const response = await invoke(getEvent("/health"));
        expect(response.status).to.equal(503);
        expect(response.body).to.include({ status: "degraded", region: "us-east-1", role: "primary" });
        expect(checks(response.body).table).to.include({ ok: false, error: "ECONNREFUSED" });
        expect(checks(response.body).bucket.ok).to.equal(true);
    });

    it("answers 503 degraded, naming the bucket check, when the bucket is missing", async () => {
        fixture.env.set({ BUCKET_NAME: "no-such-bucket" });
        const response = await invoke(getEvent("/health"));
        expect(response.status).to.equal(503);
        expect(checks(response.body).table.ok).to.equal(true);
        expect(checks(response.body).bucket).to.include({ ok: false, error: "NotFound" });
    });

    it("answers 503, not an exception, when nothing is reachable", async () => {
        const port = await closedPort();
        fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` });
        const response = await invoke(getEvent("/health"));
        expect(response.status).to.equal(503);
        expect(checks(response.body).table.ok).to.equal(false);
        expect(checks(response.body).bucket.ok).to.equal(false);
    });

    it(`caches healthy and failed results for ${HEALTH_CACHE_MS} ms per container`, async () => {
        // given: a bucket only this test uses
        const bucket = `health-cache-${Date.now()}`;
        await fixture.aws.createBucket(bucket);
        fixture.env.set({ BUCKET_NAME: bucket });
        const first = await invoke(getEvent("/health"));
        expect([first.status, first.body.cached]).to.deep.equal([200, false]);

        // when the bucket disappears inside the window, the cached result is served
        await fixture.aws.deleteBucket(bucket);
        const cached = await invoke(getEvent("/health"));
        expect([cached.status, cached.body.cached, cached.body.checkedAt]).to.deep.equal([200, true, first.body.checkedAt]);

        // when the window has passed (the clock is moved, nothing waits), the checks run again
        const realNow = Date.now;
        const start = realNow();
        try {
            Date.now = () => start + HEALTH_CACHE_MS;
            const rechecked = await invoke(getEvent("/health"));
            expect([rechecked.status, rechecked.body.cached]).to.deep.equal([503, false]);
            expect(checks(rechecked.body).bucket.ok).to.equal(false);

            // and the failure is cached as well
            await fixture.aws.createBucket(bucket);
            const cachedFailure = await invoke(getEvent("/health"));
            expect([cachedFailure.status, cachedFailure.body.cached]).to.deep.equal([503, true]);

            Date.now = () => start + 2 * HEALTH_CACHE_MS;
            const recovered = await invoke(getEvent("/health"));
            expect([recovered.status, recovered.body.cached]).to.deep.equal([200, false]);
        } finally {
            Date.now = realNow;
        }
    });

    it("shares one check between concurrent callers", async () => {
        fixture.env.set({ APP_ENV: "staging" }); // a new configuration: a cold container, an empty cache
        const responses = await Promise.all(Array.from({ length: 10 }, () => invoke(getEvent("/health"))));
        expect(new Set(responses.map((response) => response.body.checkedAt)).size).to.equal(1);
        expect(responses.filter((response) => response.body.cached === false)).to.have.length(10);
    });
});
