import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Client } from "pg";
import { clientConfig } from "../ledger-projector/connection";
import { migrate, MigrationResult } from "../ledger-projector/schema";
import { errorFields, log } from "../transaction-processor/log";

/**
 * ledger-migrator: applies the ledger's migrations (idempotent, see ../ledger-projector/schema.ts). Pulumi
 * invokes it on every deployment whose migrations changed (`aws.lambda.Invocation`, keyed by their hash),
 * in the writer region only. It logs in as the master user with the password RDS manages in Secrets
 * Manager (read through the VPC's Secrets Manager interface endpoint).
 *   LEDGER_DB_HOST, LEDGER_DB_PORT, LEDGER_DB_NAME   the global writer endpoint
 *   LEDGER_MASTER_SECRET_ARN                         the RDS-managed master secret ({"username","password"})
 */

const secrets = new SecretsManagerClient({});

function required(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`ledger-migrator is misconfigured: ${name} is not set`);
    }
    return value;
}

export async function handler(): Promise<MigrationResult> {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: required("LEDGER_MASTER_SECRET_ARN") }));
    const { username, password } = JSON.parse(secret.SecretString ?? "{}") as { username?: string; password?: string };
    if (!username || !password) {
        throw new Error("the master secret has no username/password");
    }
    const host = required("LEDGER_DB_HOST");
    const client = new Client(
        clientConfig({ host, port: Number(required("LEDGER_DB_PORT")), database: required("LEDGER_DB_NAME"), user: username, signingRegions: [] }, password),
    );
    await client.connect();
    try {
        const result = await migrate(client);
        log("info", "ledger migrations applied", { applied: result.applied.join(",") || "none", current: result.current });
        return result;
    } catch (error) {
        log("error", "ledger migration failed", errorFields(error));
        throw error;
    } finally {
        await client.end().catch(() => undefined);
    }
}
