import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { AppConfig } from "./env";
import type { LogFields } from "./log";
import { admitMerchant } from "./merchant-limit";
import type { Runtime } from "./runtime";
import { requireScope, type Access } from "./scopes";
import { tenantOf } from "./tenant";

/**
 * Who is calling: the checks every route runs before it reads the request, and the identity the access line records
 * (PCI DSS 10.2: user identification in every audit record).
 */

/** The caller's tenant once it is authenticated (401/403), holds the route's scope (403) and is within its limit (429). */
export function authorize(event: APIGatewayProxyEventV2, runtime: Runtime, access: Access): string {
    const tenant = tenantOf(event, runtime.config);
    requireScope(event, runtime.config, access);
    admitMerchant(runtime.merchantLimiter, tenant);
    return tenant;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value.slice(0, 256) : undefined);

/**
 * Identifiers of the principal, never a credential: the token's `sub` and `client_id` (or `azp`) in jwt mode, the
 * role session's ARN and `AROA…:<session>` id in iam mode, whatever the authorizer put in the request context and
 * whether or not the function accepted the caller; and the tenant they resolve to, when they do.
 */
export function callerFields(event: APIGatewayProxyEventV2 | undefined, config?: AppConfig): LogFields {
    const authorizer = (event?.requestContext as { authorizer?: Record<string, Record<string, unknown> | undefined> } | undefined)?.authorizer;
    const claims = (authorizer?.jwt?.claims ?? {}) as Record<string, unknown>;
    const iam = authorizer?.iam ?? {};
    let tenant: string | undefined;
    try {
        tenant = event && config ? tenantOf(event, config) : undefined;
    } catch {
        tenant = undefined; // refused (401/403): the line's status and errorCode say so
    }
    return {
        tenant,
        callerSub: text(claims.sub),
        callerClientId: text(claims.client_id) ?? text(claims.azp),
        callerArn: text(iam.userArn),
        callerId: text(iam.userId),
    };
}
