import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createTransaction } from "./create-transaction";
import { refuseWritesWhenFenced } from "./fence";
import { getTransaction } from "./get-transaction";
import type { Reply } from "./responses";
import type { Runtime } from "./runtime";

/** What a route gets besides the runtime. */
export interface RouteRequest {
    readonly event: APIGatewayProxyEventV2;
    /** Path parameters captured by the route's pattern, in order. */
    readonly params: readonly string[];
    /** Fires shortly before the invocation times out; passed to every AWS call. */
    readonly deadline: AbortSignal;
}

export type RouteHandler = (request: RouteRequest, runtime: Runtime) => Promise<Reply>;

interface Route {
    /** Path template, as in an API Gateway route key. */
    readonly template: string;
    readonly pattern: RegExp;
    readonly methods: Readonly<Record<string, RouteHandler>>;
}

/**
 * The API. Routing is done here (method + path), so any API Gateway route setup works, `$default` included.
 * `GET /health` is not here: it is the health function's own route (functions/health).
 */
const ROUTES: readonly Route[] = [
    {
        template: "/transactions",
        pattern: /^\/transactions$/,
        methods: {
            // A fenced (demoted) region refuses writes before reading the request: nothing can be written here.
            POST: async (request, runtime) => {
                await refuseWritesWhenFenced(runtime.fence, runtime.config.appRegion);
                return createTransaction(request.event, runtime, request.deadline);
            },
        },
    },
    {
        template: "/transactions/{id}",
        pattern: /^\/transactions\/([^/]+)$/,
        methods: { GET: (request, runtime) => getTransaction(request.event, request.params[0], runtime, request.deadline) },
    },
];

export type RouteMatch =
    | { readonly kind: "found"; readonly routeKey: string; readonly handler: RouteHandler; readonly params: readonly string[] }
    | { readonly kind: "method-not-allowed"; readonly routeKey: string; readonly allow: string }
    | { readonly kind: "not-found"; readonly routeKey: string };

export function matchRoute(method: string, path: string): RouteMatch {
    for (const route of ROUTES) {
        const match = route.pattern.exec(path);
        if (match === null) {
            continue;
        }
        const handler = route.methods[method];
        if (handler === undefined) {
            return {
                kind: "method-not-allowed",
                routeKey: `${method} ${route.template}`,
                allow: Object.keys(route.methods).join(", "),
            };
        }
        return { kind: "found", routeKey: `${method} ${route.template}`, handler, params: match.slice(1) };
    }
    return { kind: "not-found", routeKey: `${method} (unknown path)` };
}

/**
 * The request path without the stage: for a named (non-`$default`) stage, HTTP API puts
 * `/<stage>` in front of `rawPath`.
 */
export function requestPath(event: APIGatewayProxyEventV2): string {
    const path = event.rawPath || event.requestContext?.http?.path || "/";
    const stage = event.requestContext?.stage;
    if (stage && stage !== "$default" && path.startsWith(`/${stage}/`)) {
        return path.slice(stage.length + 1);
    }
    return path;
}

export function requestMethod(event: APIGatewayProxyEventV2): string {
    return (event.requestContext?.http?.method ?? "").toUpperCase();
}
