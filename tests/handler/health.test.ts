import { expect } from "chai";
import { handler as healthHandler } from "../../functions/health";
import { HEALTH_CACHE_MS, HEALTH_CHECK_TIMEOUT_MS, ROUTE53_RESPONSE_LIMIT_MS } from "../../functions/health/health";
import { healthItemKey, healthObjectKey } from "../../functions/health/probes";
import { BlackHole } from "./support/black-hole";
import { apiEvent, getEvent, invokeWith, type HandlerResponse } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { closedPort, LOCAL_REGION } from "./support/local-aws";
import { RecordingProxy, type InjectedFault } from "./support/recording-proxy";

interface Check {
    ok: boolean;
    latencyMs: number;
    error?: string;
}

function checks(response: HandlerResponse): { table: Check; bucket: Check } {
    return response.body.checks as { table: Check; bucket: Check };
}

const health = (path = "/health") => invokeWith(healthHandler, getEvent(path));

/** DynamoDB refusing a write as it does when the table's key is disabled; reads still succeed. */
const TABLE_KEY_DISABLED: InjectedFault = {
    status: 400,
    contentType: "application/x-amz-json-1.0",
    body: JSON.stringify({ __type: "com.amazon.coral.service#KMSDisabledException", message: "The key is disabled" }),
};
/** S3 refusing an SSE-KMS PUT with a disabled key; HEAD and GET still succeed. */
const BUCKET_KEY_DISABLED: InjectedFault = {
    status: 400,
    contentType: "application/xml",
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>KMS.DisabledException</Code><Message>key disabled</Message></Error>',
};

/** Moves Date.now by `offsetMs` for the duration of `body` (the cache reads the clock; nothing waits). */
async function withClockAhead<T>(offsetMs: number, body: () => Promise<T>): Promise<T> {
    const realNow = Date.now;
    const start = realNow();
    Date.now = () => start + offsetMs;
    try {
        return await body();
    } finally {
        Date.now = realNow;
    }
}

describe("GET /health (functions/health)", () => {
    const fixture = useHandlerFixture();
    let dynamoProxy: RecordingProxy;
    let s3Proxy: RecordingProxy;
    let configs = 0;

    beforeEach(async () => {
        dynamoProxy = await RecordingProxy.start(fixture.aws.dynamoPort);
        s3Proxy = await RecordingProxy.start(fixture.aws.s3Port);
        // A configuration no earlier test used: a cold container with an empty cache, through the proxies.
        configs += 1;
        fixture.env.set({
            AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.endpoint,
            AWS_ENDPOINT_URL_S3: s3Proxy.endpoint,
            KMS_KEY_ID: `${fixture.baseEnv.KMS_KEY_ID}-${configs}`,
        });
    });
    afterEach(async () => {
        await dynamoProxy.stop();
        await s3Proxy.stop();
    });

    it("answers 200 after writing this region's health item and an SSE-KMS probe object with the region's key", async () => {
        const response = await health();
        expect(response.status).to.equal(200);
        expect(response.body).to.include({ status: "ok", region: LOCAL_REGION, role: "primary", cached: false });
        expect(checks(response).table.ok).to.equal(true);
        expect(checks(response).bucket.ok).to.equal(true);

        const item = await fixture.aws.getItem(fixture.tableName, healthItemKey(LOCAL_REGION));
        expect(item).to.include({ pk: `HEALTH#${LOCAL_REGION}`, region: LOCAL_REGION, checkedAt: response.body.checkedAt });
        const object = await fixture.aws.getObjectText(fixture.bucketName, healthObjectKey(LOCAL_REGION));
        expect(JSON.parse(object.text)).to.include({ region: LOCAL_REGION, checkedAt: response.body.checkedAt });
        const put = s3Proxy.requests.find((r) => r.method === "PUT");
        expect(put?.headers).to.include({
            "x-amz-server-side-encryption": "aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id": `${fixture.baseEnv.KMS_KEY_ID}-${configs}`,
        });
        // Writes, not reads: the old read-only check stayed green while every payment failed.
        expect(dynamoProxy.count("POST", "PutItem")).to.equal(1);
        expect(dynamoProxy.count("POST", "GetItem")).to.equal(0);
        expect(s3Proxy.count("HEAD")).to.equal(0);
    });

    it("reports the secondary role", async () => {
        fixture.env.set({ REGION_ROLE: "secondary" });
        const response = await health();
        expect(response.body).to.include({ status: "ok", role: "secondary" });
    });

    it("answers 503 when the table refuses writes (key disabled) although it still serves reads", async () => {
        dynamoProxy.injectFault((r) => (String(r.headers["x-amz-target"]).endsWith(".PutItem") ? TABLE_KEY_DISABLED : undefined));
        const response = await health();
        expect(response.status).to.equal(503);
        expect(response.body).to.include({ status: "degraded", region: LOCAL_REGION, role: "primary" });
        expect(checks(response).table).to.include({ ok: false, error: "KMSDisabledException" });
        expect(checks(response).bucket.ok).to.equal(true);
        // The table still reads: a read-only check would have answered 200 here.
        expect(await fixture.aws.getItem(fixture.tableName, { pk: "TXN#none", sk: "TXN" })).to.equal(undefined);
    });

    it("answers 503 when the bucket refuses SSE-KMS writes although it still answers HEAD", async () => {
        s3Proxy.injectFault((r) => (r.method === "PUT" ? BUCKET_KEY_DISABLED : undefined));
        const response = await health();
        expect(response.status).to.equal(503);
        expect(checks(response).table.ok).to.equal(true);
        expect(checks(response).bucket).to.include({ ok: false, error: "KMS.DisabledException" });
    });

    it("answers 503, not an exception, when nothing is reachable", async () => {
        const port = await closedPort();
        fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` });
        const response = await health();
        expect(response.status).to.equal(503);
        expect(checks(response).table).to.include({ ok: false, error: "ECONNREFUSED" });
        expect(checks(response).bucket.ok).to.equal(false);
    });

    it(`answers within Route 53's ${ROUTE53_RESPONSE_LIMIT_MS} ms when both stores hang`, async () => {
        const hole = await BlackHole.start();
        try {
            fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: hole.endpoint, AWS_ENDPOINT_URL_S3: hole.endpoint });
            const started = performance.now();
            const response = await health();
            const elapsed = performance.now() - started;
            expect(response.status).to.equal(503);
            expect(checks(response).table.ok).to.equal(false);
            expect(checks(response).bucket.ok).to.equal(false);
            expect(elapsed).to.be.below(ROUTE53_RESPONSE_LIMIT_MS * 0.75);
            expect(elapsed).to.be.at.least(HEALTH_CHECK_TIMEOUT_MS * 0.8);
        } finally {
            await hole.stop();
        }
    });

    it(`writes at most once per ${HEALTH_CACHE_MS} ms per container, whether healthy or failing`, async () => {
        // given: 20 checker requests inside one cache period
        const first = await health();
        for (let i = 0; i < 19; i += 1) {
            const again = await health();
            expect([again.status, again.body.cached, again.body.checkedAt]).to.deep.equal([200, true, first.body.checkedAt]);
        }
        // then: one item write and one object write
        expect([dynamoProxy.count("POST", "PutItem"), s3Proxy.count("PUT")]).to.deep.equal([1, 1]);

        // when the bucket starts refusing writes, the next period probes once, and caches the failure too
        s3Proxy.injectFault((r) => (r.method === "PUT" ? BUCKET_KEY_DISABLED : undefined));
        await withClockAhead(HEALTH_CACHE_MS, async () => {
            for (let i = 0; i < 10; i += 1) {
                const failing = await health();
                expect([failing.status, failing.body.cached]).to.deep.equal([503, i > 0]);
            }
        });
        expect([dynamoProxy.count("POST", "PutItem"), s3Proxy.count("PUT")]).to.deep.equal([2, 2]);

        // and once the period has passed again, it recovers
        s3Proxy.injectFault(() => undefined);
        const recovered = await withClockAhead(2 * HEALTH_CACHE_MS, () => health());
        expect([recovered.status, recovered.body.cached]).to.deep.equal([200, false]);
        expect([dynamoProxy.count("POST", "PutItem"), s3Proxy.count("PUT")]).to.deep.equal([3, 3]);
    });

    it("shares one probe between concurrent callers", async () => {
        const responses = await Promise.all(Array.from({ length: 10 }, () => health()));
        expect(new Set(responses.map((response) => response.body.checkedAt)).size).to.equal(1);
        expect([dynamoProxy.count("POST", "PutItem"), s3Proxy.count("PUT")]).to.deep.equal([1, 1]);
    });

    it("serves only GET /health: 404 elsewhere, 405 with Allow for other methods", async () => {
        expect((await health("/transactions")).status).to.equal(404);
        const post = await invokeWith(healthHandler, apiEvent({ method: "POST", path: "/health" }));
        expect([post.status, post.headers.allow]).to.deep.equal([405, "GET"]);
    });

    it("answers 500 CONFIGURATION_ERROR naming every missing variable", async () => {
        fixture.env.set({ TABLE_NAME: undefined, KMS_KEY_ID: " " });
        const response = await health();
        expect(response.status).to.equal(500);
        expect(response.body.error).to.deep.equal({
            code: "CONFIGURATION_ERROR",
            message: "environment variable TABLE_NAME is missing or empty; environment variable KMS_KEY_ID is missing or empty",
        });
    });
});
