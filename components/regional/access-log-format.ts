import type { ApiAuth } from "./api-auth";

/**
 * The HTTP API stage's access log line (JSON). Besides the request, every line names the caller (PCI DSS 10.2.1:
 * user identification): in jwt mode the token's `sub`, `client_id` and tenant claim, in iam mode the role session's
 * ARN, its `AROA…:<session>` id and account; and why an authorizer refused. Variables:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 * A variable that does not apply to a request is logged as `-`.
 */

/** Claim names the `$context.authorizer.claims.<name>` syntax can take (no `:` `.` `/` `-`). */
const PLAIN_CLAIM = /^[A-Za-z0-9_]+$/;

export function accessLogFormat(auth: ApiAuth): string {
    const caller: Record<string, string> =
        auth.mode === "jwt"
            ? {
                  callerSub: "$context.authorizer.claims.sub",
                  callerClientId: "$context.authorizer.claims.client_id",
                  // A namespaced claim (`custom:merchant_id`) cannot be named here: the function's line has it.
                  ...(PLAIN_CLAIM.test(auth.tenantClaim) ? { tenant: `$context.authorizer.claims.${auth.tenantClaim}` } : {}),
              }
            : {
                  callerArn: "$context.identity.userArn",
                  callerId: "$context.identity.caller",
                  callerAccount: "$context.identity.accountId",
              };
    return JSON.stringify({
        requestId: "$context.requestId",
        routeKey: "$context.routeKey",
        status: "$context.status",
        latencyMs: "$context.responseLatency",
        integrationLatencyMs: "$context.integrationLatency",
        integrationError: "$context.integrationErrorMessage",
        domainName: "$context.domainName",
        sourceIp: "$context.identity.sourceIp",
        userAgent: "$context.identity.userAgent",
        requestTime: "$context.requestTimeEpoch",
        ...caller,
        authorizerError: "$context.authorizer.error",
    });
}
