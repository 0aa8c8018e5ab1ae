import { expect } from "chai";
import { marshall } from "@aws-sdk/util-dynamodb";
import { Client } from "pg";
import { entryOf, type TableImage } from "../../functions/ledger-projector/ledger-check";
import { migrate } from "../../functions/ledger-projector/schema";
import { upsertEntry } from "../../functions/ledger-projector/store";
import { COMMAND_ACTIONS, OPERATOR_SCRIPT_ACTIONS } from "../../components/takeover/dr-script-actions";
import type { RegionalClients } from "../../scripts/dr/clients";
import { ACTIONS, main } from "../../scripts/ledger-check";
import { TwoRegions } from "../dr/support/two-regions";
import { validBody } from "../handler/support/events";
import { PostgresServer, startPostgres } from "./support/postgres";

/**
 * An unplanned Aurora failover, replayed: the projector wrote every transaction into the ledger, then the new writer
 * came up without what the old one acknowledged last. The check finds the difference against the table (dynalite,
 * written by the real handler) and the re-projection repairs it, on a real PostgreSQL server.
 */
describe("ledger:check and re-projection after an unplanned Aurora failover (real PostgreSQL)", function () {
    this.timeout(60_000);
    const regions = new TwoRegions();
    let server: PostgresServer;
    let database: string;
    let admin: Client;
    let since: Date;
    const ids: string[] = [];

    const run = async (...extra: string[]) => {
        let stdout = "";
        let stderr = "";
        const code = await main(["--outputs", "o.json", "--region", "us-east-1", "--since", since.toISOString(), ...extra], {
            clients: () => recording(regions.clients()),
            readFile: async () => JSON.stringify(regions.outputs()),
            stdout: (t) => (stdout += t),
            stderr: (t) => (stderr += t),
            ledgerClient: () => new Client(server.config(database)),
        });
        return { code, stdout, stderr };
    };
    /** The SDK commands the script sends, by name. */
    const sent = new Set<string>();
    const recording = (clients: RegionalClients): RegionalClients => {
        const dynamodb = clients.dynamodb;
        return {
            ...clients,
            dynamodb: (region) => {
                const client = dynamodb(region);
                client.middlewareStack.add(
                    (next, context) => async (args) => {
                        sent.add(String(context.commandName));
                        return next(args);
                    },
                    { step: "initialize", name: "recordCommands", override: true },
                );
                return client;
            },
        };
    };
    const ledger = async () =>
        (
            await admin.query<{ transaction_id: string; version: number; projected_by: string }>(
                "SELECT transaction_id, version, projected_by FROM ledger_entries ORDER BY transaction_id",
            )
        ).rows;

    before(async () => {
        server = await startPostgres();
        database = await server.createDatabase();
        admin = new Client(server.config(database));
        await admin.connect();
        await migrate(admin);
        await regions.start();
        since = new Date(Date.now() - 1_000);
        for (const n of [1, 2, 3]) {
            ids.push((await regions.post("primary", `ledger-key-${n}`, validBody({ amount: 100 * n }))).body.id as string);
        }
        // The projector saw every item (STORED, version 2) on the old writer.
        for (const id of ids) {
            const item = await regions.aws.primary.getItem(regions.tableName, { pk: `TXN#${id}`, sk: "TXN" });
            expect(await upsertEntry(admin, entryOf(marshall(item!) as TableImage).entry!, "us-east-1")).to.equal("inserted");
        }
        ids.sort();
        // The failover: the new writer lacks the last insert of one and the last update of another.
        await admin.query("DELETE FROM ledger_entries WHERE transaction_id = $1", [ids[1]]);
        await admin.query("UPDATE ledger_entries SET version = 1, receipt_status = 'PENDING' WHERE transaction_id = $1", [ids[2]]);
    });
    after(async () => {
        await admin?.end();
        await server?.stop();
        await regions.stop();
    });

    it("finds what the ledger lacks or holds at an older version, and exits 1", async () => {
        const { code, stdout } = await run("--json");
        expect(code).to.equal(1);
        const { findings } = JSON.parse(stdout) as { findings: Array<{ kind: string; transactionId: string }> };
        expect(findings.map((f) => [f.kind, f.transactionId])).to.deep.equal(
            [
                ["missing-in-ledger", ids[1]],
                ["ledger-behind", ids[2]],
            ].sort((a, b) => a[1].localeCompare(b[1])),
        );
    });

    it("reports a ledger entry of the window that the table does not have", async () => {
        await admin.query(
            `INSERT INTO ledger_entries (transaction_id, amount_minor, currency, merchant_id, created_at, origin_region, receipt_status, version, request_hash, projected_by)
             VALUES ('txn_zzzzzzzzzzzzzzzzzzzzzzzzzz', 5, 'EUR', 'm', $1, 'us-east-1', 'STORED', 2, 'h', 'test')`,
            // Inside the window by construction: PostgreSQL's now() has microseconds, the script's "until" only
            // milliseconds, so now() could fall just after it.
            [new Date(since.getTime() + 500)],
        );
        try {
            const { stdout } = await run();
            expect(stdout).to.match(/not-in-table\s+txn_zzzzzzzzzzzzzzzzzzzzzzzzzz\s+in the ledger, not among the table's transactions/);
        } finally {
            await admin.query("DELETE FROM ledger_entries WHERE transaction_id = 'txn_zzzzzzzzzzzzzzzzzzzzzzzzzz'");
        }
    });

    it("--reproject writes the table's transactions again (one inserted, one updated, one unchanged), then the ledger is clean", async () => {
        const { code, stdout, stderr } = await run("--reproject");
        expect(code, stderr).to.equal(0);
        expect(stdout).to.contain("re-projected: 1 inserted, 1 updated, 1 unchanged, 0 conflict, 0 unprojectable");
        expect(stdout).to.contain("clean: every transaction of the window is in the ledger");
        const rows = await ledger();
        expect(rows.map((r) => [r.transaction_id, r.version])).to.deep.equal(ids.map((id) => [id, 2]));
        expect(rows.find((r) => r.transaction_id === ids[1])!.projected_by).to.equal("ledger-check:us-east-1");
    });

    it("re-projecting again changes nothing (idempotent, like the projector)", async () => {
        const { code, stdout } = await run("--reproject");
        expect(code).to.equal(0);
        expect(stdout).to.contain("re-projected: 0 inserted, 0 updated, 3 unchanged");
    });

    it("calls exactly the AWS actions it exports, which the DR operator role allows", () => {
        const actions = [...new Set([...sent].flatMap((command) => COMMAND_ACTIONS[command] ?? [`unmapped ${command}`]))].sort();
        expect(actions).to.deep.equal([...ACTIONS].sort());
        expect(OPERATOR_SCRIPT_ACTIONS).to.include.members([...ACTIONS]);
    });

    it("exits 2 naming the problem when the database cannot be reached", async () => {
        let stderr = "";
        const code = await main(["--outputs", "o.json", "--region", "us-east-1", "--since", since.toISOString()], {
            clients: () => regions.clients(),
            readFile: async () => JSON.stringify(regions.outputs()),
            stdout: () => undefined,
            stderr: (t) => (stderr += t),
            ledgerClient: () => new Client({ host: "127.0.0.1", port: 1, user: "x", database: "x", connectionTimeoutMillis: 2_000 }),
        });
        expect(code).to.equal(2);
        expect(stderr).to.match(/^ledger:check: .*ECONNREFUSED/);
    });
});
