import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { AppConfig, RequiredScopes } from "./env";
import { HttpError } from "./responses";

/**
 * OAuth 2.0 scopes on the jwt routes. API Gateway already refuses a token that carries none of a route's
 * `authorizationScopes` (components/regional/api-routes.ts); the function checks again, so a route set up without scopes
 * (or `$default` reaching a handler) never lets an ID token or another client's token through.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * iam mode has no scopes: there IAM policies (`execute-api:Invoke` on the route) play that part.
 */

/** The kind of access a route needs. */
export type Access = keyof RequiredScopes;

/**
 * The token's scopes, from the claims API Gateway passes on: `scope` (RFC 8693 and 9068: space-separated) or `scp`
 * (some issuers: a list, which API Gateway hands over as text like `[a b]`).
 */
export function tokenScopes(claims: Readonly<Record<string, unknown>>): Set<string> {
    const scopes = new Set<string>();
    for (const name of ["scope", "scp"]) {
        const value = claims[name];
        const words = Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.replace(/^\[|\]$/g, "").split(/[\s,]+/) : [];
        for (const word of words) {
            if (word !== "") {
                scopes.add(word);
            }
        }
    }
    return scopes;
}

/** Throws 403 `INSUFFICIENT_SCOPE` unless the jwt caller's token carries the scope `access` needs. */
export function requireScope(event: APIGatewayProxyEventV2, config: Pick<AppConfig, "authMode" | "requiredScopes">, access: Access): void {
    if (config.authMode !== "jwt" || config.requiredScopes === undefined) {
        return;
    }
    const jwt = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown>; scopes?: unknown } } } | undefined)?.authorizer?.jwt;
    const wanted = config.requiredScopes[access];
    // `jwt.scopes` is the list API Gateway itself read from the token, when it sends one.
    const granted = tokenScopes(jwt?.claims ?? {});
    if (Array.isArray(jwt?.scopes)) {
        jwt.scopes.forEach((scope) => granted.add(String(scope)));
    }
    if (!granted.has(wanted)) {
        throw new HttpError(403, "INSUFFICIENT_SCOPE", `this route needs a token with the scope ${wanted}`, undefined, {
            // RFC 6750 section 3: the scope the client should ask its issuer for.
            "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${wanted}"`,
        });
    }
}
