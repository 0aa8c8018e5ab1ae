import { JourneyFailure } from "./journey";

/**
 * jwt stacks: the canary's access token, from the identity provider's token endpoint with the OAuth 2.0 client
 * credentials grant (RFC 6749 §4.4; client authentication with HTTP Basic, §2.3.1). The client's token must carry
 * the stack's tenant claim (`tenantClaim`) with the canary's own merchant id: that is set up in the identity
 * provider, not here (README, Synthetic canaries).
 */

/** The Secrets Manager secret's JSON (`canaryTokenSecret`). */
export interface ClientCredentials {
    readonly tokenUrl: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly scope?: string;
    /** Some providers (Auth0, for one) take the API's audience as a token request parameter. */
    readonly audience?: string;
}

/** The secret's value, checked; the message never contains the secret itself. */
export function parseClientCredentials(secretString: string | undefined): ClientCredentials {
    let value: Record<string, unknown>;
    try {
        value = JSON.parse(secretString ?? "") as Record<string, unknown>;
    } catch {
        throw new JourneyFailure("token", "the token secret is not JSON: expected tokenUrl, clientId and clientSecret");
    }
    const text = (key: string): string | undefined => (typeof value?.[key] === "string" && value[key] !== "" ? (value[key] as string) : undefined);
    const missing = ["tokenUrl", "clientId", "clientSecret"].filter((key) => text(key) === undefined);
    if (missing.length > 0) {
        throw new JourneyFailure("token", `the token secret lacks ${missing.join(", ")}`);
    }
    if (!/^https:\/\//.test(text("tokenUrl")!)) {
        throw new JourneyFailure("token", "the token secret's tokenUrl must be an https URL");
    }
    return { tokenUrl: text("tokenUrl")!, clientId: text("clientId")!, clientSecret: text("clientSecret")!, scope: text("scope"), audience: text("audience") };
}

/** One access token (the canary runs for a minute at most: no caching, no refresh). */
export async function fetchAccessToken(credentials: ClientCredentials, fetchImpl: typeof fetch): Promise<string> {
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    if (credentials.scope) {
        form.set("scope", credentials.scope);
    }
    if (credentials.audience) {
        form.set("audience", credentials.audience);
    }
    // RFC 6749 §2.3.1: the client id and secret are form-encoded before they are joined and base64-encoded.
    const basic = Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString("base64");
    const response = await fetchImpl(credentials.tokenUrl, {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: form.toString(),
    });
    const text = await response.text();
    if (response.status !== 200) {
        // The error answer of a token endpoint names the problem (`invalid_client`), not the credentials.
        throw new JourneyFailure("token", `expected 200 from the token endpoint, got ${response.status}: ${text.slice(0, 200)}`);
    }
    let body: { access_token?: unknown; token_type?: unknown };
    try {
        body = JSON.parse(text) as typeof body;
    } catch {
        throw new JourneyFailure("token", "the token endpoint's answer is not JSON");
    }
    if (typeof body.access_token !== "string" || body.access_token === "" || String(body.token_type).toLowerCase() !== "bearer") {
        throw new JourneyFailure("token", "the token endpoint's answer has no bearer access_token");
    }
    return body.access_token;
}
