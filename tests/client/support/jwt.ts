import { createHmac, timingSafeEqual } from "crypto";

/**
 * HS256 JSON Web Tokens for the local gateway's JWT authorizer: what an identity provider issues and what API
 * Gateway's JWT authorizer checks (signature, expiry, issuer, audience) before it passes the claims on.
 */

export const ISSUER = "https://auth.acme-pay.test/";
export const AUDIENCE = "payments-api";

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const sign = (secret: string, input: string) => createHmac("sha256", secret).update(input).digest("base64url");

export function issueToken(secret: string, claims: Record<string, unknown>, lifetimeSeconds = 3600): string {
    const now = Math.floor(Date.now() / 1000);
    const input = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + lifetimeSeconds, ...claims })}`;
    return `${input}.${sign(secret, input)}`;
}

/** The token's claims when it is valid for this API, else undefined. */
export function verifyToken(secret: string, token: string): Record<string, unknown> | undefined {
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) {
        return undefined;
    }
    const expected = Buffer.from(sign(secret, `${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        return undefined;
    }
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const valid = claims.iss === ISSUER && claims.aud === AUDIENCE && typeof claims.exp === "number" && claims.exp > Date.now() / 1000;
    return valid ? claims : undefined;
}
