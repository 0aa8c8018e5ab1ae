import type { Client } from "pg";
import { connectWithIam, LedgerEndpoint } from "./connection";
import { createProjector } from "./handler";

/**
 * ledger-projector: consumes this region's stream of the transactions table and upserts each transaction
 * into the Aurora ledger through the global writer endpoint (see handler.ts). Configuration:
 *   LEDGER_DB_HOST, LEDGER_DB_PORT, LEDGER_DB_NAME, LEDGER_DB_USER   the global writer endpoint and IAM user
 *   LEDGER_WRITER_REGION, LEDGER_PEER_REGION                          token signing regions, recorded writer first
 *   APP_REGION                                                        this function's region
 */

function required(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`ledger-projector is misconfigured: ${name} is not set`);
    }
    return value;
}

let client: Client | undefined;

function endpoint(): LedgerEndpoint {
    return {
        host: required("LEDGER_DB_HOST"),
        port: Number(required("LEDGER_DB_PORT")),
        database: required("LEDGER_DB_NAME"),
        user: required("LEDGER_DB_USER"),
        signingRegions: [required("LEDGER_WRITER_REGION"), required("LEDGER_PEER_REGION")],
    };
}

// One connection per execution environment, reused across batches; dropped after any error so the next batch
// reconnects (after a failover the global endpoint resolves to the new writer).
export const handler = createProjector({
    region: process.env.APP_REGION ?? "unknown",
    connect: async () => (client ??= await connectWithIam(endpoint())),
    release: async (broken) => {
        if (broken && client) {
            const old = client;
            client = undefined;
            await old.end().catch(() => undefined);
        }
    },
});
