import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { errorFields, log } from "./log";
import { HttpError, errorReply, internalErrorReply, toApiGatewayResult, type Reply } from "./responses";
import { matchRoute, requestMethod, requestPath, type RouteMatch } from "./routes";
import { getRuntime } from "./runtime";
import { IDEMPOTENT_REPLAY_HEADER } from "./create-transaction";

/**
 * transaction-processor: the payments API behind API Gateway (HTTP API, payload format 2.0).
 *   POST /transactions        create a transaction, exactly once per Idempotency-Key
 *   GET  /transactions/{id}   read one back
 *   GET  /health              deep health of this region (table + bucket), for Route 53
 */

let coldStart = true;

async function dispatch(match: RouteMatch, event: APIGatewayProxyEventV2, requestId: string): Promise<Reply> {
    if (match.kind === "not-found") {
        return errorReply(404, "NOT_FOUND", "no such resource; the API serves /transactions, /transactions/{id} and /health");
    }
    if (match.kind === "method-not-allowed") {
        return errorReply(405, "METHOD_NOT_ALLOWED", `use ${match.allow} on this path`, undefined, { Allow: match.allow });
    }
    const runtime = getRuntime();
    if (!runtime.ok) {
        return errorReply(500, "CONFIGURATION_ERROR", runtime.problems.join("; "));
    }
    try {
        return await match.handler(event, match.params, runtime.runtime);
    } catch (error) {
        if (error instanceof HttpError) {
            return error.toReply();
        }
        log("error", "unhandled error", { requestId, route: match.routeKey, ...errorFields(error) });
        return internalErrorReply(requestId);
    }
}

export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
    const started = performance.now();
    const requestId = context.awsRequestId;
    const wasColdStart = coldStart;
    coldStart = false;

    let match: RouteMatch | undefined;
    let reply: Reply;
    try {
        match = matchRoute(requestMethod(event), requestPath(event));
        reply = await dispatch(match, event, requestId);
    } catch (error) {
        // Malformed events and defects in the code above: still a JSON 500, never a stack trace.
        log("error", "unhandled error", { requestId, ...errorFields(error) });
        reply = internalErrorReply(requestId);
    }

    const body = reply.body as { id?: unknown; error?: { code?: unknown } };
    const runtime = getRuntimeSummary();
    log("info", "request", {
        requestId,
        apiRequestId: event.requestContext?.requestId,
        route: match?.routeKey ?? "unknown",
        status: reply.statusCode,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        region: runtime.region,
        role: runtime.role,
        env: runtime.env,
        coldStart: wasColdStart,
        transactionId: typeof body.id === "string" ? body.id : undefined,
        replay: reply.headers?.[IDEMPOTENT_REPLAY_HEADER] === "true" ? true : undefined,
        errorCode: typeof body.error?.code === "string" ? body.error.code : undefined,
    });
    return toApiGatewayResult(reply, requestId);
}

/** Region and role for the access log, from the validated config or, failing that, the raw env. */
function getRuntimeSummary(): { region?: string; role?: string; env?: string } {
    const runtime = getRuntime();
    if (runtime.ok) {
        const { config } = runtime.runtime;
        return { region: config.appRegion, role: config.regionRole, env: config.appEnv };
    }
    return { region: process.env.APP_REGION || process.env.AWS_REGION, role: process.env.REGION_ROLE, env: process.env.APP_ENV };
}
