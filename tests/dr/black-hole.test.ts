import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { createRegionalClients } from "../../scripts/dr/clients";
import type { DrCliDeps } from "../../scripts/dr/cli";
import { boundCalls, COMMAND_DEADLINE_MS, Deadline, DR_CALL_LIMITS, worstCallMs, type CallLimits } from "../../scripts/dr/deadline";
import { createRoute53Client } from "../../scripts/drill/route53-status";
import { main as drillStatus, USAGE as DRILL_STATUS_USAGE } from "../../scripts/drill-status";
import { main as failback, USAGE as FAILBACK_USAGE } from "../../scripts/failback";
import { main as failover, USAGE as FAILOVER_USAGE } from "../../scripts/failover";
import { USAGE as LEDGER_CHECK_USAGE } from "../../scripts/ledger-check";
import { main as reconcile, USAGE as RECONCILE_USAGE } from "../../scripts/reconcile";
import { BlackHole } from "../handler/support/black-hole";
import { LOCAL_CREDENTIALS, LocalAws } from "../handler/support/local-aws";
import { SignalStandIn } from "../handler/support/signal-stand-in";
import { PRIMARY, PROD_OUTPUTS, STANDBY } from "./support/prod-outputs";

// Real SDK clients, built by the scripts' own factories, against a local TCP server that accepts every connection
// and never answers: what a browned-out region looks like. Small limits keep the test short; the figures the
// The runbook (docs/runbook.md) and --help state come from the same functions with the default limits.

const LIMITS: CallLimits = { connectionTimeoutMs: 100, requestTimeoutMs: 300, maxAttempts: 2 };
/** Worst case of one call under LIMITS (2 × 0.3 s + the pauses' allowance), plus scheduling slack on a busy machine. */
const BOUND_MS = worstCallMs(LIMITS) + 2_000;

const OUTPUTS = PROD_OUTPUTS;

describe("DR commands against a black-holed region (accepts TCP, never answers)", function () {
    this.timeout(30_000);
    let hole: BlackHole;
    let signal: SignalStandIn;
    // The standby's DynamoDB when it answers: the takeover authority's table (failover reads and writes it).
    let standbyDynamo: LocalAws;

    before(async () => {
        hole = await BlackHole.start();
        signal = await SignalStandIn.start();
        standbyDynamo = await LocalAws.start();
        await standbyDynamo.dynamo.send(
            new CreateTableCommand({
                TableName: OUTPUTS.takeoverAuthority.tableName,
                AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
                KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
        // dynalite creates tables asynchronously: wait until it is ACTIVE.
        await waitUntilTableExists({ client: standbyDynamo.dynamo, maxWaitTime: 60, minDelay: 1 }, { TableName: OUTPUTS.takeoverAuthority.tableName });
    });
    after(async () => {
        await hole.stop();
        await signal.stop();
        await standbyDynamo.stop();
    });
    beforeEach(() => {
        signal.mode = "OK";
        signal.published.length = 0;
    });

    /** Deps with real clients: `reachable` services answer from the stand-in, everything else is the black hole. */
    function run(reachable: (service: string, region: string) => boolean) {
        const captured = { stdout: "", stderr: "" };
        const deps: Partial<DrCliDeps> = {
            clients: (deadline) =>
                createRegionalClients(deadline, {
                    limits: LIMITS,
                    credentials: LOCAL_CREDENTIALS,
                    endpointFor: (service, region) =>
                        !reachable(service, region) ? hole.endpoint : service === "dynamodb" ? standbyDynamo.dynamoEndpoint : signal.endpoint,
                }),
            readFile: async () => JSON.stringify(OUTPUTS),
            stdout: (t) => (captured.stdout += t),
            stderr: (t) => (captured.stderr += t),
            env: {},
            // The stand-in's alarm follows the published value at the next poll.
            sleep: async () => {
                const last = signal.published.at(-1)?.MetricData?.[0]?.Value;
                signal.mode = last === undefined ? signal.mode : last >= 1 ? "ALARM" : "OK";
            },
            probe: { resolveCname: async () => [], fetchHealth: async () => ({ role: signal.mode === "ALARM" ? "secondary" : "primary" }) },
        };
        return { deps, captured };
    }

    async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
        const started = Date.now();
        const result = await work();
        return { result, ms: Date.now() - started };
    }

    const nothingReachable = () => false;
    const onlyStandbyCloudWatch = (service: string, region: string) => service === "cloudwatch" && region === STANDBY;

    it("failover: the standby black-holed, exits 2 in bounded time naming the call and the region", async () => {
        const { deps, captured } = run(nothingReachable);
        const { result, ms } = await timed(() => failover(["--outputs", "o.json", "--to", "secondary"], deps));
        expect(result).to.equal(2);
        expect(ms).to.be.below(BOUND_MS);
        expect(captured.stderr).to.match(
            /^failover: cloudwatch:DescribeAlarms in us-west-2 did not answer: (TimeoutError|ETIMEDOUT) after 2 attempts of at most 0\.3 s each/,
        );
        expect(captured.stderr).to.contain("us-west-2 is unreachable or browned out");
    });

    it("failover: the primary black-holed, still completes from the standby (it never calls the primary)", async () => {
        const { deps, captured } = run((_service, region) => region === STANDBY);
        const { result, ms } = await timed(() => failover(["--outputs", "o.json", "--to", "secondary"], deps));
        expect(result, captured.stderr).to.equal(0);
        expect(ms).to.be.below(BOUND_MS);
        expect(signal.published.map((p) => p.MetricData[0].Value)).to.deep.equal([1]);
        expect(captured.stdout).to.contain("takeover complete");
    });

    it("failback: the standby black-holed, exits 2 in bounded time naming the call and the region", async () => {
        const { deps, captured } = run(nothingReachable);
        const { result, ms } = await timed(() => failback(["--outputs", "o.json"], deps));
        expect(result).to.equal(2);
        expect(ms).to.be.below(BOUND_MS);
        expect(captured.stderr).to.match(/^failback: cloudwatch:DescribeAlarms in us-west-2 did not answer: (TimeoutError|ETIMEDOUT) after 2 attempts/);
    });

    it("failback: only the standby's CloudWatch answers; every gate fails in bounded time, naming its call and region", async () => {
        signal.mode = "ALARM";
        const { deps, captured } = run(onlyStandbyCloudWatch);
        const { result, ms } = await timed(() => failback(["--outputs", "o.json"], deps));
        expect(result).to.equal(2);
        // Three gates, one after the other, each at most one bounded call deep before it fails.
        expect(ms).to.be.below(3 * BOUND_MS);
        expect(captured.stderr).to.match(
            /dynamodb-replication: could not be checked: dynamodb:DescribeTable in us-west-2 did not answer: (TimeoutError|ETIMEDOUT) after 2 attempts/,
        );
        expect(captured.stderr).to.match(
            /s3-replication: could not be checked: s3:GetBucketReplication in us-west-2 did not answer: (TimeoutError|ETIMEDOUT) after 2 attempts/,
        );
        expect(captured.stderr).to.match(
            /reconciliation: could not be checked: dynamodb:Query in us-(east-1|west-2) did not answer: (TimeoutError|ETIMEDOUT) after 2 attempts/,
        );
        expect(captured.stderr).to.contain("The takeover stays in force");
        expect(signal.published).to.deep.equal([]);
    });

    it("reconcile: both regions black-holed, exits 2 in bounded time naming the call and the region", async () => {
        const { deps, captured } = run(nothingReachable);
        const { result, ms } = await timed(() =>
            reconcile(["--outputs", "o.json", "--since", "2026-11-28T18:00:00Z", "--until", "2026-11-28T19:00:00Z"], deps),
        );
        expect(result).to.equal(2);
        expect(ms).to.be.below(BOUND_MS);
        expect(captured.stderr).to.match(/^reconcile: dynamodb:Query in us-(east-1|west-2) did not answer: (TimeoutError|ETIMEDOUT) after 2 attempts/);
    });

    it("drill:status: Route 53's API black-holed, exits 2 in bounded time naming the call and the region", async () => {
        let stderr = "";
        const outputs = {
            hostedZoneId: "Z0123456789ABCDEFGHIJ",
            failoverDnsName: "api.payments.acme-corp.io",
            primaryHealthCheckId: "11111111-aaaa-4bbb-8ccc-000000000001",
            secondaryHealthCheckId: "22222222-aaaa-4bbb-8ccc-000000000002",
            primaryRegion: PRIMARY,
            secondaryRegion: STANDBY,
        };
        const { result, ms } = await timed(() =>
            drillStatus(["--outputs", "o.json"], {
                createClient: () =>
                    createRoute53Client(new Deadline(COMMAND_DEADLINE_MS["drill:status"]), {
                        limits: LIMITS,
                        endpoint: hole.endpoint,
                        credentials: LOCAL_CREDENTIALS,
                    }),
                readFile: async () => JSON.stringify(outputs),
                stdout: () => undefined,
                stderr: (t) => (stderr += t),
                env: {},
            }),
        );
        expect(result).to.equal(2);
        expect(ms).to.be.below(BOUND_MS);
        expect(stderr).to.match(
            /^drill-status: route53:(GetHealthCheck|GetHealthCheckStatus|ListResourceRecordSets) in us-east-1 did not answer: (TimeoutError|ETIMEDOUT) after 2 attempts/,
        );
    });

    it("cuts a call at the command's deadline, whatever the per-call limits", async () => {
        const client = new DynamoDBClient({ region: PRIMARY, endpoint: hole.endpoint, credentials: LOCAL_CREDENTIALS, ...{ maxAttempts: 3 } });
        boundCalls(client, "dynamodb", PRIMARY, DR_CALL_LIMITS, new Deadline(400));
        const { result, ms } = await timed(() =>
            client.send(new DescribeTableCommand({ TableName: "t" })).then(
                () => "answered",
                (error: Error) => error.message,
            ),
        );
        client.destroy();
        expect(result).to.equal("dynamodb:DescribeTable in us-east-1 not done when the command's 0.4 s deadline passed");
        expect(ms).to.be.below(2_000);
    });

    it("without throwOnRequestTimeout the SDK only warns and keeps waiting (the pitfall the limits avoid)", async () => {
        const warnings: string[] = [];
        const client = new DynamoDBClient({
            region: PRIMARY,
            endpoint: hole.endpoint,
            credentials: LOCAL_CREDENTIALS,
            maxAttempts: 1,
            requestHandler: { requestTimeout: 200, logger: { warn: (m: string) => warnings.push(m) } as never },
        });
        const pending = client.send(new DescribeTableCommand({ TableName: "t" })).then(
            () => "answered",
            () => "failed",
        );
        const outcome = await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 1_500))]);
        client.destroy();
        expect(outcome).to.equal("still waiting");
    });

    it("states the same figures in the runbook's time-limits table (docs/runbook.md)", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "runbook.md"), "utf8");
        const perCall = `${worstCallMs(DR_CALL_LIMITS) / 1000} s`;
        for (const [command, ms] of Object.entries(COMMAND_DEADLINE_MS)) {
            expect(readme, command).to.match(new RegExp(`\\| \`${command}\` \\| ${perCall}[^|]*\\| ${ms / 60_000} min`));
        }
        expect(readme).to.contain(`a 3 s connect and a\n10 s per-attempt timeout that throws, 3 attempts`);
    });

    it("states each command's worst case in its --help, from the default limits (32 s per call)", () => {
        expect(worstCallMs(DR_CALL_LIMITS)).to.equal(32_000);
        const line = (minutes: number) =>
            `Worst case: every AWS call gives up after 32 s (3 attempts of at most 10 s), the whole command after ${minutes} min; either way it exits 2 naming the call and region.`;
        expect(FAILOVER_USAGE).to.contain(line(15));
        expect(FAILBACK_USAGE).to.contain(line(20));
        expect(RECONCILE_USAGE).to.contain(line(30));
        expect(DRILL_STATUS_USAGE).to.contain(line(2));
        expect(LEDGER_CHECK_USAGE).to.contain(line(30));
    });
});
