import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { AppConfig } from "./env";
import { HttpError } from "./responses";
import { MERCHANT_ID_PATTERN } from "./validation";

/**
 * The caller's tenant (merchant id), taken only from what API Gateway's authorizer put in the request context,
 * never from the body or a header the caller controls.
 *  - jwt: the claim `TENANT_CLAIM` of the verified token (`requestContext.authorizer.jwt.claims`).
 *  - iam: the unique id (`AROA…`) of the IAM role the caller assumed, from `requestContext.authorizer.iam.userId`,
 *    looked up in the stack's `TENANT_ROLE_IDS`; the caller must belong to the API's own account. Not the role's
 *    name: whoever may create roles could create `payments-tenant-<any merchant>`, and a deleted and re-created role
 *    keeps its name but gets a new unique id, which no mapping names until an administrator adds it.
 *    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 * No authorizer context at all is a 401 (defence in depth: API Gateway should never let such a request through);
 * an authenticated caller that names no usable tenant is a 403.
 */

/** `arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>` */
const ASSUMED_ROLE_ARN = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/[^/]+\/[^/]+$/;

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

/** `userId` of a role session: `<role unique id>:<session name>`. */
const ROLE_SESSION_USER_ID = /^(AROA[A-Z0-9]{16,}):.+$/;

function tenantFromIam(iam: Record<string, unknown>, apiAccountId: unknown, tenantRoleIds: ReadonlyMap<string, string>): string {
    const arn = typeof iam.userArn === "string" ? ASSUMED_ROLE_ARN.exec(iam.userArn) : null;
    const session = typeof iam.userId === "string" ? ROLE_SESSION_USER_ID.exec(iam.userId) : null;
    if (arn === null || session === null) {
        throw forbidden("call with a session of an IAM role that the stack maps to a merchant (tenantRoles)");
    }
    if (arn[1] !== apiAccountId || iam.accountId !== apiAccountId) {
        throw forbidden("the caller's role belongs to another AWS account");
    }
    const tenant = tenantRoleIds.get(session[1]);
    if (tenant === undefined) {
        throw forbidden(`the caller's role (unique id ${session[1]}) is mapped to no merchant`);
    }
    return tenant;
}

/** The tenant of an authenticated request; throws a 401 or 403 `HttpError` otherwise. */
export function tenantOf(event: APIGatewayProxyEventV2, config: Pick<AppConfig, "authMode" | "tenantClaim" | "tenantRoleIds">): string {
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
    return tenantFromIam(iam, requestContext?.accountId, config.tenantRoleIds ?? new Map());
}
