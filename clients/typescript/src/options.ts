import { ClientConfigError } from "./errors";

/** A base URL (`https://api.us-east-1.acme-pay.net`), or one with the AWS region it lives in. */
export type EndpointInput = string | { readonly url: string; readonly region?: string };

/**
 * Both regional endpoints (the client fails over between them itself, without waiting for DNS), or only the
 * failover name (the client then retries and waits for DNS like any other).
 */
export type EndpointsInput = { readonly primary: EndpointInput; readonly secondary: EndpointInput } | { readonly failover: EndpointInput };

export interface AwsCredentials {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
    readonly expiration?: Date;
}

/**
 * `jwt`: a bearer token, asked for before every attempt (cache and refresh it in `token`).
 * `iam`: SigV4 for `execute-api`, with `credentials` or, when absent, the default AWS credential chain
 * (environment, SSO, shared files, web identity, container and instance roles). `region` is the region to sign
 * for wherever the endpoint's own region is unknown.
 */
export type AuthInput =
    | { readonly type: "jwt"; readonly token: () => Promise<string> }
    | { readonly type: "iam"; readonly region?: string; readonly credentials?: AwsCredentials | (() => Promise<AwsCredentials>) };

export interface PaymentsClientOptions {
    readonly endpoints: EndpointsInput;
    readonly auth: AuthInput;
    /** @default globalThis.fetch */
    readonly fetch?: typeof fetch;
    /** One attempt is abandoned (and retried) after this long. @default 3000 */
    readonly timeoutMs?: number;
    /** Attempts per call, in all regions together. @default 8 */
    readonly maxAttempts?: number;
    /** A call gives up after this long, whatever `maxAttempts` allows. @default 30000 */
    readonly deadlineMs?: number;
    /**
     * A region whose requests have failed at the connection level (refused, reset, no answer) for this long is
     * left for the other one. With `timeoutMs`, this bounds how long a dead region holds a call:
     * max(timeoutMs, regionFailoverAfterMs) from the first failed attempt. @default 3000
     */
    readonly regionFailoverAfterMs?: number;
    /** First retry delay; doubles per attempt (full jitter). @default 100 */
    readonly backoffBaseMs?: number;
    /** Largest retry delay before `Retry-After` is applied. @default 5000 */
    readonly backoffMaxMs?: number;
    /** A `/health` probe that takes longer counts as unhealthy. @default 1000 */
    readonly healthTimeoutMs?: number;
    /** After leaving the primary, probe its `/health` this often, and go back when it is healthy. @default 30000 */
    readonly probeBackAfterMs?: number;
    /** After the primary answered `REGION_FENCED`, do not probe it back for this long. @default 300000 */
    readonly fencedHoldMs?: number;
    /** Random numbers in [0, 1) for the jitter (tests pin it). @default Math.random */
    readonly random?: () => number;
}

/** One configured endpoint, resolved. */
export interface Endpoint {
    /** `primary`, `secondary` or `failover`. */
    readonly name: "primary" | "secondary" | "failover";
    /** Base URL without a trailing slash. */
    readonly url: string;
    /** The AWS region: given, or read from an `execute-api` host; otherwise the endpoint's name. */
    readonly region: string;
    /** Whether `region` is a real AWS region (given or inferred), so requests can be signed for it. */
    readonly regionKnown: boolean;
}

export interface Settings {
    readonly endpoints: readonly Endpoint[];
    readonly fetch: typeof fetch;
    readonly timeoutMs: number;
    readonly maxAttempts: number;
    readonly deadlineMs: number;
    readonly regionFailoverAfterMs: number;
    readonly backoffBaseMs: number;
    readonly backoffMaxMs: number;
    readonly healthTimeoutMs: number;
    readonly probeBackAfterMs: number;
    readonly fencedHoldMs: number;
    readonly random: () => number;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** `https://{api-id}.execute-api.{region}.amazonaws.com` (HTTP API default endpoint). */
const EXECUTE_API_HOST = /\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com$/;

function resolveEndpoint(name: Endpoint["name"], input: EndpointInput | undefined, problems: string[]): Endpoint {
    const raw = typeof input === "string" ? { url: input } : (input ?? { url: "" });
    let url: URL | undefined;
    try {
        url = new URL(raw.url);
    } catch {
        problems.push(`\`endpoints.${name}\` must be an http(s) URL, got ${JSON.stringify(raw.url)}`);
    }
    if (url !== undefined && url.protocol !== "https:" && url.protocol !== "http:") {
        problems.push(`\`endpoints.${name}\` must be an http(s) URL, got ${JSON.stringify(raw.url)}`);
    }
    if (raw.region !== undefined && !REGION.test(raw.region)) {
        problems.push(`\`endpoints.${name}.region\` must be an AWS region such as us-east-1, got ${JSON.stringify(raw.region)}`);
    }
    const region = raw.region ?? (url ? EXECUTE_API_HOST.exec(url.hostname)?.[1] : undefined);
    return { name, url: raw.url.replace(/\/+$/, ""), region: region ?? name, regionKnown: region !== undefined };
}

function positive(name: string, value: number | undefined, fallback: number, problems: string[], integer = false): number {
    if (value === undefined) {
        return fallback;
    }
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
        problems.push(`\`${name}\` must be a positive ${integer ? "integer" : "number"}, got ${String(value)}`);
    }
    return value;
}

/** Applies the defaults and checks everything at once; throws `ClientConfigError` naming every problem. */
export function resolveSettings(options: PaymentsClientOptions): Settings {
    const problems: string[] = [];
    const given = (options.endpoints ?? {}) as Partial<Record<"primary" | "secondary" | "failover", EndpointInput>>;
    let endpoints: Endpoint[];
    if ("failover" in given && ("primary" in given || "secondary" in given)) {
        problems.push("`endpoints` takes either `primary` and `secondary`, or `failover`, not both");
        endpoints = [];
    } else if ("failover" in given) {
        endpoints = [resolveEndpoint("failover", given.failover, problems)];
    } else {
        endpoints = [resolveEndpoint("primary", given.primary, problems), resolveEndpoint("secondary", given.secondary, problems)];
    }
    const auth = options.auth;
    if (auth?.type === "iam") {
        if (auth.region !== undefined && !REGION.test(auth.region)) {
            problems.push(`\`auth.region\` must be an AWS region such as us-east-1, got ${JSON.stringify(auth.region)}`);
        }
        for (const endpoint of endpoints.filter((e) => !e.regionKnown && auth.region === undefined)) {
            problems.push(`\`endpoints.${endpoint.name}\`: iam auth needs the region to sign for: give \`{ url, region }\` or \`auth.region\``);
        }
    } else if (auth?.type !== "jwt" || typeof auth.token !== "function") {
        problems.push('`auth` must be `{ type: "jwt", token }` or `{ type: "iam", region?, credentials? }`');
    }
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") {
        problems.push("`fetch` is not available: pass one (Node 18+ has it built in)");
    }
    const settings: Settings = {
        endpoints,
        fetch: fetchImpl,
        timeoutMs: positive("timeoutMs", options.timeoutMs, 3_000, problems),
        maxAttempts: positive("maxAttempts", options.maxAttempts, 8, problems, true),
        deadlineMs: positive("deadlineMs", options.deadlineMs, 30_000, problems),
        regionFailoverAfterMs: positive("regionFailoverAfterMs", options.regionFailoverAfterMs, 3_000, problems),
        backoffBaseMs: positive("backoffBaseMs", options.backoffBaseMs, 100, problems),
        backoffMaxMs: positive("backoffMaxMs", options.backoffMaxMs, 5_000, problems),
        healthTimeoutMs: positive("healthTimeoutMs", options.healthTimeoutMs, 1_000, problems),
        probeBackAfterMs: positive("probeBackAfterMs", options.probeBackAfterMs, 30_000, problems),
        fencedHoldMs: positive("fencedHoldMs", options.fencedHoldMs, 300_000, problems),
        random: options.random ?? Math.random,
    };
    if (problems.length > 0) {
        throw new ClientConfigError(problems);
    }
    return settings;
}

/**
 * The longest a dead region (one that refuses, resets or never answers) holds a call before the client sends it
 * to the other region: the first failed attempt's timeout, or the failover bound, whichever is larger.
 */
export function regionSwitchBoundMs(settings: Pick<Settings, "timeoutMs" | "regionFailoverAfterMs">): number {
    return Math.max(settings.timeoutMs, settings.regionFailoverAfterMs);
}
