import { Signer } from "@aws-sdk/rds-signer";
import { Client, ClientConfig } from "pg";

/**
 * Connections to the ledger's writer with IAM database authentication. The token is a SigV4 presigned
 * string computed locally from the function's credentials (no AWS call, so no VPC endpoint is needed); the
 * database checks it together with the role's `rds-db:connect` permission. TLS is required by the cluster
 * (rds.force_ssl=1) and verified here: Lambda's Node.js runtimes load Amazon RDS's CA bundle only through
 * NODE_EXTRA_CA_CERTS, which the stack sets to /var/runtime/ca-cert.pem.
 */

export interface LedgerEndpoint {
    /** The global writer endpoint: DNS follows the writer across switchovers and failovers. */
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    /**
     * Regions to sign the token for, the recorded writer region first. After a failover not yet recorded in
     * config, the other region's signature is the one that works.
     */
    readonly signingRegions: readonly string[];
}

export type TokenSource = (endpoint: LedgerEndpoint, region: string) => Promise<string>;

export const iamToken: TokenSource = (endpoint, region) =>
    new Signer({ hostname: endpoint.host, port: endpoint.port, username: endpoint.user, region }).getAuthToken();

/** PostgreSQL's "invalid password" and "invalid authorization" SQLSTATEs: try the next signing region. */
const AUTH_FAILURES = new Set(["28P01", "28000"]);

export function clientConfig(endpoint: LedgerEndpoint, password: string): ClientConfig {
    return {
        host: endpoint.host,
        port: endpoint.port,
        database: endpoint.database,
        user: endpoint.user,
        password,
        ssl: { rejectUnauthorized: true, servername: endpoint.host },
        connectionTimeoutMillis: 5000,
        // A statement stuck behind a failover must not hold the batch until the Lambda timeout.
        statement_timeout: 10_000,
        application_name: "ledger-projector",
    };
}

export async function connectWithIam(endpoint: LedgerEndpoint, tokens: TokenSource = iamToken): Promise<Client> {
    let lastError: unknown;
    for (const region of endpoint.signingRegions) {
        const client = new Client(clientConfig(endpoint, await tokens(endpoint, region)));
        try {
            await client.connect();
            return client;
        } catch (error) {
            lastError = error;
            await client.end().catch(() => undefined);
            if (!AUTH_FAILURES.has((error as { code?: string }).code ?? "")) {
                throw error;
            }
        }
    }
    throw lastError;
}
