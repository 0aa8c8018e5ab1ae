import { expect } from "chai";
import { Client } from "pg";
import { connectWithIam, LedgerEndpoint } from "../../functions/ledger-projector/connection";
import { createProjector, REJECTED_RECORD_EVENT } from "../../functions/ledger-projector/handler";
import { migrate, MIGRATIONS, PROJECTOR_ROLE } from "../../functions/ledger-projector/schema";
import { LogCapture } from "../handler/support/log-capture";
import { PostgresServer, startPostgres } from "./support/postgres";
import { streamEvent, streamRecord, transactionItem } from "./support/stream-records";

/**
 * The ledger projector against a real PostgreSQL server (started here, on a random loopback port), logged in
 * as the projector's own role, so the grants of the migrations are tested too.
 */
describe("ledger projector (real PostgreSQL)", function () {
    this.timeout(60_000);
    let server: PostgresServer;
    let database: string;
    let admin: Client;
    const logs = new LogCapture();

    /** A projector for `region` whose connections log in as the projector role; counts connections and releases. */
    function projector(region: string, db = database) {
        const stats = { connects: 0, broken: 0 };
        let client: Client | undefined;
        const handler = createProjector({
            region,
            connect: async () => {
                stats.connects++;
                client = new Client(server.config(db, PROJECTOR_ROLE));
                await client.connect();
                return client;
            },
            release: async (broken) => {
                if (broken) {
                    stats.broken++;
                }
                await client?.end();
                client = undefined;
            },
        });
        return { handler, stats };
    }

    const entries = async () =>
        (
            await admin.query(
                "SELECT transaction_id, amount_minor, receipt_status, version, projected_by, origin_region, metadata, reference FROM ledger_entries ORDER BY transaction_id",
            )
        ).rows;
    const rejects = async () => (await admin.query("SELECT event_id, reason, region FROM ledger_rejects ORDER BY event_id")).rows;

    before(async () => {
        server = await startPostgres();
        database = await server.createDatabase();
        admin = new Client(server.config(database));
        await admin.connect();
        await migrate(admin);
    });

    after(async () => {
        await admin?.end();
        await server?.stop();
    });

    beforeEach(async () => {
        await admin.query("TRUNCATE ledger_entries, ledger_rejects");
        logs.clear();
        logs.start();
    });

    afterEach(() => logs.stop());

    it("upserts a new transaction once, with every field, and a replayed stream record writes nothing", async () => {
        const { handler } = projector("us-east-1");
        const record = streamRecord(transactionItem(1));
        const first = await handler(streamEvent(record));
        expect(first.batchItemFailures).to.deep.equal([]);
        expect(first.outcomes.inserted).to.equal(1);
        const [row] = await entries();
        expect(row).to.deep.include({
            amount_minor: "1251",
            receipt_status: "PENDING",
            version: 1,
            projected_by: "us-east-1",
            origin_region: "us-east-1",
            reference: "order 1001",
        });
        expect(row.metadata).to.deep.equal({ channel: "web" });
        const before = (await admin.query("SELECT xmin::text AS xmin, updated_at FROM ledger_entries")).rows[0];

        // Lambda retries a whole batch after a timeout: the same record again.
        const replay = await handler(streamEvent(record));
        expect(replay.outcomes).to.include({ inserted: 0, updated: 0, unchanged: 1 });
        const after = (await admin.query("SELECT xmin::text AS xmin, updated_at FROM ledger_entries")).rows[0];
        expect(after, "the row was not rewritten").to.deep.equal(before);
        expect(await entries()).to.have.length(1);
    });

    it("writes a change replicated into both regions' streams once: the second region's projector is a no-op", async () => {
        const east = projector("us-east-1");
        const west = projector("us-west-2");
        const item = transactionItem(2);
        await east.handler(streamEvent(streamRecord(item, { region: "us-east-1" })));
        const replicated = await west.handler(streamEvent(streamRecord(item, { region: "us-west-2" })));
        expect(replicated.outcomes).to.include({ inserted: 0, unchanged: 1 });
        const rows = await entries();
        expect(rows).to.have.length(1);
        expect(rows[0].projected_by).to.equal("us-east-1");
    });

    it("keeps the highest version whatever the arrival order (a late PENDING never undoes STORED)", async () => {
        const { handler } = projector("us-west-2");
        const pending = transactionItem(3);
        const stored = transactionItem(3, { receiptStatus: "STORED", receiptStoredAt: "2026-11-23T18:17:44.000Z" });
        // The other region's stream delivered the update first.
        const result = await handler(streamEvent(streamRecord(stored, { eventName: "MODIFY" }), streamRecord(pending)));
        expect(result.outcomes).to.include({ inserted: 1, unchanged: 1 });
        expect((await entries())[0]).to.include({ receipt_status: "STORED", version: 2 });

        // In order: PENDING then STORED updates the row.
        const next = transactionItem(4);
        await handler(streamEvent(streamRecord(next)));
        const update = await handler(streamEvent(streamRecord({ ...next, receiptStatus: "STORED" }, { eventName: "MODIFY" })));
        expect(update.outcomes.updated).to.equal(1);
        expect((await entries())[1]).to.include({ receipt_status: "STORED", version: 2 });
    });

    it("keeps a malformed record in ledger_rejects, logs it for the alarm, and goes on with the batch; its replay is kept once", async () => {
        const { handler } = projector("us-east-1");
        const bad = streamRecord(transactionItem(5, { amount: "98765.4321" }), { eventId: "event-malformed" });
        const good = streamRecord(transactionItem(6));
        const result = await handler(streamEvent(bad, good));
        expect(result.batchItemFailures).to.deep.equal([]);
        expect(result.outcomes).to.include({ rejected: 1, inserted: 1 });
        expect((await entries()).map((r) => r.transaction_id)).to.deep.equal([transactionItem(6).id]);
        expect(await rejects()).to.deep.equal([{ event_id: "event-malformed", reason: "amount is not a positive integer", region: "us-east-1" }]);
        const logged = logs.lines.filter((l) => l.message === REJECTED_RECORD_EVENT);
        expect(logged).to.have.length(1);
        expect(JSON.stringify(logged[0]), "amounts stay out of the logs").to.not.include("98765.4321");

        await handler(streamEvent(bad));
        expect(await rejects()).to.have.length(1);
    });

    it("rejects every kind of malformed transaction record", async () => {
        const { handler } = projector("us-east-1");
        const cases: Array<[string, ReturnType<typeof streamRecord>]> = [
            ["missing requestHash", streamRecord(transactionItem(7, { requestHash: undefined }))],
            ["bad currency", streamRecord(transactionItem(8, { currency: "euro" }))],
            ["bad status", streamRecord(transactionItem(9, { receiptStatus: "LOST" }))],
            ["bad createdAt", streamRecord(transactionItem(10, { createdAt: "yesterday" }))],
            ["id not matching the key", streamRecord({ ...transactionItem(11), id: transactionItem(12).id })],
            ["metadata not strings", streamRecord(transactionItem(13, { metadata: { n: 1 } }))],
            ["no new image", streamRecord(transactionItem(14), { image: undefined as never, eventName: "MODIFY" })],
        ];
        cases[6][1].dynamodb!.NewImage = undefined;
        const result = await handler(streamEvent(...cases.map(([, r]) => r)));
        expect(result.outcomes.rejected).to.equal(cases.length);
        expect(await entries()).to.deep.equal([]);
        expect((await rejects()).map((r) => r.reason).sort()).to.deep.equal(
            [
                "missing requestHash",
                "currency is not a three-letter code",
                "receiptStatus is neither PENDING nor STORED",
                "createdAt is not an ISO-8601 UTC timestamp",
                "id is missing, malformed or does not match the key",
                "metadata is not a map of strings",
                "no NewImage (the stream must be NEW_IMAGE or NEW_AND_OLD_IMAGES)",
            ].sort(),
        );
    });

    it("refuses different content for a stored transaction id as a conflict, keeping the first", async () => {
        const { handler } = projector("us-west-2");
        await handler(streamEvent(streamRecord(transactionItem(15))));
        const other = await handler(
            streamEvent(
                streamRecord(transactionItem(15, { requestHash: "another-body", amount: 99, receiptStatus: "STORED" }), {
                    eventName: "MODIFY",
                    eventId: "event-conflict",
                }),
            ),
        );
        expect(other.outcomes.conflict).to.equal(1);
        expect((await entries())[0]).to.include({ amount_minor: "1265", receipt_status: "PENDING" });
        expect((await rejects())[0]).to.include({ event_id: "event-conflict" });
    });

    it("skips other items and removals without touching the database", async () => {
        const { handler, stats } = projector("us-east-1");
        const sentinel = streamRecord({ pk: "HEALTH#us-east-1", sk: "HEALTH", checkedAt: "now" });
        const removal = streamRecord(transactionItem(16), { eventName: "REMOVE" });
        const result = await handler(streamEvent(sentinel, removal));
        expect(result.outcomes.skipped).to.equal(2);
        expect(stats.connects).to.equal(0);
    });

    it("stops at a failing write and reports that record, so Lambda retries from there", async () => {
        const unmigrated = await server.createDatabase();
        await admin.query(`GRANT CONNECT ON DATABASE ${unmigrated} TO ${PROJECTOR_ROLE}`);
        const { handler, stats } = projector("us-east-1", unmigrated);
        const skipped = streamRecord({ pk: "HEALTH#x", sk: "HEALTH" });
        const failing = streamRecord(transactionItem(17));
        const result = await handler(streamEvent(skipped, failing, streamRecord(transactionItem(18))));
        expect(result.batchItemFailures).to.deep.equal([{ itemIdentifier: failing.dynamodb!.SequenceNumber }]);
        expect(stats.broken, "the broken connection is dropped").to.equal(1);
        expect(logs.lines.some((l) => l.message === "ledger write failed; Lambda retries from this record")).to.equal(true);
    });

    it("gives the projector role no more than it needs: no deletes, no rewriting amounts", async () => {
        const { handler } = projector("us-east-1");
        await handler(streamEvent(streamRecord(transactionItem(19))));
        const client = new Client(server.config(database, PROJECTOR_ROLE));
        await client.connect();
        try {
            for (const sql of [
                "DELETE FROM ledger_entries",
                "UPDATE ledger_entries SET amount_minor = 1",
                "TRUNCATE ledger_rejects",
                "DROP TABLE ledger_entries",
            ]) {
                const error = await client.query(sql).then(
                    () => undefined,
                    (e: { code?: string }) => e,
                );
                expect(error?.code, sql).to.be.oneOf(["42501", "42P01"]);
            }
        } finally {
            await client.end();
        }
        expect(await entries()).to.have.length(1);
    });

    describe("migrations", () => {
        it("apply once: a second run and concurrent runs apply nothing more", async () => {
            const fresh = await server.createDatabase();
            const clients = [0, 1, 2].map(() => new Client(server.config(fresh)));
            await Promise.all(clients.map((c) => c.connect()));
            try {
                const results = await Promise.all(clients.map((c) => migrate(c)));
                const applied = results.flatMap((r) => r.applied);
                expect(applied.sort()).to.deep.equal(MIGRATIONS.map((m) => m.version));
                const again = await migrate(clients[0]);
                expect(again).to.deep.equal({ applied: [], current: MIGRATIONS.length });
                expect((await clients[0].query("SELECT count(*)::int AS n FROM schema_migrations")).rows[0].n).to.equal(MIGRATIONS.length);
            } finally {
                await Promise.all(clients.map((c) => c.end()));
            }
        });

        it("roll back completely when a migration fails", async () => {
            const fresh = await server.createDatabase();
            const client = new Client(server.config(fresh));
            await client.connect();
            try {
                const broken = [...MIGRATIONS, { version: 99, description: "broken", sql: "CREATE TABLE nope (" }];
                const error = await migrate(client, broken).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(error).to.be.instanceOf(Error);
                const tables = await client.query("SELECT to_regclass('ledger_entries') AS t, to_regclass('schema_migrations') AS m");
                expect(tables.rows[0]).to.deep.equal({ t: null, m: null });
            } finally {
                await client.end();
            }
        });
    });

    describe("IAM connection", () => {
        const endpoint: LedgerEndpoint = { host: "127.0.0.1", port: 0, database: "ledger", user: PROJECTOR_ROLE, signingRegions: ["us-east-1", "us-west-2"] };

        it("requires verified TLS and signs for the recorded writer region first; a non-authentication error is not retried elsewhere", async () => {
            const signed: string[] = [];
            // The test server has no TLS: the client refuses to go on without it.
            const error = await connectWithIam({ ...endpoint, port: server.port }, async (_e, region) => {
                signed.push(region);
                return "token";
            }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error?.message).to.match(/does not support SSL/);
            expect(signed).to.deep.equal(["us-east-1"]);
        });
    });
});
