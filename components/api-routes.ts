import type { ApiAuth } from "./api-auth";

/** One HTTP API route to the transaction processor. */
export interface ApiRoute {
    /** Stable part of the route's logical name (`<role>-route-<id>`): never change a shipped one. */
    readonly id: string;
    readonly routeKey: string;
    /** Whether API Gateway must authenticate the caller before the function runs. */
    readonly authenticated: boolean;
}

/**
 * The routes to the transaction processor. Every one is authenticated, `$default` included: it sends unknown
 * paths and wrong methods to the same function (for its JSON 404/405), so leaving it open would let anonymous
 * callers invoke the transaction processor, whose router is the only thing between them and the transaction
 * handlers. Anonymous callers get API Gateway's 401 on unknown paths instead; authenticated callers still get
 * the function's JSON 404/405. The only open route is `GET /health`, the health function's own
 * (components/health-endpoint.ts): Route 53's checkers cannot sign requests or present tokens.
 */
export const API_ROUTES: readonly ApiRoute[] = [
    { id: "post-transactions", routeKey: "POST /transactions", authenticated: true },
    { id: "get-transaction", routeKey: "GET /transactions/{id}", authenticated: true },
    { id: "default", routeKey: "$default", authenticated: true },
];

/** The route's `authorizationType` for the stack's auth mode. */
export function authorizationTypeFor(route: ApiRoute, auth: ApiAuth): "NONE" | "JWT" | "AWS_IAM" {
    if (!route.authenticated) {
        return "NONE";
    }
    return auth.mode === "jwt" ? "JWT" : "AWS_IAM";
}

/** The Lambda environment that tells the function how to find the tenant (see `functions/transaction-processor/tenant.ts`). */
export function authEnvironment(auth: ApiAuth): Record<string, string> {
    return auth.mode === "jwt" ? { AUTH_MODE: "jwt", TENANT_CLAIM: auth.tenantClaim } : { AUTH_MODE: "iam" };
}
