import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client, ClientConfig } from "pg";

/**
 * A throwaway PostgreSQL server for the ledger tests: `initdb` into a temporary directory, `postgres` on a
 * random 127.0.0.1 port, stopped and deleted afterwards. The server binaries come from the PATH or Debian's
 * `postgresql` package (/usr/lib/postgresql/<major>/bin); `.ci/run` installs the package when neither has
 * them. PostgreSQL refuses to run as root, so under root the server runs as the `postgres` user (Debian's
 * package creates it) or else `nobody`.
 */

export interface PostgresServer {
    readonly port: number;
    readonly superuser: string;
    /** Client config for `database` as `user` (trust authentication on loopback). */
    config(database: string, user?: string): ClientConfig;
    /** A fresh, empty database. */
    createDatabase(): Promise<string>;
    stop(): Promise<void>;
}

/** Where `initdb` and `postgres` are: the PATH first, then Debian's versioned directories (newest first). */
export function findPostgresBin(): string {
    const candidates: string[] = [];
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        candidates.push(dir);
    }
    const debian = "/usr/lib/postgresql";
    if (fs.existsSync(debian)) {
        for (const major of fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a))) {
            candidates.push(path.join(debian, major, "bin"));
        }
    }
    const found = candidates.find((dir) => dir && fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "postgres")));
    if (!found) {
        throw new Error("PostgreSQL server binaries (initdb, postgres) not found on PATH or in /usr/lib/postgresql/*/bin: apt-get install -y postgresql");
    }
    return found;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** uid/gid to run the server as: ourselves, or an unprivileged user when we are root. */
function serverIdentity(): { uid?: number; gid?: number } {
    if (typeof process.getuid !== "function" || process.getuid() !== 0) {
        return {};
    }
    for (const user of ["postgres", "nobody"]) {
        try {
            const uid = Number(execFileSync("id", ["-u", user]).toString().trim());
            const gid = Number(execFileSync("id", ["-g", user]).toString().trim());
            return { uid, gid };
        } catch {
            // try the next one
        }
    }
    throw new Error("running as root and neither a postgres nor a nobody user exists to run PostgreSQL as");
}

async function waitUntilReady(config: ClientConfig, server: ChildProcess, log: () => string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
        if (server.exitCode !== null) {
            throw new Error(`postgres exited with code ${server.exitCode}:\n${log()}`);
        }
        const client = new Client(config);
        try {
            await client.connect();
            await client.end();
            return;
        } catch (error) {
            await client.end().catch(() => undefined);
            if (Date.now() > deadline) {
                throw new Error(`postgres did not accept connections within 30 s (${(error as Error).message}):\n${log()}`, { cause: error });
            }
            await new Promise((r) => setTimeout(r, 100));
        }
    }
}

export async function startPostgres(): Promise<PostgresServer> {
    const bin = findPostgresBin();
    const identity = serverIdentity();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-pg-"));
    const dataDir = path.join(root, "data");
    const socketDir = path.join(root, "socket");
    fs.mkdirSync(socketDir);
    if (identity.uid !== undefined) {
        fs.chownSync(root, identity.uid, identity.gid!);
        fs.chownSync(socketDir, identity.uid, identity.gid!);
    }
    const superuser = "ledger_test";
    execFileSync(path.join(bin, "initdb"), ["-D", dataDir, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--no-sync"], {
        ...identity,
        stdio: "pipe",
    });
    const port = await freePort();
    let output = "";
    const server = spawn(
        path.join(bin, "postgres"),
        ["-D", dataDir, "-p", String(port), "-k", socketDir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=50"],
        { ...identity, stdio: ["ignore", "pipe", "pipe"] },
    );
    server.stdout!.on("data", (d) => (output += d));
    server.stderr!.on("data", (d) => (output += d));

    const config = (database: string, user = superuser): ClientConfig => ({ host: "127.0.0.1", port, database, user });
    await waitUntilReady(config("postgres"), server, () => output);
    let databases = 0;
    return {
        port,
        superuser,
        config,
        async createDatabase() {
            const name = `ledger_${process.pid}_${++databases}`;
            const admin = new Client(config("postgres"));
            await admin.connect();
            try {
                await admin.query(`CREATE DATABASE ${name}`);
            } finally {
                await admin.end();
            }
            return name;
        },
        async stop() {
            if (server.exitCode === null) {
                const exited = new Promise((resolve) => server.once("exit", resolve));
                server.kill("SIGINT"); // fast shutdown: disconnect clients, no checkpoint wait
                await exited;
            }
            fs.rmSync(root, { recursive: true, force: true });
        },
    };
}
