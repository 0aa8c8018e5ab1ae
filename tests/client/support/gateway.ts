import { createHash } from "crypto";
import type { IncomingMessage, ServerResponse } from "http";
import { handler as healthHandler } from "../../../functions/health";
import { HEALTH_CACHE_MS } from "../../../functions/health/health";
import { handler as processorHandler } from "../../../functions/transaction-processor";
import { FENCE_CACHE_MS } from "../../../functions/transaction-processor/fence";
import { apiEvent, iamAuthorizer, invokeWith, jwtAuthorizer, type ApiHandler } from "../../handler/support/events";
import { verifyToken } from "./jwt";
import { checkSignature, type KnownCaller } from "./sigv4-check";

/**
 * One region's API Gateway (HTTP API) on a local port, in front of the real functions: `GET /health` (open) to the
 * health function, everything else to the transaction processor after the route's authorizer, as deployed:
 * `jwt` checks a bearer token and passes its claims (401 `{"message":"Unauthorized"}` otherwise), `iam` checks
 * the SigV4 signature for this region and passes the caller's role (403 `{"message":"Forbidden"}` otherwise).
 * Faults a test can set: a black hole (accept, never answer) and throttling (429 with Retry-After).
 */

export interface GatewayConfig {
    readonly region: string;
    readonly auth: "jwt" | "iam";
    readonly jwtSecret: string;
    readonly callers: Readonly<Record<string, KnownCaller>>;
}

/** What the parent can ask a region process to do (over IPC). */
export type GatewayCommand =
    | { readonly type: "black-hole"; readonly on: boolean }
    | { readonly type: "throttle"; readonly count: number; readonly retryAfterSeconds: number }
    | { readonly type: "warm" }
    | { readonly type: "stats" };

export interface GatewayStats {
    /** Requests that reached the processor, by `METHOD path-template`. */
    readonly forwarded: Readonly<Record<string, number>>;
    readonly health: number;
    readonly refused: number;
    readonly throttled: number;
    /** Every body (SHA-256) each Idempotency-Key arrived with, in either auth mode, before authorisation. */
    readonly bodiesByKey: Readonly<Record<string, readonly string[]>>;
}

function readBody(request: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        request.on("error", reject);
    });
}

export class Gateway {
    private blackHole = false;
    private throttle = { count: 0, retryAfterSeconds: 0 };
    private readonly stats = { forwarded: {} as Record<string, number>, health: 0, refused: 0, throttled: 0, bodiesByKey: {} as Record<string, string[]> };
    private readonly callers: ReadonlyMap<string, KnownCaller>;

    constructor(private readonly config: GatewayConfig) {
        this.callers = new Map(Object.entries(config.callers));
    }

    async command(command: GatewayCommand): Promise<GatewayStats> {
        if (command.type === "warm") {
            await this.warm();
        } else if (command.type === "black-hole") {
            this.blackHole = command.on;
        } else if (command.type === "throttle") {
            this.throttle = { count: command.count, retryAfterSeconds: command.retryAfterSeconds };
        }
        return structuredClone(this.stats);
    }

    /**
     * A standby that takes traffic is warm: Route 53's health checks and its own canary call it all the time. One
     * payment (tenant `warm-up`) and one health probe load the functions' code and open their connections.
     */
    private async warm(): Promise<void> {
        const authorizer = this.config.auth === "jwt" ? jwtAuthorizer("warm-up") : iamAuthorizer("payments-tenant-merchant_42");
        const headers = { "content-type": "application/json", "idempotency-key": `warm-up-${Date.now()}` };
        const body = JSON.stringify({ amount: 1, currency: "EUR", reference: "warm-up" });
        // The primary's first fence read (the takeover authority, in the other region) also has a short budget; on a
        // loaded machine it can time out, and with no last-known state the fence holds (503 REGION_FENCED) for
        // FENCE_CACHE_MS. Retry the same request (same key and body) once that has passed.
        let payment = await invokeWith(processorHandler, apiEvent({ method: "POST", path: "/transactions", headers, body, authorizer }));
        for (let retry = 0; retry < 3 && payment.status === 503 && payment.text.includes("REGION_FENCED"); retry++) {
            await new Promise((resolve) => setTimeout(resolve, FENCE_CACHE_MS + 100));
            payment = await invokeWith(processorHandler, apiEvent({ method: "POST", path: "/transactions", headers, body, authorizer }));
        }
        // The health function's first probe opens its own connections within a 1 s budget, which a loaded machine can
        // miss; its result (good or bad) is cached for HEALTH_CACHE_MS, so wait that out before asking again.
        let health = await invokeWith(healthHandler as ApiHandler, apiEvent({ method: "GET", path: "/health", authorizer: null }));
        for (let retry = 0; retry < 3 && health.status !== 200; retry++) {
            await new Promise((resolve) => setTimeout(resolve, HEALTH_CACHE_MS + 100));
            health = await invokeWith(healthHandler as ApiHandler, apiEvent({ method: "GET", path: "/health", authorizer: null }));
        }
        if (payment.status !== 201 || health.status !== 200) {
            throw new Error(`warm-up in ${this.config.region}: ${[payment, health].map((r) => `${r.status} ${r.text}`).join("; ")}`);
        }
    }

    async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
        if (this.blackHole) {
            return; // accepted, never answered
        }
        const body = await readBody(request);
        const method = request.method ?? "GET";
        const path = new URL(request.url ?? "/", "http://gateway").pathname;
        const send = (status: number, headers: Record<string, string>, text: string) => response.writeHead(status, headers).end(text);
        if (path === "/health") {
            this.stats.health += 1;
            const result = await invokeWith(healthHandler as ApiHandler, apiEvent({ method, path, authorizer: null }));
            send(result.status, { ...result.headers }, result.text);
            return;
        }
        const key = request.headers["idempotency-key"];
        if (method === "POST" && typeof key === "string") {
            const hash = createHash("sha256").update(body).digest("hex");
            const seen = (this.stats.bodiesByKey[key] ??= []);
            if (!seen.includes(hash)) {
                seen.push(hash);
            }
        }
        if (this.throttle.count > 0) {
            this.throttle.count -= 1;
            this.stats.throttled += 1;
            send(
                429,
                { "content-type": "application/json", "retry-after": String(this.throttle.retryAfterSeconds) },
                JSON.stringify({ message: "Too Many Requests" }),
            );
            return;
        }
        const authorizer = this.authorize(method, path, request, body);
        if ("refusal" in authorizer) {
            this.stats.refused += 1;
            send(authorizer.refusal.status, { "content-type": "application/json" }, JSON.stringify({ message: authorizer.refusal.message }));
            return;
        }
        const route = `${method} ${path.replace(/^\/transactions\/.+$/, "/transactions/{id}")}`;
        this.stats.forwarded[route] = (this.stats.forwarded[route] ?? 0) + 1;
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
        const event = apiEvent({ method, path, headers, body: body === "" ? undefined : body, authorizer: authorizer.context });
        const result = await invokeWith(processorHandler, event);
        send(result.status, { ...result.headers }, result.text);
    }

    private authorize(
        method: string,
        path: string,
        request: IncomingMessage,
        body: string,
    ): { context: Record<string, unknown> } | { refusal: { status: number; message: string } } {
        if (this.config.auth === "jwt") {
            const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
            const claims = token === undefined ? undefined : verifyToken(this.config.jwtSecret, token);
            return claims === undefined ? { refusal: { status: 401, message: "Unauthorized" } } : { context: { jwt: { claims, scopes: null } } };
        }
        const check = checkSignature({ method, path, headers: request.headers, body }, this.config.region, this.callers);
        return check.ok
            ? { context: iamAuthorizer(check.caller.roleName, undefined, check.caller.roleId) }
            : { refusal: { status: 403, message: "Forbidden" } };
    }
}
