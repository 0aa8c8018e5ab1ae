import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { callerFields } from "./caller";
import { IDEMPOTENT_REPLAY_HEADER } from "./create-transaction";
import { requestDeadline } from "./deadline";
import { errorFields, log } from "./log";
import { HttpError, errorReply, internalErrorReply, toApiGatewayResult, type Reply } from "./responses";
import { PAYMENT_ROUTE_KEY, paymentOutcomeFields } from "../../contracts/payment-metrics";
import { matchRoute, requestMethod, requestPath, type RouteMatch } from "./routes";
import { getRuntime, type RuntimeResult } from "./runtime";

/**
 * transaction-processor: the payments API behind API Gateway (HTTP API, payload format 2.0).
 *   POST /transactions        create a transaction, exactly once per Idempotency-Key
 *   GET  /transactions/{id}   read one back
 * (`GET /health` is served by the separate health function.)
 */

let coldStart = true;

async function dispatch(match: RouteMatch, runtime: RuntimeResult, event: APIGatewayProxyEventV2, context: Context): Promise<Reply> {
    if (match.kind === "not-found") {
        return errorReply(404, "NOT_FOUND", "no such resource; the API serves /transactions and /transactions/{id}");
    }
    if (match.kind === "method-not-allowed") {
        return errorReply(405, "METHOD_NOT_ALLOWED", `use ${match.allow} on this path`, undefined, { Allow: match.allow });
    }
    if (!runtime.ok) {
        // The problems (logged once per container) may quote environment values: the client gets none of them.
        return errorReply(500, "CONFIGURATION_ERROR", `the function is misconfigured; its log names the problems (request id ${context.awsRequestId})`);
    }
    try {
        return await match.handler({ event, params: match.params, deadline: requestDeadline(context) }, runtime.runtime);
    } catch (error) {
        if (error instanceof HttpError) {
            return error.toReply();
        }
        log("error", "unhandled error", { requestId: context.awsRequestId, route: match.routeKey, ...errorFields(error) });
        return internalErrorReply(context.awsRequestId);
    }
}

/** Region, role and environment for the access log: from the validated config, else the raw variables. */
function logContext(runtime: RuntimeResult | undefined): { region?: string; role?: string; env?: string } {
    if (runtime?.ok) {
        const { config } = runtime.runtime;
        return { region: config.appRegion, role: config.regionRole, env: config.appEnv };
    }
    return { region: process.env.APP_REGION || process.env.AWS_REGION, role: process.env.REGION_ROLE, env: process.env.APP_ENV };
}

export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
    const started = performance.now();
    const requestId = context.awsRequestId;
    const wasColdStart = coldStart;
    coldStart = false;

    let runtime: RuntimeResult | undefined;
    let match: RouteMatch | undefined;
    let reply: Reply;
    try {
        runtime = getRuntime();
        match = matchRoute(requestMethod(event), requestPath(event));
        reply = await dispatch(match, runtime, event, context);
    } catch (error) {
        // Malformed events and defects outside the routes: still a JSON 500, never a stack trace.
        log("error", "unhandled error", { requestId, ...errorFields(error) });
        reply = internalErrorReply(requestId);
    }

    // One access line per request. Only ids, codes and timings: no bodies, keys or metadata. A payment's line
    // also carries its outcome metric (EMF), which the payment-failure alarm and Route 53 watch: keep this line at
    // info and the function's applicationLogLevel at INFO, or Lambda drops it and the metric with it.
    const body = reply.body as { id?: unknown; error?: { code?: unknown } };
    const where = logContext(runtime);
    const metric = match?.routeKey === PAYMENT_ROUTE_KEY && where.region ? paymentOutcomeFields(where.region, reply.statusCode) : {};
    log(
        "info",
        "request",
        {
            requestId,
            apiRequestId: event?.requestContext?.requestId,
            route: match?.routeKey ?? "unknown",
            status: reply.statusCode,
            latencyMs: Math.round((performance.now() - started) * 10) / 10,
            ...where,
            ...callerFields(event, runtime?.ok ? runtime.runtime.config : undefined),
            coldStart: wasColdStart,
            transactionId: typeof body.id === "string" ? body.id : undefined,
            replay: reply.headers?.[IDEMPOTENT_REPLAY_HEADER] === "true" ? true : undefined,
            errorCode: typeof body.error?.code === "string" ? body.error.code : undefined,
        },
        metric,
    );
    return toApiGatewayResult(reply, requestId);
}
