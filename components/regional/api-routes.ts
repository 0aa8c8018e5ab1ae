import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_READ_SCOPE, DEFAULT_WRITE_SCOPE, type ApiAuth } from "./api-auth";

/** One HTTP API route to the transaction processor. */
export interface ApiRoute {
    /** Stable part of the route's logical name (`<role>-route-<id>`): never change a shipped one. */
    readonly id: string;
    readonly routeKey: string;
    /** Whether API Gateway must authenticate the caller before the function runs. */
    readonly authenticated: boolean;
    /** What a jwt token must be allowed to do here: its scope (`jwtWriteScope`/`jwtReadScope`); `$default` either. */
    readonly access: readonly ("write" | "read")[];
}

/**
 * The routes to the transaction processor. Every one is authenticated, `$default` included: it sends unknown
 * paths and wrong methods to the same function (for its JSON 404/405), so leaving it open would let anonymous
 * callers invoke the transaction processor, whose router is the only thing between them and the transaction
 * handlers. Anonymous callers get API Gateway's 401 on unknown paths instead; authenticated callers still get
 * the function's JSON 404/405. The only open route is `GET /health`, the health function's own
 * (components/regional/health-endpoint.ts): Route 53's checkers cannot sign requests or present tokens.
 */
export const API_ROUTES: readonly ApiRoute[] = [
    { id: "post-transactions", routeKey: "POST /transactions", authenticated: true, access: ["write"] },
    { id: "get-transaction", routeKey: "GET /transactions/{id}", authenticated: true, access: ["read"] },
    { id: "default", routeKey: "$default", authenticated: true, access: ["write", "read"] },
];

/** The route's `authorizationType` for the stack's auth mode. */
export function authorizationTypeFor(route: ApiRoute, auth: ApiAuth): "NONE" | "JWT" | "AWS_IAM" {
    if (!route.authenticated) {
        return "NONE";
    }
    return auth.mode === "jwt" ? "JWT" : "AWS_IAM";
}

/**
 * The route's `authorizationScopes` (jwt only): API Gateway answers 403 to a token that carries none of them, so an
 * ID token or another client's token with the same audience never reaches the function. `$default` accepts either
 * scope (it only answers 404/405). https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export function authorizationScopesFor(route: ApiRoute, auth: ApiAuth): string[] | undefined {
    if (!route.authenticated || auth.mode !== "jwt") {
        return undefined;
    }
    return route.access.map((access) => (access === "write" ? (auth.writeScope ?? DEFAULT_WRITE_SCOPE) : (auth.readScope ?? DEFAULT_READ_SCOPE)));
}

/**
 * The Lambda environment that tells the function how to find the tenant and what to require of it (see
 * `functions/transaction-processor/tenant.ts` and `scopes.ts`). In iam mode the stack's `tenantRoles`, plus any role
 * the program itself makes a tenant (the canaries'), whose unique id is only known once it exists.
 */
export function authEnvironment(auth: ApiAuth, programTenantRoles?: pulumi.Input<Record<string, string>>): Record<string, pulumi.Input<string>> {
    if (auth.mode === "jwt") {
        return {
            AUTH_MODE: "jwt",
            TENANT_CLAIM: auth.tenantClaim,
            REQUIRED_SCOPES: JSON.stringify({ write: auth.writeScope ?? DEFAULT_WRITE_SCOPE, read: auth.readScope ?? DEFAULT_READ_SCOPE }),
        };
    }
    const roles = pulumi.output(programTenantRoles ?? {}).apply((extra) => JSON.stringify({ ...auth.tenantRoles, ...extra }));
    return { AUTH_MODE: "iam", TENANT_ROLE_IDS: roles };
}
