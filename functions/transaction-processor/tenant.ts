import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { AppConfig } from "./env";
import { HttpError } from "./responses";
import { MERCHANT_ID_PATTERN } from "./validation";

/**
 * The caller's tenant (merchant id), taken only from what API Gateway's authorizer put in the request context,
 * never from the body or a header the caller controls.
 *  - jwt: the claim `TENANT_CLAIM` of the verified token (`requestContext.authorizer.jwt.claims`).
 *  - iam: the IAM role the caller assumed, `payments-tenant-<merchant id>`, from `requestContext.authorizer.iam`;
 *    the caller must belong to the API's own account.
 * No authorizer context at all is a 401 (defence in depth: API Gateway should never let such a request through);
 * an authenticated caller that names no usable tenant is a 403.
 */

/** Keep in step with `IAM_TENANT_ROLE_PREFIX` in components/api-auth.ts (the function bundle cannot import it). */
export const IAM_TENANT_ROLE_PREFIX = "payments-tenant-";

/** `arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>` */
const ASSUMED_ROLE_ARN = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

function record(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function unauthenticated(): HttpError {
    return new HttpError(
        401,
        "UNAUTHENTICATED",
        "this API needs an authenticated caller: send a bearer token (jwt) or a SigV4-signed request (iam), as the API is configured",
    );
}

function forbidden(why: string): HttpError {
    return new HttpError(403, "TENANT_UNKNOWN", `the caller is authenticated but names no tenant: ${why}`);
}

function tenantFromClaims(claims: Record<string, unknown>, claim: string): string {
    const value = claims[claim];
    if (value === undefined || value === null || value === "") {
        throw forbidden(`the token has no ${claim} claim`);
    }
    if (typeof value !== "string" || !MERCHANT_ID_PATTERN.test(value)) {
        throw forbidden(`the token's ${claim} claim is not a merchant id (1-64 characters of A-Z, a-z, 0-9, _ and -)`);
    }
    return value;
}

function tenantFromIam(iam: Record<string, unknown>, apiAccountId: unknown): string {
    const match = typeof iam.userArn === "string" ? ASSUMED_ROLE_ARN.exec(iam.userArn) : null;
    if (match === null) {
        throw forbidden(`call with a role session of an IAM role named ${IAM_TENANT_ROLE_PREFIX}<merchant id>`);
    }
    const [, accountId, roleName] = match;
    if (accountId !== apiAccountId || iam.accountId !== apiAccountId) {
        throw forbidden("the caller's role belongs to another AWS account");
    }
    const tenant = roleName.startsWith(IAM_TENANT_ROLE_PREFIX) ? roleName.slice(IAM_TENANT_ROLE_PREFIX.length) : "";
    if (!MERCHANT_ID_PATTERN.test(tenant)) {
        throw forbidden(`the caller's role is not named ${IAM_TENANT_ROLE_PREFIX}<merchant id>`);
    }
    return tenant;
}

/** The tenant of an authenticated request; throws a 401 or 403 `HttpError` otherwise. */
export function tenantOf(event: APIGatewayProxyEventV2, config: Pick<AppConfig, "authMode" | "tenantClaim">): string {
    const requestContext = record(event.requestContext);
    const authorizer = record(requestContext?.authorizer);
    if (config.authMode === "jwt") {
        const claims = record(record(authorizer?.jwt)?.claims);
        if (claims === undefined) {
            throw unauthenticated();
        }
        return tenantFromClaims(claims, config.tenantClaim ?? "");
    }
    const iam = record(authorizer?.iam);
    if (iam === undefined) {
        throw unauthenticated();
    }
    return tenantFromIam(iam, requestContext?.accountId);
}
