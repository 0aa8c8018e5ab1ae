import { expect } from "chai";
import { reconciliationGate } from "../../scripts/dr/failback-gates";
import type { ReconcileReport } from "../../scripts/dr/reconciliation";
import { reconcileStack } from "../../scripts/reconcile";
import { validBody } from "../handler/support/events";
import { TwoRegions } from "./support/two-regions";

// Eventual mode, two local regions (dynalite + s3rver each), the real handler; replication by hand, last writer wins.

describe("reconcile in eventual mode: versions indexed, one receipt per version (local servers)", () => {
    const regions = new TwoRegions("eventual");
    let since: Date;
    let report: ReconcileReport;
    const ids: Record<string, string> = {};
    const receiptKeys: Record<string, { primary: string; secondary: string }> = {};

    const run = async () => {
        const clients = regions.clients();
        try {
            return await reconcileStack(regions.outputs(), clients, since, new Date(Date.now() + 1_000));
        } finally {
            clients.destroy();
        }
    };

    before(async () => {
        await regions.start();
        since = new Date(Date.now() - 1_000);
        // Accepted in the primary, replicated completely (item, version, receipt).
        ids.clean = (await regions.post("primary", "key-clean")).body.id as string;
        await regions.replicateAll("primary", ids.clean);
        await regions.replicateReceipts("primary", ids.clean);

        // The same key accepted in both regions with different bodies, then everything converged: the secondary's item
        // won last-writer-wins everywhere, both versions and both receipts reached both regions.
        ids.converged = (await regions.post("primary", "key-converged", validBody({ amount: 100 }))).body.id as string;
        await regions.post("secondary", "key-converged", validBody({ amount: 200 }));
        receiptKeys.converged = {
            primary: await regions.receiptKeyOf("primary", ids.converged),
            secondary: await regions.receiptKeyOf("secondary", ids.converged),
        };
        await regions.replicateAll("secondary", ids.converged);
        await regions.replicateAll("primary", ids.converged, { item: false });
        await regions.replicateReceipts("primary", ids.converged);
        await regions.replicateReceipts("secondary", ids.converged);

        // Replicated completely, then the secondary's copy of the receipt replaced by another transaction's receipt.
        ids.mismatch = (await regions.post("primary", "key-mismatch")).body.id as string;
        await regions.replicateAll("primary", ids.mismatch);
        await regions.replicateReceipts("primary", ids.mismatch);
        const cleanReceipt = await regions.aws.primary.getObjectText(regions.buckets.primary, await regions.receiptKeyOf("primary", ids.clean));
        await regions.putReceipt("secondary", await regions.receiptKeyOf("primary", ids.mismatch), cleanReceipt.text);

        // The same key in both regions, nothing replicated yet.
        ids.early = (await regions.post("primary", "key-early", validBody({ amount: 300 }))).body.id as string;
        await regions.post("secondary", "key-early", validBody({ amount: 400 }));
        report = await run();
    });
    after(() => regions.stop());

    const kindsOf = (id: string) => report.findings.filter((f) => f.transactionId === id).map((f) => f.kind);

    it("reports nothing for a transaction replicated with its version and receipt", () => {
        expect(kindsOf(ids.clean)).to.deep.equal([]);
    });

    it("gives each accepted version its own receipt key, so S3 replication never puts one over the other", async () => {
        expect(receiptKeys.converged.primary).to.match(new RegExp(`/${ids.converged}\\.us-east-1\\.json$`));
        expect(receiptKeys.converged.secondary).to.match(new RegExp(`/${ids.converged}\\.us-west-2\\.json$`));
        for (const role of ["primary", "secondary"] as const) {
            const amounts = [];
            for (const key of [receiptKeys.converged.primary, receiptKeys.converged.secondary]) {
                const { text } = await regions.aws[role].getObjectText(regions.buckets[role], key);
                amounts.push((JSON.parse(text) as { transaction: { amount: number } }).transaction.amount);
            }
            expect(amounts, role).to.deep.equal([100, 200]);
        }
    });

    it("still reports a conflict after replication converged (both versions are in the index)", () => {
        expect(kindsOf(ids.converged)).to.deep.equal(["conflict"]);
        const conflict = report.findings.find((f) => f.transactionId === ids.converged)!;
        expect(conflict.detail).to.match(/^2 versions accepted: us-east-1 \(requestHash [0-9a-f]{12}…, .*\) ≠ us-west-2 \(requestHash [0-9a-f]{12}…/);
        expect(conflict.detail).to.contain(receiptKeys.converged.primary);
        expect(conflict.detail).to.contain(receiptKeys.converged.secondary);
    });

    it("compares receipt contents with the table: another transaction's receipt is a receipt-mismatch, naming the region", () => {
        expect(kindsOf(ids.mismatch)).to.deep.equal(["receipt-mismatch"]);
        const finding = report.findings.find((f) => f.transactionId === ids.mismatch)!;
        expect(finding.region).to.equal("us-west-2");
        expect(finding.detail).to.match(
            new RegExp(`^s3://${regions.buckets.secondary}/\\S+ \\(the us-east-1 version's receipt\\) holds another transaction: id "${ids.clean}"`),
        );
        expect(finding.action).to.contain("rewrites it from the table");
    });

    it("before replication: each side misses the other's version and receipt, and the conflict is reported", () => {
        expect(kindsOf(ids.early)).to.deep.equal(["missing-in-primary", "missing-in-secondary", "conflict", "missing-receipt", "missing-receipt"]);
        const missing = report.findings.filter((f) => f.transactionId === ids.early && f.kind === "missing-receipt");
        expect(missing.map((f) => f.region).sort()).to.deep.equal(["us-east-1", "us-west-2"]);
    });

    it("fails failback's reconciliation gate on the converged conflict", async () => {
        const gate = await reconciliationGate(run);
        expect(gate.passed).to.equal(false);
        expect(gate.detail).to.match(/findings \(.*conflict.*\)/);
    });

    it("a replay of another region's version repairs that version's receipt in this region's bucket", async () => {
        // The secondary's bucket loses the primary version's receipt; the primary version's client retries there.
        await regions.aws.secondary.deleteObject(regions.buckets.secondary, receiptKeys.converged.primary);
        const replay = await regions.request("secondary", "key-converged", validBody({ amount: 100 }));
        expect(replay.status).to.equal(200);
        expect(replay.body).to.include({ id: ids.converged, amount: 100, region: "us-east-1" });
        const { text } = await regions.aws.secondary.getObjectText(regions.buckets.secondary, receiptKeys.converged.primary);
        expect(JSON.parse(text)).to.deep.equal({ schema: "payments-dr/receipt/v1", transaction: replay.body });
        expect(kindsOf(ids.converged)).to.deep.equal(["conflict"]);
        const after = await run();
        expect(after.findings.filter((f) => f.transactionId === ids.converged).map((f) => f.kind)).to.deep.equal(["conflict"]);
    });
});
