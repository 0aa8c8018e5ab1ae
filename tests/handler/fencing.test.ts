import { expect } from "chai";
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { writeAuthority, type AuthorityTable } from "../../functions/takeover-switch/authority";
import { FENCE_CACHE_MS, FENCE_READ_TIMEOUT_MS, RegionFence } from "../../functions/transaction-processor/fence";
import { RegionalFenceMemory, regionalFenceKey } from "../../functions/transaction-processor/fence-state";
import { REPLICATION_LATENCY_SECONDS, RETRY_AFTER_JITTER_SECONDS } from "../../functions/transaction-processor/retry-after";
import { BlackHole } from "./support/black-hole";
import { getEvent, invoke, postTransactionEvent, validBody } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { closedPort, LOCAL_CREDENTIALS, LOCAL_REGION } from "./support/local-aws";
import { LogCapture } from "./support/log-capture";
import { RecordingProxy } from "./support/recording-proxy";
import { SignalStandIn } from "./support/signal-stand-in";

const STANDBY = "us-west-2";
let tables = 0;

/** A fresh authority table (hash key `pk`, as components/takeover/authority-store.ts creates it) in the local server. */
async function createAuthorityTable(client: DynamoDBClient): Promise<AuthorityTable> {
    tables += 1;
    const table = { region: STANDBY, tableName: `takeover-authority-test-${tables}` };
    await client.send(
        new CreateTableCommand({
            TableName: table.tableName,
            AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
            KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
            BillingMode: "PAY_PER_REQUEST",
        }),
    );
    // dynalite creates tables asynchronously: wait until it is ACTIVE.
    await waitUntilTableExists({ client: client, maxWaitTime: 60, minDelay: 1 }, { TableName: table.tableName });
    return table;
}

const SERVER_ERROR = {
    status: 500,
    contentType: "application/x-amz-json-1.0",
    body: JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError" }),
};

describe("Fencing: the demoted region refuses writes while the takeover authority is set", () => {
    const fixture = useHandlerFixture();
    let proxy: RecordingProxy;
    let signal: SignalStandIn;
    let table: AuthorityTable;
    const set = (takeOver: boolean) => writeAuthority(fixture.aws.dynamo, table, takeOver, new Date(), "test");
    // A new table name is a new configuration: a fresh container, whose fence has read nothing yet.
    const fencedEnv = (endpoint = proxy.endpoint) => ({
        ...fixture.baseEnv,
        FENCE_TABLE_NAME: table.tableName,
        FENCE_TABLE_REGION: STANDBY,
        FENCE_ENDPOINT_URL: endpoint,
        AWS_ENDPOINT_URL_CLOUDWATCH: signal.endpoint,
    });
    const authorityReads = () => proxy.count("POST", "GetItem") - readsBefore;
    const fenceItem = () => fixture.aws.getItem(fixture.tableName, { pk: regionalFenceKey(LOCAL_REGION).pk.S, sk: "FENCE" });
    const transactions = async () => (await fixture.aws.scan(fixture.tableName)).filter((item) => String(item.pk).startsWith("TXN#")).length;

    before(async () => {
        proxy = await RecordingProxy.start(fixture.aws.dynamoPort);
        signal = await SignalStandIn.start();
    });
    after(async () => {
        await proxy.stop();
        await signal.stop();
    });
    let readsBefore = 0;
    beforeEach(async () => {
        proxy.injectFault(() => undefined);
        signal.mode = "OK";
        table = await createAuthorityTable(fixture.aws.dynamo);
        // Every test starts with a region that has no last-known state yet.
        await fixture.aws.dynamo.send(new DeleteItemCommand({ TableName: fixture.tableName, Key: regionalFenceKey(LOCAL_REGION) }));
        readsBefore = proxy.count("POST", "GetItem");
        fixture.env.set(fencedEnv());
    });

    it("accepts writes while no takeover was ever recorded (no item), reading the authority in the standby region", async () => {
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        expect(authorityReads()).to.be.greaterThan(0);
        // The first read is the region's last-known state for the next new instance.
        expect(await fenceItem()).to.include({ fenced: false });
    });

    it("answers POST with 503 REGION_FENCED, a jittered Retry-After and no transaction while the authority is set", async () => {
        await set(true);
        const before = await transactions();
        const response = await invoke(postTransactionEvent(validBody()));
        expect(response.status).to.equal(503);
        expect(response.body.error?.code).to.equal("REGION_FENCED");
        expect(response.body.error?.message).to.contain("same Idempotency-Key");
        const retryAfter = Number(response.headers["retry-after"]);
        expect(retryAfter).to.be.within(REPLICATION_LATENCY_SECONDS, REPLICATION_LATENCY_SECONDS + RETRY_AFTER_JITTER_SECONDS);
        expect(await transactions()).to.equal(before);
        expect(await fenceItem()).to.include({ fenced: true });
    });

    it("ignores the takeover metric and its alarm: a forged ALARM fences nothing, a forged OK lifts nothing", async () => {
        signal.mode = "ALARM";
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        await set(true);
        signal.mode = "OK";
        await new Promise((resolve) => setTimeout(resolve, FENCE_CACHE_MS + 100));
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(503);
        expect(signal.reads).to.equal(0);
    });

    it("still answers GET of a transaction while fenced", async () => {
        const created = await invoke(postTransactionEvent(validBody()));
        expect(created.status).to.equal(201);
        await set(true);
        await new Promise((resolve) => setTimeout(resolve, FENCE_CACHE_MS + 100));
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(503);
        const read = await invoke(getEvent(`/transactions/${created.body.id as string}`));
        expect([read.status, read.text]).to.deep.equal([200, created.text]);
    });

    it("reads the authority at most once per cache period, and lifts the fence within it after a clear read", async () => {
        await set(true);
        const answers = await Promise.all(Array.from({ length: 5 }, () => invoke(postTransactionEvent(validBody()))));
        expect(answers.map((a) => a.status)).to.deep.equal([503, 503, 503, 503, 503]);
        expect(authorityReads()).to.equal(1);
        await set(false);
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(503, "still cached");
        await new Promise((resolve) => setTimeout(resolve, FENCE_CACHE_MS + 100));
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        expect(authorityReads()).to.equal(2);
    });

    it("cold instance, authority unreachable, no last-known state: refuses writes (503 REGION_FENCED), logging why", async () => {
        fixture.env.set(fencedEnv(`http://127.0.0.1:${await closedPort()}`));
        fixture.logs.clear();
        const response = await invoke(postTransactionEvent(validBody()));
        expect(response.status).to.equal(503);
        expect(response.body.error?.message).to.contain("cannot confirm");
        const warning = fixture.logs.lines.find((line) => line.message === "takeover authority unreadable");
        expect(warning).to.include({ level: "warn", authorityTable: table.tableName, authorityRegion: STANDBY, fenced: true, source: "unknown" });
    });

    it("cold instance, authority unreachable: follows the region's last-known state (clear: accepts; set: refuses)", async () => {
        // An earlier instance read the authority clear and recorded it.
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        fixture.env.set(fencedEnv(`http://127.0.0.1:${await closedPort()}`));
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        // Another instance read a takeover and recorded it; a new instance that cannot read the authority refuses.
        await set(true);
        fixture.env.set({ ...fencedEnv(), LOG_LEVEL: "info" });
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(503);
        fixture.env.set({ ...fencedEnv(`http://127.0.0.1:${await closedPort()}`), LOG_LEVEL: "warn" });
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(503);
    });

    it("never reads the authority in a region without fence settings (the standby region)", async () => {
        await set(true);
        fixture.env.set({
            ...fixture.baseEnv,
            REGION_ROLE: "secondary",
            FENCE_TABLE_NAME: undefined,
            FENCE_TABLE_REGION: undefined,
            FENCE_ENDPOINT_URL: undefined,
        });
        expect((await invoke(postTransactionEvent(validBody()))).status).to.equal(201);
        expect(authorityReads()).to.equal(0);
    });

    it("refuses half a fence configuration with a CONFIGURATION_ERROR naming both variables", async () => {
        fixture.env.set({ ...fencedEnv(), FENCE_TABLE_REGION: undefined });
        const response = await invoke(postTransactionEvent(validBody()));
        expect(response.status).to.equal(500);
        expect(response.body.error?.code).to.equal("CONFIGURATION_ERROR");
        expect(fixture.logs.lines.map((line) => String(line.problems))).to.include(
            "environment variables FENCE_TABLE_NAME and FENCE_TABLE_REGION must be set together or not at all",
        );
    });
});

describe("RegionFence: never fails open after a takeover, cold instances, partitions (local DynamoDB, controlled clock)", () => {
    const fixture = useHandlerFixture();
    let proxy: RecordingProxy;
    let hole: BlackHole;
    let table: AuthorityTable;
    let clock = 0;
    let client: DynamoDBClient;
    let regional: RegionalFenceMemory;
    const logs = new LogCapture();
    const set = (takeOver: boolean) => writeAuthority(fixture.aws.dynamo, table, takeOver, new Date(), "test");
    const fenceThrough = (endpoint: string) => {
        client = new DynamoDBClient({ region: STANDBY, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
        return new RegionFence(client, table, regional, () => clock);
    };
    const partition = () => proxy.injectFault(() => SERVER_ERROR);
    const heal = () => proxy.injectFault(() => undefined);

    before(async () => {
        logs.start();
        proxy = await RecordingProxy.start(fixture.aws.dynamoPort);
        hole = await BlackHole.start();
    });
    after(async () => {
        logs.stop();
        await proxy.stop();
        await hole.stop();
    });
    beforeEach(async () => {
        clock = 1_000_000;
        heal();
        table = await createAuthorityTable(fixture.aws.dynamo);
        // A region of its own per test: no last-known state from another test.
        regional = new RegionalFenceMemory(fixture.aws.dynamo, fixture.tableName, `test-region-${tables}`);
    });
    afterEach(() => client?.destroy());

    it("warm after a takeover: stays fenced through ten minutes of failed reads, and only a clear read lifts it", async () => {
        const fence = fenceThrough(proxy.endpoint);
        await set(true);
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "read" });
        partition();
        for (let minute = 1; minute <= 10; minute += 1) {
            clock += 60_000;
            expect(await fence.state(), `minute ${minute}`).to.deep.equal({ fenced: true, source: "held" });
        }
        // The region's last-known state (clear, recorded earlier by nobody) cannot lift it either.
        await regional.record({ fenced: false, atMs: clock + 1 });
        clock += FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "held" });
        heal();
        await set(false);
        clock += FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: false, source: "read" });
    });

    it("partition after the takeover was seen by another instance: a warm instance that last read clear picks up the region's newer fenced state", async () => {
        const fence = fenceThrough(proxy.endpoint);
        expect(await fence.state()).to.deep.equal({ fenced: false, source: "read" });
        // Another instance of the region read the takeover and recorded it; then the partition begins.
        await regional.record({ fenced: true, atMs: clock + 1_000 });
        partition();
        clock += FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "regional" });
    });

    it("partition that begins before any takeover is seen: keeps accepting (the stated fail-open window) until a read succeeds", async () => {
        const fence = fenceThrough(proxy.endpoint);
        expect(await fence.state()).to.deep.equal({ fenced: false, source: "read" });
        partition();
        await set(true); // the standby takes over meanwhile: the partitioned primary cannot know
        clock += 10 * 60_000;
        expect(await fence.state()).to.deep.equal({ fenced: false, source: "held" });
        heal();
        clock += FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "read" });
    });

    it("cold instance: the region's last-known state when the authority is unreadable, refusal without one", async () => {
        partition();
        expect(await fenceThrough(proxy.endpoint).state()).to.deep.equal({ fenced: true, source: "unknown" });
        await regional.record({ fenced: false, atMs: clock });
        expect(await fenceThrough(proxy.endpoint).state()).to.deep.equal({ fenced: false, source: "regional" });
        await regional.record({ fenced: true, atMs: clock + 1 });
        expect(await fenceThrough(proxy.endpoint).state()).to.deep.equal({ fenced: true, source: "regional" });
    });

    it("records only newer observations in the region (instances race; the newest read wins)", async () => {
        await regional.record({ fenced: true, atMs: 2_000 });
        await regional.record({ fenced: false, atMs: 1_000 });
        expect(await regional.read()).to.deep.equal({ fenced: true, atMs: 2_000 });
    });

    it("treats an item with an unknown state as unreadable, never as clear", async () => {
        const fence = fenceThrough(proxy.endpoint);
        await set(true);
        await fence.state();
        await fixture.aws.putItem(table.tableName, { pk: "TAKEOVER", state: "maybe" });
        clock += FENCE_CACHE_MS;
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "held" });
    });

    it(`gives up on a read that hangs after ${FENCE_READ_TIMEOUT_MS} ms and answers from what it knows`, async () => {
        await set(true);
        expect(await fenceThrough(proxy.endpoint).state()).to.include({ fenced: true });
        const fence = fenceThrough(hole.endpoint);
        const started = Date.now();
        expect(await fence.state()).to.deep.equal({ fenced: true, source: "regional" });
        expect(Date.now() - started).to.be.below(2_500);
    });
});
