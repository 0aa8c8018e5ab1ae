import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { errorReply, jsonReply, toApiGatewayResult, type Reply } from "../transaction-processor/responses";
import { log } from "../transaction-processor/log";
import { configFingerprint } from "../transaction-processor/env";
import { readStoreConfig } from "../transaction-processor/store-config";
import { healthBody, HealthMonitor } from "./health";
import { createHealthClients } from "./probes";

/**
 * health: Route 53's probe (`GET /health/<token>`) and the open `GET /health`, each deployed as its own function
 * with its own role and route throttle (the probe's with reserved concurrency), so neither payment traffic nor a
 * flood of the open route can starve or fail the probe: only a region that cannot write a payment (table item +
 * SSE-KMS object) answers 503.
 */

let current: { readonly fingerprint: string; readonly monitor?: HealthMonitor; readonly problems?: readonly string[] } | undefined;

/** The container's monitor, built on first use and rebuilt only when the configuration changes (tests). */
function monitorFor(env: NodeJS.ProcessEnv): { monitor?: HealthMonitor; problems?: readonly string[] } {
    const fingerprint = configFingerprint(env);
    if (current?.fingerprint !== fingerprint) {
        const read = readStoreConfig(env);
        if (read.ok) {
            current = { fingerprint, monitor: new HealthMonitor(createHealthClients(read.config), read.config) };
        } else {
            log("error", "invalid configuration", { problems: read.problems.join("; ") });
            current = { fingerprint, problems: read.problems };
        }
    }
    return current;
}

async function answer(event: APIGatewayProxyEventV2): Promise<Reply & { readonly cached?: boolean }> {
    const method = (event?.requestContext?.http?.method ?? "").toUpperCase();
    const path = event?.rawPath ?? "";
    // The open route and Route 53's probe route (`/health/<token>`, components/regional/health-probe.ts): API Gateway
    // sends only those here, so the token itself needs no check.
    if (!/\/health(\/[a-z0-9]+)?$/.test(path)) {
        return errorReply(404, "NOT_FOUND", "this function serves only GET /health");
    }
    if (method !== "GET") {
        return errorReply(405, "METHOD_NOT_ALLOWED", "use GET on this path", undefined, { Allow: "GET" });
    }
    const { monitor, problems } = monitorFor(process.env);
    if (monitor === undefined) {
        // The route is open: the variables' names go to the log, not to whoever asks.
        log("error", "health configuration", { problems: (problems ?? []).join("; ") });
        return errorReply(500, "CONFIGURATION_ERROR", "the health function is misconfigured; see its log");
    }
    const report = await monitor.report();
    return { ...jsonReply(report.status === "ok" ? 200 : 503, healthBody(report)), cached: report.cached };
}

export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
    const started = performance.now();
    const reply = await answer(event);
    // Failures only, and first probes: a 200 served from the cache every few seconds is not worth a log line.
    // The probe's details are on its own `health probe` line (health.ts).
    if (reply.statusCode !== 200 || reply.cached === false) {
        log(reply.statusCode === 200 ? "info" : "warn", "health", {
            requestId: context.awsRequestId,
            status: reply.statusCode,
            cached: reply.cached,
            latencyMs: Math.round((performance.now() - started) * 10) / 10,
        });
    }
    return toApiGatewayResult(reply, context.awsRequestId);
}
