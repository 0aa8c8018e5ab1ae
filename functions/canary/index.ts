import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "crypto";
import { JourneyAuth, runJourney } from "./journey";
import { fetchAccessToken, parseClientCredentials } from "./token";

/**
 * CloudWatch Synthetics canary: one run of the journey (create, replay, read) against `CANARY_BASE_URL`. A thrown
 * error fails the run (SuccessPercent drops); the log lines land in the canary's logs. apiAuth iam: the credentials
 * are the canary role's session, whose role name (`payments-tenant-…`) makes it a tenant of its own. apiAuth jwt
 * (`CANARY_AUTH=jwt`): a bearer token from the identity provider, with the client credentials kept in the Secrets
 * Manager secret `CANARY_TOKEN_SECRET` of the canary's own region (so it works while the other region is down).
 */
async function authentication(env: NodeJS.ProcessEnv): Promise<JourneyAuth> {
    if (env.CANARY_AUTH === "jwt") {
        const secretId = env.CANARY_TOKEN_SECRET;
        if (!secretId) {
            throw new Error("CANARY_TOKEN_SECRET is not set (apiAuth jwt)");
        }
        const secrets = new SecretsManagerClient({});
        const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
        return { bearerToken: await fetchAccessToken(parseClientCredentials(secret.SecretString), fetch) };
    }
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = env;
    if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
        throw new Error("no AWS credentials in the environment: the canary signs with its role's session");
    }
    return { credentials: { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY, sessionToken: AWS_SESSION_TOKEN } };
}

export async function handler(): Promise<string> {
    const baseUrl = process.env.CANARY_BASE_URL;
    if (!baseUrl) {
        throw new Error("CANARY_BASE_URL is not set");
    }
    const result = await runJourney(
        {
            baseUrl: baseUrl.replace(/\/+$/, ""),
            signingRegion: process.env.CANARY_SIGNING_REGION || undefined,
            regionsByRole: process.env.CANARY_REGIONS ? (JSON.parse(process.env.CANARY_REGIONS) as Record<string, string>) : undefined,
        },
        {
            ...(await authentication(process.env)),
            fetch,
            newIdempotencyKey: () => `canary-${randomUUID()}`,
            log: (message) => console.log(message),
        },
    );
    return `${result.transactionId} created, replayed and read in ${result.region}`;
}
