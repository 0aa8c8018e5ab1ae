import { expect } from "chai";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { FENCE_CACHE_MS, FENCE_STALE_LIMIT_MS, RegionFence } from "../../functions/transaction-processor/fence";
import { REPLICATION_LATENCY_SECONDS, RETRY_AFTER_JITTER_SECONDS } from "../../functions/transaction-processor/retry-after";
import { getEvent, invoke, postTransactionEvent, validBody } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { closedPort, LOCAL_CREDENTIALS } from "./support/local-aws";
import { LogCapture } from "./support/log-capture";
import { SignalStandIn } from "./support/signal-stand-in";

const ALARM_NAME = "takeover-signal-dev-abc123";
let containers = 0;

describe("Fencing: the demoted region refuses writes while the takeover signal is set", () => {
    const fixture = useHandlerFixture();
    let signal: SignalStandIn;
    // A new alarm name is a new configuration: a fresh container, whose fence has an empty cache.
    let alarmName = ALARM_NAME;
    const fencedEnv = () => ({
        ...fixture.baseEnv,
        FENCE_ALARM_NAME: alarmName,
        FENCE_ALARM_REGION: "us-west-2",
        AWS_ENDPOINT_URL_CLOUDWATCH: signal.endpoint,
    });

    before(async () => {
        signal = await SignalStandIn.start();
    });
    after(async () => {
        await signal.stop();
    });
    beforeEach(() => {
        signal.mode = "OK";
        containers += 1;
        alarmName = `${ALARM_NAME}-${containers}`;
        fixture.env.set(fencedEnv());
    });

    it("accepts writes while the signal is clear (OK), reading it in the standby region", async () => {
        const response = await invoke(postTransactionEvent(validBody()));
        expect(response.status).to.equal(201);
        expect(signal.targets.at(-1)).to.equal("GraniteServiceVersion20100801.DescribeAlarms");
    });

    it("answers POST with 503 REGION_FENCED, a jittered Retry-After and no item while the signal is in ALARM", async () => {
        signal.mode = "ALARM";
        const before = (await fixture.aws.scan(fixture.tableName)).length;
        const response = await invoke(postTransactionEvent(validBody()));
        expect(response.status).to.equal(503);
        expect(response.headers["content-type"]).to.equal("application/json");
        expect(response.body.error?.code).to.equal("REGION_FENCED");
        expect(response.body.error?.message).to.contain("same Idempotency-Key");
        const retryAfter = Number(response.headers["retry-after"]);
        // The shared jittered Retry-After (retry-after.ts): a retry elsewhere waits out replication.
        expect(retryAfter).to.be.within(REPLICATION_LATENCY_SECONDS, REPLICATION_LATENCY_SECONDS + RETRY_AFTER_JITTER_SECONDS);
        expect(Number.isInteger(retryAfter)).to.equal(true);
        expect((await fixture.aws.scan(fixture.tableName)).length).to.equal(before);
    });

    it("still answers GET of a transaction while fenced", async () => {
        const created = await invoke(postTransactionEvent(validBody()));
        expect(created.status).to.equal(201);
        signal.mode = "ALARM";
        alarmName = `${alarmName}-fenced`;
        fixture.env.set(fencedEnv());
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(503);
        const read = await invoke(getEvent(`/transactions/${created.body.id as string}`));
        expect(read.status).to.equal(200);
        expect(read.text).to.equal(created.text);
    });

    it("reads the signal at most once per cache period, and lifts the fence within it", async () => {
        signal.mode = "ALARM";
        const readsBefore = signal.reads;
        const answers = await Promise.all(Array.from({ length: 5 }, () => invoke(postTransactionEvent(validBody()))));
        expect(answers.map((a) => a.status)).to.deep.equal([503, 503, 503, 503, 503]);
        expect(signal.reads - readsBefore).to.equal(1);
        signal.mode = "OK";
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(503, "still cached");
        await new Promise((resolve) => setTimeout(resolve, FENCE_CACHE_MS + 100));
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        expect(signal.reads - readsBefore).to.equal(2);
    });

    it("does not fence on INSUFFICIENT_DATA (missing data is not a takeover)", async () => {
        signal.mode = "INSUFFICIENT_DATA";
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
    });

    it("fails open, logging a warning, when the signal cannot be read and nothing was read before", async () => {
        fixture.env.set({ ...fencedEnv(), AWS_ENDPOINT_URL_CLOUDWATCH: `http://127.0.0.1:${await closedPort()}` });
        fixture.logs.clear();
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        const warning = fixture.logs.lines.find((line) => line.message === "takeover signal unreadable");
        expect(warning).to.include({ level: "warn", alarmName, alarmRegion: "us-west-2", fenced: false, source: "fail-open" });
    });

    it("never reads the signal in a region without fence settings (the standby region)", async () => {
        fixture.env.set({ ...fixture.baseEnv, REGION_ROLE: "secondary", FENCE_ALARM_NAME: undefined, FENCE_ALARM_REGION: undefined });
        signal.mode = "ALARM";
        const readsBefore = signal.reads;
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        expect(signal.reads).to.equal(readsBefore);
    });

    it("refuses half a fence configuration with a CONFIGURATION_ERROR naming both variables", async () => {
        fixture.env.set({ ...fencedEnv(), FENCE_ALARM_REGION: undefined });
        const response = await invoke(postTransactionEvent(validBody()));
        expect(response.status).to.equal(500);
        expect(response.body.error?.code).to.equal("CONFIGURATION_ERROR");
        expect(fixture.logs.lines.map((line) => String(line.problems))).to.include(
            "environment variables FENCE_ALARM_NAME and FENCE_ALARM_REGION must be set together or not at all",
        );
    });
});

describe("RegionFence: cache, stale reads and fail-open (against the stand-in, with a controlled clock)", () => {
    let signal: SignalStandIn;
    let clock = 0;
    let fence: RegionFence;
    let client: CloudWatchClient;
    const logs = new LogCapture();

    before(async () => {
        logs.start();
        signal = await SignalStandIn.start();
    });
    after(async () => {
        logs.stop();
        await signal.stop();
    });
    beforeEach(() => {
        clock = 1_000_000;
        client = new CloudWatchClient({ region: "us-west-2", endpoint: signal.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
        fence = new RegionFence(client, { alarmName: ALARM_NAME, alarmRegion: "us-west-2" }, () => clock);
    });
    afterEach(() => client.destroy());

    it("keeps the last state read while reads fail, for at most the stale limit, then fails open", async () => {
        signal.mode = "ALARM";
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "read" });
        signal.mode = "server-error";
        clock += FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "stale" });
        clock += FENCE_STALE_LIMIT_MS - FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "stale" });
        clock += FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: false, source: "fail-open" });
    });

    it("serves the cache without a read inside the cache period", async () => {
        signal.mode = "ALARM";
        await fence.state();
        const reads = signal.reads;
        clock += FENCE_CACHE_MS - 1;
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "cache" });
        expect(signal.reads).to.equal(reads);
    });

    it("treats an alarm that does not exist as unreadable, not as clear", async () => {
        signal.mode = "ALARM";
        await fence.state();
        signal.mode = "no-such-alarm";
        clock += FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "stale" });
    });

    it("gives up on a slow read after its timeout and answers from the last state", async () => {
        signal.mode = "ALARM";
        await fence.state();
        signal.mode = "slow";
        clock += FENCE_CACHE_MS;
        const started = Date.now();
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "stale" });
        expect(Date.now() - started).to.be.below(1_500);
    });
});
