import type { Authenticator } from "./auth";
import type { Endpoint, Settings } from "./options";

/** A request as the client builds it once: the same method, path, headers and body bytes on every attempt. */
export interface PlannedRequest {
    readonly method: "GET" | "POST";
    readonly path: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
}

/** An HTTP answer, whatever its status. */
export interface Answer {
    readonly kind: "answer";
    readonly status: number;
    readonly headers: Headers;
    readonly text: string;
    /** The parsed JSON body; undefined when the body is not JSON. */
    readonly json: unknown;
    /** `error.code` of the API's error body, or undefined. */
    readonly code?: string;
}

/** No answer: refused, reset, DNS failure, or nothing within the timeout (`timeout`). */
export interface NetworkFailure {
    readonly kind: "network";
    readonly code: string;
}

export type Outcome = Answer | NetworkFailure;

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

function errorCode(json: unknown): string | undefined {
    const error = (json as { error?: { code?: unknown } } | undefined)?.error;
    return typeof error?.code === "string" ? error.code : undefined;
}

/** The most specific name Node gives a failed fetch: `ECONNREFUSED`, `UND_ERR_SOCKET`, … */
function failureCode(error: unknown): string {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        return "timeout";
    }
    const cause = (error as { cause?: { code?: unknown; name?: unknown; message?: unknown } } | undefined)?.cause;
    if (typeof cause?.code === "string") {
        return cause.code;
    }
    if (cause?.name === "TimeoutError" || cause?.name === "AbortError") {
        return "timeout";
    }
    if (typeof cause?.name === "string" && cause.name !== "Error") {
        return cause.name;
    }
    // A plain Error says what it is only in its message (fetch's "bad port", for one).
    return typeof cause?.message === "string" && cause.message !== "" ? cause.message : error instanceof Error ? error.name : "network";
}

/**
 * One attempt at one endpoint, abandoned after `timeoutMs` (answer and body together). Authentication runs first
 * and its errors (no credentials, a token callback that throws) propagate: retrying cannot fix them.
 */
export async function sendOnce(
    settings: Settings,
    endpoint: Endpoint,
    request: PlannedRequest,
    authenticate: Authenticator,
    timeoutMs: number,
): Promise<Outcome> {
    const url = new URL(`${endpoint.url}${request.path}`);
    const auth = await authenticate({ method: request.method, url, headers: request.headers, body: request.body }, endpoint);
    try {
        const response = await settings.fetch(url, {
            method: request.method,
            headers: { ...request.headers, ...auth },
            body: request.body,
            signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        const json = parseJson(text);
        return { kind: "answer", status: response.status, headers: response.headers, text, json, code: errorCode(json) };
    } catch (error) {
        return { kind: "network", code: failureCode(error) };
    }
}

/**
 * `GET /health` (open: no authentication): true on 200 with `status: "ok"`; false when the region says it cannot
 * take a payment (503 `degraded`, any 5xx) or does not answer within `healthTimeoutMs`; undefined for anything
 * else (a throttled 429 says nothing about the region). The health function answers 503 when its region cannot
 * write a payment (functions/health).
 */
export async function checkHealth(settings: Settings, endpoint: Endpoint): Promise<boolean | undefined> {
    try {
        const response = await settings.fetch(`${endpoint.url}/health`, { signal: AbortSignal.timeout(settings.healthTimeoutMs) });
        const body = parseJson(await response.text()) as { status?: unknown } | undefined;
        if (response.status === 200 && body?.status === "ok") {
            return true;
        }
        return response.status >= 500 ? false : undefined;
    } catch {
        return false;
    }
}
