import { expect } from "chai";
import { GetMetricDataCommand, type GetMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import { DescribeTableCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/client-dynamodb";
import { GetBucketReplicationCommand, GetObjectCommand, type GetObjectCommandInput } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import { FAILBACK_ACTIONS, FAILOVER_ACTIONS } from "../../components/takeover/dr-script-actions";
import { createdDayShardFor } from "../../contracts/day-index";
import { requestHashOfView } from "../../functions/transaction-processor/receipt-contents";
import { receiptBodyOf } from "../../functions/transaction-processor/receipts";
import type { TransactionView } from "../../functions/transaction-processor/transactions";
import { ACTIONS as FAILBACK_SCRIPT_ACTIONS, main as failback } from "../../scripts/failback";
import { ACTIONS as FAILOVER_SCRIPT_ACTIONS, main as failover } from "../../scripts/failover";
import { fakeDeps, MockRegions, SimulatedSignal } from "./support/mock-regions";
import { PRIMARY, PROD_OUTPUTS, STANDBY } from "./support/prod-outputs";

// AWS is mocked at the client level (aws-sdk-client-mock), one client per service and region.

const OUTPUTS = PROD_OUTPUTS;
const OUTPUTS_TEXT = JSON.stringify(OUTPUTS);
const ARGS = ["--outputs", "prod-outputs.json"];
const REASON = "INC-4711: primary back for 2 h, replication metrics missing since the outage";
const FORCED = ["--force", "--reason", REASON, "--confirm-stack", "prod-abc123"];

/** A region that answers as long as the takeover alarm says so: what Route 53 does with the calculated check. */
function setup(initial: "OK" | "ALARM") {
    const regions = new MockRegions();
    const signal = new SimulatedSignal(regions, STANDBY, initial);
    const fake = fakeDeps(regions, OUTPUTS_TEXT, () => (signal.state === "ALARM" ? "secondary" : "primary"));
    return { regions, signal, ...fake };
}

describe("npm run failover (standby-initiated, data plane only)", () => {
    it("sets the takeover signal in the standby region, waits for the alarm and for DNS, printing each step with its time", async () => {
        const { signal, deps, captured } = setup("OK");
        const code = await failover([...ARGS, "--to", "secondary"], deps);
        expect(code, captured.stderr).to.equal(0);
        expect(signal.published).to.have.length(1);
        expect(signal.published[0]).to.deep.include({ Namespace: "PaymentsDR/Failover" });
        expect(signal.published[0].MetricData![0]).to.deep.include({
            MetricName: "TakeoverRequested",
            Dimensions: [{ Name: "Stack", Value: "prod-abc123" }],
            Value: 1,
            StorageResolution: 60,
        });
        expect(signal.state).to.equal("ALARM");
        const lines = captured.stdout.split("\n");
        expect(lines.some((l) => /^\[\+\s+0\.0 s\] read the takeover signal \(alarm takeover-signal-prod-abc123, us-west-2\) …$/.test(l))).to.equal(true);
        expect(captured.stdout).to.match(
            /\[\+\s+\d+\.\d s\] set the takeover signal: PutMetricData PaymentsDR\/Failover\/TakeoverRequested=1 in us-west-2, wait for ALARM \(expected within 120 s\) …/,
        );
        expect(captured.stdout).to.match(/ {2}alarm ALARM \(\d+\.\d s\)/);
        expect(captured.stdout).to.contain("503 REGION_FENCED (within 122 s of the authority)");
        // The authority first (the fence), then the metric (Route 53): the order of the steps as printed.
        expect(signal.authority.set).to.equal(true);
        expect(signal.authority.writes[0].Item).to.deep.include({ pk: { S: "TAKEOVER" }, state: { S: "set" }, changedBy: { S: "npm run failover" } });
        expect(captured.stdout.indexOf("set the takeover authority: PutItem takeover-authority-prod-abc123 state=set in us-west-2")).to.be.greaterThan(-1);
        expect(captured.stdout.indexOf("set the takeover authority")).to.be.below(captured.stdout.indexOf("set the takeover signal"));
        expect(captured.stdout).to.contain("reached: GET https://api.payments-dr.acme-pay.net/health answered role secondary (us-west-2)");
        expect(captured.stdout).to.contain("takeover complete");
    });

    it("calls only DynamoDB and CloudWatch in the standby region, exactly the actions it exports", async () => {
        const { regions, deps } = setup("OK");
        await failover([...ARGS, "--to", "secondary"], deps);
        expect([...new Set(regions.requested)].sort()).to.deep.equal([`cloudwatch:${STANDBY}`, `dynamodb:${STANDBY}`]);
        expect(regions.sentActions()).to.deep.equal([...FAILOVER_ACTIONS].sort());
        expect(FAILOVER_SCRIPT_ACTIONS).to.equal(FAILOVER_ACTIONS);
    });

    it("succeeds with the primary region unreachable (it never calls it)", async () => {
        const { regions, deps, captured } = setup("OK");
        regions.unreachable(PRIMARY);
        expect(await failover([...ARGS, "--to", "secondary"], deps)).to.equal(0);
        expect(regions.sent().filter((line) => line.includes(PRIMARY))).to.deep.equal([]);
        expect(captured.stdout).to.contain("the primary (us-east-1) is not contacted");
    });

    it("republishes the value each period while the alarm has not followed yet", async () => {
        const regions = new MockRegions();
        const signal = new SimulatedSignal(regions, STANDBY, "OK", 8);
        const { deps } = fakeDeps(regions, OUTPUTS_TEXT, () => (signal.state === "ALARM" ? "secondary" : "primary"));
        expect(await failover([...ARGS, "--to", "secondary", "--no-wait"], deps)).to.equal(0);
        // 10 s polls: published at 0 s and again at 60 s before the alarm followed.
        expect(signal.published.map((p) => p.MetricData![0].Value)).to.deep.equal([1, 1]);
    });

    it("exits 1 when the signal is set but the failover name does not follow in time", async () => {
        const { regions, signal } = setup("OK");
        const { deps, captured } = fakeDeps(regions, OUTPUTS_TEXT, () => "primary");
        expect(await failover([...ARGS, "--to", "secondary"], deps)).to.equal(1);
        expect(signal.state).to.equal("ALARM");
        // Twice the expected 180 s before giving up.
        expect(captured.stdout).to.match(/NOT YET after 360 s: GET https:\/\/api\.payments-dr\.acme-pay\.net\/health answered role primary/);
    });

    it("refuses --to primary (that is a failback) and a missing --to, with exit 2", async () => {
        const { deps, captured, signal } = setup("OK");
        expect(await failover([...ARGS, "--to", "primary"], deps)).to.equal(2);
        expect(captured.stderr).to.contain("--to primary is a failback: run `npm run failback");
        expect(await failover([...ARGS], deps)).to.equal(2);
        expect(captured.stderr).to.contain("--to secondary is required");
        expect(signal.published).to.deep.equal([]);
    });

    it("exits 2 naming the operator role when PutMetricData is denied", async () => {
        const regions = new MockRegions();
        new SimulatedSignal(regions, STANDBY, "OK");
        regions
            .mock("cloudwatch", STANDBY)
            .onAnyCommand()
            .rejects(Object.assign(new Error("User is not authorized to perform: cloudwatch:PutMetricData"), { name: "AccessDenied" }));
        const { deps, captured } = fakeDeps(regions, OUTPUTS_TEXT, () => "primary");
        expect(await failover([...ARGS, "--to", "secondary"], deps)).to.equal(2);
        expect(captured.stderr).to.contain("access denied");
        expect(captured.stderr).to.contain(OUTPUTS.operatorRoleArn);
    });
});

interface Txn {
    readonly id: string;
    readonly createdAt: string;
    readonly region: string;
}

const viewOf = (t: Txn): TransactionView => ({
    id: t.id,
    status: "ACCEPTED",
    amount: 1250,
    currency: "EUR",
    merchantId: "merchant_42",
    reference: null,
    createdAt: t.createdAt,
    region: t.region,
});
const receiptKeyOf = (t: Txn) => `receipts/aa/2026/11/28/${t.id}.json`;

/** Arranges the failback gates' answers; every gate passes unless told otherwise. */
function arrangeGates(
    regions: MockRegions,
    o: {
        latencyMs?: number | null;
        replicaStatus?: string;
        pending?: number | null;
        reverseRule?: boolean;
        primaryTxns?: Txn[];
        standbyTxns?: Txn[];
        /** When the standby answered its first payment (PaymentFailed samples); none by default. */
        firstStandbyPayment?: string;
        /** The standby's payment metric cannot be read. */
        paymentsFail?: boolean;
    } = {},
) {
    const txns: Txn[] = [{ id: "txn_aaaaaaaaaaaaaaaaaaaaaaaaaa", createdAt: "2026-11-28T18:05:00.000Z", region: STANDBY }];
    regions
        .mock("dynamodb", STANDBY)
        .on(DescribeTableCommand)
        .resolves({
            Table: { TableName: OUTPUTS.transactionsTableName, Replicas: [{ RegionName: PRIMARY, ReplicaStatus: (o.replicaStatus ?? "ACTIVE") as "ACTIVE" }] },
        });
    regions
        .mock("cloudwatch", STANDBY)
        .on(GetMetricDataCommand)
        .callsFake((input: GetMetricDataCommandInput) => {
            const metric = input.MetricDataQueries![0].MetricStat!.Metric!;
            if (metric.MetricName === "PaymentFailed" && o.paymentsFail === true) {
                throw Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
            }
            if (metric.MetricName === "PaymentFailed") {
                expect(metric.Dimensions).to.deep.equal([{ Name: "Region", Value: STANDBY }]);
                expect(input.MetricDataQueries![0].MetricStat!.Stat).to.equal("SampleCount");
                // Oldest first: periods without payments, then the first one with some.
                const first = o.firstStandbyPayment === undefined ? [] : [new Date(o.firstStandbyPayment)];
                return {
                    MetricDataResults: [{ Id: "payments", Values: [0, ...first.map(() => 4)], Timestamps: [new Date("2026-11-21T18:30:00Z"), ...first] }],
                };
            }
            const value = metric.MetricName === "ReplicationLatency" ? o.latencyMs : o.pending;
            const values = value === null ? [] : [value ?? (metric.MetricName === "ReplicationLatency" ? 120 : 0)];
            return { MetricDataResults: [{ Id: "m", Values: values, Timestamps: values.map(() => new Date("2026-11-28T18:29:00Z")) }] };
        });
    regions
        .mock("s3", STANDBY)
        .on(GetBucketReplicationCommand)
        .resolves({
            ReplicationConfiguration: {
                Role: "arn:aws:iam::123456789012:role/replication",
                Rules:
                    o.reverseRule === false
                        ? []
                        : [
                              {
                                  ID: OUTPUTS.replicationRuleIds.secondary,
                                  Status: "Enabled",
                                  Destination: { Bucket: `arn:aws:s3:::${OUTPUTS.primaryBucketName}` },
                              },
                          ],
            },
        });
    for (const [region, list] of [
        [PRIMARY, o.primaryTxns ?? txns],
        [STANDBY, o.standbyTxns ?? txns],
    ] as const) {
        regions
            .mock("dynamodb", region)
            .on(QueryCommand)
            .callsFake((input: QueryCommandInput) => {
                const partition = input.ExpressionAttributeValues![":p"].S;
                const items = list
                    .filter((t) => createdDayShardFor(t.id, t.createdAt) === partition)
                    .map((t) => marshall({ ...t, sk: "TXN", requestHash: requestHashOfView(viewOf(t)), receiptKey: receiptKeyOf(t) }));
                return { Items: items, Count: items.length };
            });
        // Each bucket holds the receipt of every transaction either region has (the transaction's own contents).
        regions
            .mock("s3", region)
            .on(GetObjectCommand)
            .callsFake((input: GetObjectCommandInput) => {
                const txn = [...(o.primaryTxns ?? txns), ...(o.standbyTxns ?? txns)].find((t) => receiptKeyOf(t) === input.Key)!;
                return { Body: { transformToString: async () => receiptBodyOf(viewOf(txn)) } };
            });
    }
}

describe("npm run failback (gated)", () => {
    it("passes every gate, clears the signal and waits for the primary; exactly the actions it exports", async () => {
        const { regions, signal, deps, captured } = setup("ALARM");
        arrangeGates(regions);
        const code = await failback(ARGS, deps);
        expect(code, captured.stderr).to.equal(0);
        expect(signal.published.map((p) => p.MetricData![0].Value)).to.deep.equal([0]);
        expect(signal.state).to.equal("OK");
        expect(captured.stdout).to.match(/gate dynamodb-replication .* …\n.*passed: replica ACTIVE; ReplicationLatency toward us-east-1 120 ms < 1000 ms/);
        expect(captured.stdout).to.contain("passed: reverse replication on; 0 operations pending");
        expect(captured.stdout).to.contain("passed: clean (1 transactions in the primary, 1 in the secondary)");
        // No standby payment before the alarm: the window starts one metric period before the takeover alarm fired.
        expect(captured.stdout).to.contain("2026-11-28T16:55:00.000Z: 5 min before the takeover alarm's ALARM (2026-11-28T17:00:00.000Z)");
        expect(captured.stdout).to.contain("gate reconciliation (transactions created since 2026-11-28T16:55:00.000Z)");
        expect(captured.stdout).to.contain("failback complete");
        expect(regions.sentActions()).to.deep.equal([...FAILBACK_ACTIONS].sort());
        expect(FAILBACK_SCRIPT_ACTIONS).to.equal(FAILBACK_ACTIONS);
    });

    const refusals: Array<[string, Parameters<typeof arrangeGates>[1], RegExp]> = [
        [
            "dynamodb-replication (latency over the threshold)",
            { latencyMs: 5_000 },
            /refused by gate dynamodb-replication: dynamodb-replication: ReplicationLatency toward us-east-1 is 5000 ms, not under 1000 ms/,
        ],
        [
            "dynamodb-replication (the primary's replica not ACTIVE)",
            { replicaStatus: "UPDATING" },
            /refused by gate dynamodb-replication: .*replica in us-east-1 is UPDATING, not ACTIVE/,
        ],
        [
            "s3-replication (operations pending)",
            { pending: 12 },
            /refused by gate s3-replication: s3-replication: 12 replication operations pending toward documents-primary-prod-abc123/,
        ],
        [
            "s3-replication (reverse replication configured but absent)",
            { reverseRule: false },
            /refused by gate s3-replication: .*no enabled rule to documents-primary-prod-abc123/,
        ],
        [
            "dynamodb-replication (replica ACTIVE, but no ReplicationLatency datapoint: stalled replication is unknown, not fine)",
            { latencyMs: null },
            /refused by gate dynamodb-replication: dynamodb-replication: unknown: replica ACTIVE but no ReplicationLatency datapoint toward us-east-1 in the last 10 minutes/,
        ],
        [
            "s3-replication (no OperationsPendingReplication datapoint)",
            { pending: null },
            /refused by gate s3-replication: s3-replication: unknown: no OperationsPendingReplication datapoint toward documents-primary-prod-abc123/,
        ],
        [
            "reconciliation (a standby-only write of an earlier automatic failover, 30 minutes before the takeover alarm)",
            {
                firstStandbyPayment: "2026-11-28T16:30:00Z",
                primaryTxns: [],
                standbyTxns: [{ id: "txn_bbbbbbbbbbbbbbbbbbbbbbbbbb", createdAt: "2026-11-28T16:31:00.000Z", region: STANDBY }],
            },
            /refused by gate reconciliation: reconciliation: 1 finding \(missing-in-primary\); see `npm run reconcile -- --since 2026-11-28T16:25:00.000Z`/,
        ],
        [
            "reconciliation (a transaction only in the standby region)",
            { primaryTxns: [] },
            /refused by gate reconciliation: reconciliation: 1 finding \(missing-in-primary\); see `npm run reconcile -- --since 2026-11-28T16:55:00.000Z`/,
        ],
    ];
    for (const [what, arrangement, message] of refusals) {
        it(`is refused (exit 2, naming the gate) by ${what}, and leaves the takeover in force`, async () => {
            const { regions, signal, deps, captured } = setup("ALARM");
            arrangeGates(regions, arrangement);
            expect(await failback(ARGS, deps)).to.equal(2);
            expect(captured.stderr, captured.stderr).to.match(message);
            expect(captured.stderr).to.contain("The takeover stays in force");
            expect(signal.published).to.deep.equal([]);
            expect(signal.state).to.equal("ALARM");
        });
    }

    it("--force skips every gate, saying what it skips, and fails back", async () => {
        const { regions, signal, deps, captured } = setup("ALARM");
        expect(await failback([...ARGS, ...FORCED], deps)).to.equal(0);
        expect(captured.stdout).to.contain(
            "--force: skipping the gates — dynamodb-replication (table writes made in the standby region have replicated to the primary)",
        );
        expect(captured.stdout).to.contain("s3-replication (documents written in the standby region are replicated (or copied) back)");
        expect(captured.stdout).to.contain("reconciliation (both regions hold the same transactions, one version each, with both receipts)");
        expect(captured.stdout).to.contain(
            "run `npm run reconcile -- --since <the first write in us-west-2, no later than 2026-11-28T16:55:00.000Z>` afterwards",
        );
        expect(regions.sentActions()).to.deep.equal(["cloudwatch:DescribeAlarms", "cloudwatch:PutMetricData", "dynamodb:GetItem", "dynamodb:PutItem"]);
        expect(signal.state).to.equal("OK");
        // The metric first (Route 53 moves back), the authority last (the primary is released).
        expect(signal.authority.set).to.equal(false);
        expect(captured.stdout.indexOf("clear the takeover signal")).to.be.below(captured.stdout.indexOf("clear the takeover authority"));
    });

    describe("forcing is deliberate and recorded", () => {
        /** The dr-force record the script printed (one JSON line). */
        const forceRecords = (stdout: string) =>
            stdout
                .split("\n")
                .filter((line) => line.startsWith("{"))
                .map((line) => JSON.parse(line) as Record<string, unknown>);

        it("records who forced what and why: a FORCED line and one dr-force JSON line, before anything else is done", async () => {
            const { deps, captured } = setup("ALARM");
            expect(await failback([...ARGS, ...FORCED], deps)).to.equal(0);
            expect(captured.stdout).to.contain(`FORCED by alice@ops-laptop on stack prod-abc123: ${JSON.stringify(REASON)}`);
            expect(forceRecords(captured.stdout)).to.deep.equal([
                {
                    event: "dr-force",
                    script: "failback",
                    stack: "prod-abc123",
                    by: "alice@ops-laptop",
                    reason: REASON,
                    skipped: [
                        "gate dynamodb-replication (table writes made in the standby region have replicated to the primary)",
                        "gate s3-replication (documents written in the standby region are replicated (or copied) back)",
                        "gate reconciliation (both regions hold the same transactions, one version each, with both receipts)",
                    ],
                    at: "2026-11-28T18:30:00.000Z",
                },
            ]);
            expect(captured.stdout.indexOf("FORCED by")).to.be.below(captured.stdout.indexOf("read the takeover signal"));
        });

        const refusals: Array<[string, string[], RegExp]> = [
            ["without --reason", ["--force", "--confirm-stack", "prod-abc123"], /failback: --force needs --reason "<why>" of at least 10 characters/],
            ["with a reason that says nothing", ["--force", "--reason", "  x  ", "--confirm-stack", "prod-abc123"], /at least 10 characters .*, got "x"/],
            [
                "with another stack's name",
                ["--force", "--reason", REASON, "--confirm-stack", "dev-abc123"],
                /"dev-abc123" is not this stack's name \(prod-abc123\); nothing was changed/,
            ],
            [
                "with no terminal and no --confirm-stack",
                ["--force", "--reason", REASON],
                /needs the stack name typed at a terminal, or --confirm-stack prod-abc123 when there is none/,
            ],
            ["--reason without --force", ["--reason", REASON], /--reason only goes with --force/],
        ];
        for (const [what, flags, message] of refusals) {
            it(`refuses ${what}: exit 2, one clean line, no AWS call, the takeover untouched`, async () => {
                const { regions, signal, deps, captured } = setup("ALARM");
                expect(await failback([...ARGS, ...flags], deps)).to.equal(2);
                expect(captured.stderr).to.match(message);
                expect(captured.stderr.trim().split("\n")).to.have.length(1);
                expect(regions.sentActions()).to.deep.equal([]);
                expect(signal.state).to.equal("ALARM");
                expect(forceRecords(captured.stdout)).to.deep.equal([]);
            });
        }

        it("at a terminal: asks for the stack name (showing what is skipped) and goes on only when it is typed", async () => {
            for (const [typed, code] of [
                ["prod-abc123\n", 0],
                ["prod", 2],
            ] as const) {
                const { signal, deps, captured } = setup("ALARM");
                const questions: string[] = [];
                const atTerminal = { ...deps, prompt: async (question: string) => (questions.push(question), typed) };
                expect(await failback([...ARGS, "--force", "--reason", REASON], atTerminal)).to.equal(code);
                expect(questions).to.have.length(1);
                expect(questions[0]).to.match(/^failback --force skips: gate dynamodb-replication .*\nType the stack name \(prod-abc123\) to go on: $/s);
                expect(signal.state).to.equal(code === 0 ? "OK" : "ALARM");
                expect(forceRecords(captured.stdout).map((r) => r.reason)).to.deep.equal(code === 0 ? [REASON] : []);
            }
        });

        it("with --stack, the name to confirm is the Pulumi stack's", async () => {
            const { deps, captured } = setup("ALARM");
            const withPulumi = { ...deps, execFile: async () => ({ stdout: OUTPUTS_TEXT, stderr: "" }) };
            expect(await failback(["--stack", "prod", "--force", "--reason", REASON, "--confirm-stack", "prod-abc123"], withPulumi)).to.equal(2);
            expect(captured.stderr).to.contain('"prod-abc123" is not this stack\'s name (prod)');
            expect(await failback(["--stack", "prod", "--force", "--reason", REASON, "--confirm-stack", "prod"], withPulumi)).to.equal(0);
            expect(forceRecords(captured.stdout)[0]).to.include({ stack: "prod", reason: REASON });
        });
    });

    it("is refused by the reconciliation gate when the primary region is unreachable", async () => {
        const { regions, signal, deps, captured } = setup("ALARM");
        arrangeGates(regions);
        regions.unreachable(PRIMARY);
        expect(await failback(ARGS, deps)).to.equal(2);
        expect(captured.stderr).to.match(/refused by gate reconciliation: reconciliation: could not be checked: Error: connect ECONNREFUSED \(us-east-1\)/);
        expect(signal.published).to.deep.equal([]);
    });

    it("--accept-unknown lets a gate without data pass, saying so; a gate whose data says no still refuses", async () => {
        const { regions, signal, deps, captured } = setup("ALARM");
        arrangeGates(regions, { latencyMs: null });
        expect(await failback([...ARGS, "--accept-unknown"], deps), captured.stderr).to.equal(0);
        expect(captured.stdout).to.contain("UNKNOWN, accepted (--accept-unknown): unknown: replica ACTIVE but no ReplicationLatency datapoint");
        expect(signal.state).to.equal("OK");

        const again = setup("ALARM");
        arrangeGates(again.regions, { latencyMs: 5_000 });
        expect(await failback([...ARGS, "--accept-unknown"], again.deps)).to.equal(2);
        expect(again.captured.stderr).to.contain("refused by gate dynamodb-replication");
    });

    it("refuses the reconciliation gate when the window start cannot be found, asking for --since", async () => {
        const { regions, signal, deps, captured } = setup("ALARM");
        arrangeGates(regions, { paymentsFail: true });
        expect(await failback(ARGS, deps)).to.equal(2);
        expect(captured.stderr).to.match(/reconciliation: unknown window start \(Throttling: Rate exceeded\); give --since/);
        expect(signal.published).to.deep.equal([]);
    });

    it("has nothing to do when no takeover is in force", async () => {
        const { regions, signal, deps, captured } = setup("OK");
        expect(await failback(ARGS, deps)).to.equal(0);
        expect(captured.stdout).to.contain("no takeover in force");
        expect(signal.published).to.deep.equal([]);
        expect(regions.sentActions()).to.deep.equal(["cloudwatch:DescribeAlarms", "dynamodb:GetItem"]);
    });

    it("refuses a bad --since or --max-replication-latency-ms with exit 2", async () => {
        const { deps, captured } = setup("ALARM");
        expect(await failback([...ARGS, "--since", "last tuesday"], deps)).to.equal(2);
        expect(captured.stderr).to.contain("--since must be an ISO-8601 time");
        expect(await failback([...ARGS, "--max-replication-latency-ms=0"], deps)).to.equal(2);
        expect(captured.stderr).to.contain("--max-replication-latency-ms must be a positive integer");
    });
});
