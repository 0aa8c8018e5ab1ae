import { expect } from "chai";
import { createdDayShardFor, DAY_SHARDS, dayShardOf } from "../../contracts/day-index";
import { daysBetween, reconcile, renderReconcileReport, type ReconcileReport } from "../../scripts/dr/reconciliation";
import { main, reconcileStack } from "../../scripts/reconcile";
import { validBody } from "../handler/support/events";
import { TwoRegions } from "./support/two-regions";

// Two local regions (dynalite + s3rver each); transactions written by the real handler, replication by hand.

describe("reconcile: both regions compared through the createdAt-by-day index (local servers)", () => {
    const regions = new TwoRegions();
    let since: Date;
    let report: ReconcileReport;
    const ids: Record<string, string> = {};

    before(async () => {
        await regions.start();
        since = new Date(Date.now() - 1_000);
        // Replicated completely: no finding.
        ids.clean = (await regions.post("primary", "key-clean")).body.id as string;
        await regions.replicateItem("primary", ids.clean);
        await regions.replicateReceipt("primary", await regions.receiptKeyOf("primary", ids.clean));
        // Written in the primary, never replicated (lost with the primary region's outage).
        ids.onlyPrimary = (await regions.post("primary", "key-only-primary")).body.id as string;
        // Written in the secondary during the takeover, not yet replicated back.
        ids.onlySecondary = (await regions.post("secondary", "key-only-secondary")).body.id as string;
        // The same key accepted in both regions with different bodies: two versions of one transaction.
        ids.conflict = (await regions.post("primary", "key-conflict", validBody({ amount: 100 }))).body.id as string;
        await regions.post("secondary", "key-conflict", validBody({ amount: 200 }));
        // Items replicated both ways, receipts not.
        ids.receiptNotInSecondary = (await regions.post("primary", "key-receipt-primary")).body.id as string;
        await regions.replicateItem("primary", ids.receiptNotInSecondary);
        ids.receiptNotInPrimary = (await regions.post("secondary", "key-receipt-secondary")).body.id as string;
        await regions.replicateItem("secondary", ids.receiptNotInPrimary);
        const clients = regions.clients();
        report = await reconcileStack(regions.outputs(), clients, since, new Date(Date.now() + 1_000));
        clients.destroy();
    });
    after(() => regions.stop());

    const kindsOf = (id: string) => report.findings.filter((f) => f.transactionId === id).map((f) => f.kind);

    it("writes the index partition with every transaction (day and shard of the id)", async () => {
        const item = await regions.aws.primary.getItem(regions.tableName, { pk: `TXN#${ids.clean}`, sk: "TXN" });
        expect(item!.createdDayShard).to.equal(createdDayShardFor(ids.clean, item!.createdAt as string));
        expect(item!.createdDayShard).to.match(/^\d{4}-\d{2}-\d{2}#\d{2}$/);
    });

    it("counts the transactions each region holds for the window", () => {
        expect(report.counts).to.deep.equal({ primary: 5, secondary: 5 });
    });

    it("reports nothing for a transaction present in both regions with both receipts", () => {
        expect(kindsOf(ids.clean)).to.deep.equal([]);
    });

    it("reports a transaction missing in the secondary (and so its receipt there)", () => {
        expect(kindsOf(ids.onlyPrimary)).to.deep.equal(["missing-in-secondary", "missing-receipt"]);
    });

    it("reports a transaction missing in the primary (and so its receipt there)", () => {
        expect(kindsOf(ids.onlySecondary)).to.deep.equal(["missing-in-primary", "missing-receipt"]);
    });

    it("reports two versions of one transaction as a conflict, naming what differs; one shared receipt key cannot hold both", () => {
        // Strong mode keys one receipt per id (it cannot accept two versions); forced into two here, each bucket holds its own.
        expect(kindsOf(ids.conflict)).to.deep.equal(["conflict", "receipt-mismatch", "receipt-mismatch"]);
        const conflict = report.findings.find((f) => f.kind === "conflict")!;
        expect(conflict.detail).to.match(/^2 versions accepted: us-east-1 \(requestHash [0-9a-f]{12}…, [^)]+\) ≠ us-west-2 \(requestHash [0-9a-f]{12}…/);
        expect(conflict.detail).to.match(/they differ in createdAt, region, requestHash$/);
    });

    it("reports a receipt missing in either bucket", () => {
        expect(kindsOf(ids.receiptNotInSecondary)).to.deep.equal(["missing-receipt"]);
        expect(kindsOf(ids.receiptNotInPrimary)).to.deep.equal(["missing-receipt"]);
        const finding = report.findings.find((f) => f.transactionId === ids.receiptNotInPrimary)!;
        expect(finding.region).to.equal("us-east-1");
        expect(finding.detail).to.match(
            new RegExp(`^s3://${regions.buckets.primary}/receipts/\\S+/${ids.receiptNotInPrimary}\\.json \\(the us-west-2 version's receipt\\) is missing$`),
        );
        expect(finding.action).to.contain(`s3://${regions.buckets.secondary}`);
    });

    it("asks for action (exit 1) and prints a table with one line per finding", () => {
        expect(report.exitCode).to.equal(1);
        const text = renderReconcileReport(report);
        expect(text).to.contain("transactions: 5 in primary, 5 in secondary");
        expect(text).to.match(/KIND\s+TRANSACTION\s+CREATED\s+DETAIL/);
        expect(text.split("\n").filter((line) => /^\s+(missing|conflict|receipt)\S*\s+txn_/.test(line))).to.have.length(report.findings.length);
        expect(text).to.contain(`${report.findings.length} findings need action:`);
    });

    it("reports a window with no transactions as clean (exit 0)", async () => {
        const clients = regions.clients();
        const empty = await reconcileStack(regions.outputs(), clients, new Date("2020-01-01T00:00:00Z"), new Date("2020-01-02T00:00:00Z"));
        clients.destroy();
        expect(empty).to.deep.include({ clean: true, exitCode: 0, findings: [], counts: { primary: 0, secondary: 0 } });
        expect(renderReconcileReport(empty)).to.contain("clean: every transaction is in both regions");
    });

    it("runs as a CLI: --json report and exit code 1; usage errors exit 2", async () => {
        const file = JSON.stringify({ ...regions.outputs(), operatorRoleArn: "arn:aws:iam::123456789012:role/dr-operator" });
        let stdout = "";
        let stderr = "";
        const deps = {
            clients: () => regions.clients(),
            readFile: async () => file,
            stdout: (t: string) => (stdout += t),
            stderr: (t: string) => (stderr += t),
        };
        const code = await main(["--outputs", "outputs.json", "--since", since.toISOString(), "--json"], deps);
        expect(code).to.equal(1);
        const json = JSON.parse(stdout) as ReconcileReport;
        expect(json.findings.map((f) => f.kind)).to.have.members(report.findings.map((f) => f.kind));
        expect(await main(["--outputs", "outputs.json"], deps)).to.equal(2);
        expect(stderr).to.contain("--since <ISO time> is required");
        expect(await main(["--outputs", "outputs.json", "--since", "yesterday"], deps)).to.equal(2);
        expect(stderr).to.contain("--since must be an ISO-8601 time");
    });

    it("only compares the window: transactions created before --since are left out", async () => {
        const clients = regions.clients();
        const stores = (region: "us-east-1" | "us-west-2", bucketName: string) => ({
            region,
            dynamodb: clients.dynamodb(region),
            s3: clients.s3(region),
            tableName: regions.tableName,
            bucketName,
        });
        const later = await reconcile({
            stores: { primary: stores("us-east-1", regions.buckets.primary), secondary: stores("us-west-2", regions.buckets.secondary) },
            indexName: regions.outputs().dayIndexName,
            since: new Date(Date.now() + 60_000),
            until: new Date(Date.now() + 120_000),
        });
        clients.destroy();
        expect(later.counts).to.deep.equal({ primary: 0, secondary: 0 });
    });
});

describe("day index keys", () => {
    it("spreads ids over all 32 shards and names every UTC day of a window", () => {
        const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        const shards = new Set([...alphabet].map((c) => dayShardOf(`txn_aa${c}aaaaaaaaaaaaaaaaaaaaaaa`)));
        expect(shards.size).to.equal(DAY_SHARDS);
        expect(createdDayShardFor("txn_aa7aaaaaaaaaaaaaaaaaaaaaaa", "2026-11-28T23:59:59.999Z")).to.equal("2026-11-28#31");
        expect(daysBetween(new Date("2026-11-28T23:00:00Z"), new Date("2026-12-01T00:30:00Z"))).to.deep.equal([
            "2026-11-28",
            "2026-11-29",
            "2026-11-30",
            "2026-12-01",
        ]);
    });
});
