import { randomUUID } from "crypto";
import { runJourney } from "./journey";

/**
 * CloudWatch Synthetics canary: one run of the journey (create, replay, read) against `CANARY_BASE_URL`. A thrown
 * error fails the run (SuccessPercent drops); the log lines land in the canary's logs. The credentials are the
 * canary role's session, whose role name (`payments-tenant-…`) makes it a tenant of its own.
 */
export async function handler(): Promise<string> {
    const baseUrl = process.env.CANARY_BASE_URL;
    if (!baseUrl) {
        throw new Error("CANARY_BASE_URL is not set");
    }
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
    if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
        throw new Error("no AWS credentials in the environment: the canary signs with its role's session");
    }
    const result = await runJourney(
        {
            baseUrl: baseUrl.replace(/\/+$/, ""),
            signingRegion: process.env.CANARY_SIGNING_REGION || undefined,
            regionsByRole: process.env.CANARY_REGIONS ? (JSON.parse(process.env.CANARY_REGIONS) as Record<string, string>) : undefined,
        },
        {
            credentials: { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY, sessionToken: AWS_SESSION_TOKEN },
            fetch,
            now: () => new Date(),
            newIdempotencyKey: () => `canary-${randomUUID()}`,
            log: (message) => console.log(message),
        },
    );
    return `${result.transactionId} created, replayed and read in ${result.region}`;
}
