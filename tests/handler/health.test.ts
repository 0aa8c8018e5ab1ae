import { expect } from "chai";
import { handler as healthHandler } from "../../functions/health";
import { HEALTH_CACHE_MS, HEALTH_CHECK_TIMEOUT_MS, ROUTE53_RESPONSE_LIMIT_MS } from "../../functions/health/health";
import { healthItemKey, healthObjectKey } from "../../functions/health/probes";
import { BlackHole } from "./support/black-hole";
import { apiEvent, getEvent, invokeWith, type HandlerResponse } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { closedPort, LOCAL_REGION } from "./support/local-aws";
import { RecordingProxy, type InjectedFault } from "./support/recording-proxy";

const PUBLIC_BODY_KEYS = ["checks", "role", "status"];
const DEPENDENCIES = ["bucket", "table"];

/**
 * The open body holds exactly `status`, `role` and each dependency's `ok`/`failed`: a region, resource name,
 * ARN, key id, timing or error name appearing anywhere in it fails here.
 */
function expectOnlyPublicFields(response: HandlerResponse, forbidden: readonly string[]): void {
    expect(Object.keys(response.body).sort()).to.deep.equal(PUBLIC_BODY_KEYS);
    const checks = response.body.checks as Record<string, unknown>;
    expect(Object.keys(checks).sort()).to.deep.equal(DEPENDENCIES);
    for (const state of Object.values(checks)) {
        expect(state).to.be.oneOf(["ok", "failed"]);
    }
    expect(response.body.status).to.be.oneOf(["ok", "degraded"]);
    expect(response.body.role).to.be.oneOf(["primary", "secondary"]);
    for (const text of [...forbidden, "arn:", "latency", "checkedAt", "cached", "error", "Exception", "region"]) {
        expect(response.text.toLowerCase(), text).to.not.contain(text.toLowerCase());
    }
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
    const keyId = () => `${fixture.baseEnv.KMS_KEY_ID}-${configs}`;
    /** Everything of this deployment the open body must not reveal. */
    const secrets = () => [LOCAL_REGION, fixture.tableName, fixture.bucketName, keyId()];
    /** The `health probe` log lines: one per probe run, with the details the body leaves out. */
    const probes = () => fixture.logs.lines.filter((line) => line.message === "health probe");

    beforeEach(async () => {
        fixture.logs.clear();
        dynamoProxy = await RecordingProxy.start(fixture.aws.dynamoPort);
        s3Proxy = await RecordingProxy.start(fixture.aws.s3Port);
        // A configuration no earlier test used: a cold container with an empty cache, through the proxies.
        configs += 1;
        fixture.env.set({
            AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.endpoint,
            AWS_ENDPOINT_URL_S3: s3Proxy.endpoint,
            KMS_KEY_ID: keyId(),
        });
    });
    afterEach(async () => {
        await dynamoProxy.stop();
        await s3Proxy.stop();
    });

    it("answers 200 after writing this region's health item and an SSE-KMS probe object with the region's key", async () => {
        const response = await health();
        expect([response.status, response.headers["cache-control"]]).to.deep.equal([200, "no-store"]);
        expect(response.body).to.deep.equal({ status: "ok", role: "primary", checks: { table: "ok", bucket: "ok" } });

        const [probe] = probes();
        const item = await fixture.aws.getItem(fixture.tableName, healthItemKey(LOCAL_REGION));
        expect(item).to.include({ pk: `HEALTH#${LOCAL_REGION}`, region: LOCAL_REGION, checkedAt: probe.checkedAt });
        const object = await fixture.aws.getObjectText(fixture.bucketName, healthObjectKey(LOCAL_REGION));
        expect(JSON.parse(object.text)).to.include({ region: LOCAL_REGION, checkedAt: probe.checkedAt });
        const put = s3Proxy.requests.find((r) => r.method === "PUT");
        expect(put?.headers).to.include({
            "x-amz-server-side-encryption": "aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id": keyId(),
        });
        // Writes, not reads: the old read-only check stayed green while every payment failed.
        expect(dynamoProxy.count("POST", "PutItem")).to.equal(1);
        expect(dynamoProxy.count("POST", "GetItem")).to.equal(0);
        expect(s3Proxy.count("HEAD")).to.equal(0);
    });

    it("says only status, role and ok/failed per dependency, healthy or degraded; the details go to one log line per probe", async () => {
        // healthy
        const healthy = await health();
        expectOnlyPublicFields(healthy, secrets());
        expect(probes()).to.have.length(1);
        expect(probes()[0]).to.include({ level: "info", status: "ok", region: LOCAL_REGION, role: "primary", tableOk: true, bucketOk: true });
        expect(probes()[0].checkedAt).to.match(/^\d{4}-\d\d-\d\dT/);
        expect(probes()[0].tableLatencyMs).to.be.a("number");
        expect(probes()[0].bucketLatencyMs).to.be.a("number");

        // degraded, with an error name the body must not carry
        configs += 1;
        fixture.env.set({ KMS_KEY_ID: keyId() });
        dynamoProxy.injectFault((r) => (String(r.headers["x-amz-target"]).endsWith(".PutItem") ? TABLE_KEY_DISABLED : undefined));
        s3Proxy.injectFault((r) => (r.method === "PUT" ? BUCKET_KEY_DISABLED : undefined));
        const degraded = await health();
        expect(degraded.status).to.equal(503);
        expectOnlyPublicFields(degraded, [...secrets(), "KMSDisabledException", "KMS.DisabledException", "The key is disabled"]);
        expect(degraded.body).to.deep.equal({ status: "degraded", role: "primary", checks: { table: "failed", bucket: "failed" } });
        expect(probes()).to.have.length(2);
        expect(probes()[1]).to.include({
            level: "warn",
            status: "degraded",
            region: LOCAL_REGION,
            tableOk: false,
            tableError: "KMSDisabledException",
            bucketOk: false,
            bucketError: "KMS.DisabledException",
        });
    });

    it("reports the secondary role", async () => {
        fixture.env.set({ REGION_ROLE: "secondary" });
        const response = await health();
        expect(response.body).to.deep.equal({ status: "ok", role: "secondary", checks: { table: "ok", bucket: "ok" } });
    });

    it("answers 503 when the table refuses writes (key disabled) although it still serves reads", async () => {
        dynamoProxy.injectFault((r) => (String(r.headers["x-amz-target"]).endsWith(".PutItem") ? TABLE_KEY_DISABLED : undefined));
        const response = await health();
        expect(response.status).to.equal(503);
        expect(response.body).to.deep.equal({ status: "degraded", role: "primary", checks: { table: "failed", bucket: "ok" } });
        expect(probes()[0]).to.include({ tableOk: false, tableError: "KMSDisabledException", bucketOk: true });
        // The table still reads: a read-only check would have answered 200 here.
        expect(await fixture.aws.getItem(fixture.tableName, { pk: "TXN#none", sk: "TXN" })).to.equal(undefined);
    });

    it("answers 503 when the bucket refuses SSE-KMS writes although it still answers HEAD", async () => {
        s3Proxy.injectFault((r) => (r.method === "PUT" ? BUCKET_KEY_DISABLED : undefined));
        const response = await health();
        expect(response.status).to.equal(503);
        expect(response.body.checks).to.deep.equal({ table: "ok", bucket: "failed" });
        expect(probes()[0]).to.include({ tableOk: true, bucketOk: false, bucketError: "KMS.DisabledException" });
    });

    it("answers 503, not an exception, when nothing is reachable", async () => {
        const port = await closedPort();
        fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` });
        const response = await health();
        expect(response.status).to.equal(503);
        expect(response.body.checks).to.deep.equal({ table: "failed", bucket: "failed" });
        expect(probes()[0]).to.include({ tableOk: false, tableError: "ECONNREFUSED", bucketOk: false });
    });

    it(`answers within Route 53's ${ROUTE53_RESPONSE_LIMIT_MS} ms when both stores hang`, async () => {
        const hole = await BlackHole.start();
        try {
            fixture.env.set({ AWS_ENDPOINT_URL_DYNAMODB: hole.endpoint, AWS_ENDPOINT_URL_S3: hole.endpoint });
            const started = performance.now();
            const response = await health();
            const elapsed = performance.now() - started;
            expect(response.status).to.equal(503);
            expect(response.body.checks).to.deep.equal({ table: "failed", bucket: "failed" });
            // The client's socket timeout (ETIMEDOUT) or the probe's own abort, whichever fires first.
            expect(probes()[0].tableError).to.match(/ETIMEDOUT|TimeoutError/);
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
            expect([again.status, again.text]).to.deep.equal([200, first.text]);
        }
        // then: one probe (one log line), one item write and one object write
        expect(probes()).to.have.length(1);
        expect([dynamoProxy.count("POST", "PutItem"), s3Proxy.count("PUT")]).to.deep.equal([1, 1]);

        // when the bucket starts refusing writes, the next period probes once, and caches the failure too
        s3Proxy.injectFault((r) => (r.method === "PUT" ? BUCKET_KEY_DISABLED : undefined));
        await withClockAhead(HEALTH_CACHE_MS, async () => {
            for (let i = 0; i < 10; i += 1) {
                const failing = await health();
                expect([failing.status, failing.body.checks]).to.deep.equal([503, { table: "ok", bucket: "failed" }]);
                expect(probes()).to.have.length(2);
            }
        });
        expect([dynamoProxy.count("POST", "PutItem"), s3Proxy.count("PUT")]).to.deep.equal([2, 2]);
        // Each 503 gets a request line saying whether it came from the cache: only the first did not.
        const served = fixture.logs.lines.filter((line) => line.message === "health" && line.status === 503);
        expect(served.map((line) => line.cached)).to.deep.equal([false, ...Array<boolean>(9).fill(true)]);

        // and once the period has passed again, it recovers
        s3Proxy.injectFault(() => undefined);
        const recovered = await withClockAhead(2 * HEALTH_CACHE_MS, () => health());
        expect(recovered.status).to.equal(200);
        expect(probes().map((line) => line.status)).to.deep.equal(["ok", "degraded", "ok"]);
        expect([dynamoProxy.count("POST", "PutItem"), s3Proxy.count("PUT")]).to.deep.equal([3, 3]);
    });

    it("shares one probe between concurrent callers", async () => {
        const responses = await Promise.all(Array.from({ length: 10 }, () => health()));
        expect(responses.map((response) => response.status)).to.deep.equal(Array<number>(10).fill(200));
        expect(probes()).to.have.length(1);
        expect([dynamoProxy.count("POST", "PutItem"), s3Proxy.count("PUT")]).to.deep.equal([1, 1]);
    });

    it("serves only GET /health and Route 53's probe path /health/<token>: 404 elsewhere, 405 with Allow for other methods", async () => {
        expect((await health("/transactions")).status).to.equal(404);
        expect((await health("/health/x/y")).status).to.equal(404);
        expect((await health("/healthz")).status).to.equal(404);
        expect((await health(`/health/${"k".repeat(32)}`)).status).to.equal(200);
        const post = await invokeWith(healthHandler, apiEvent({ method: "POST", path: "/health" }));
        expect([post.status, post.headers.allow]).to.deep.equal([405, "GET"]);
    });

    it("answers 500 CONFIGURATION_ERROR without naming its variables (an open route), and logs every missing one", async () => {
        fixture.env.set({ TABLE_NAME: undefined, KMS_KEY_ID: " " });
        const response = await health();
        expect(response.status).to.equal(500);
        expect(response.body.error).to.deep.equal({ code: "CONFIGURATION_ERROR", message: "the health function is misconfigured; see its log" });
        const logged = fixture.logs.lines.find((l) => l.message === "health configuration");
        expect(logged?.problems).to.equal("environment variable TABLE_NAME is missing or empty; environment variable KMS_KEY_ID is missing or empty");
    });
});
