import { isDeepStrictEqual } from "util";
import { Credentials, signRequest } from "./sigv4";

/**
 * The canary's customer journey against one base URL: create a transaction, replay it with the same
 * Idempotency-Key (the API must answer 200 with the byte-identical body and `Idempotent-Replay: true`), then read it
 * back (200, the body POST returned). Requests are SigV4-signed like a tenant's (apiAuth iam), or carry a bearer
 * token from the identity provider (apiAuth jwt: functions/canary/token.ts). Pure apart from the
 * injected `fetch`: the tests run it against the real handler behind a local server.
 */

/** The canary's transaction: the smallest amount, marked as synthetic in its reference and metadata. */
export const CANARY_TRANSACTION = { amount: 1, currency: "EUR", reference: "synthetic canary", metadata: { source: "canary" } } as const;

export interface JourneyTarget {
    /** `https://api.example.com` (no trailing slash). */
    readonly baseUrl: string;
    /** The region to sign for; unset: the region of the role `GET /health` reports (the failover name leads to either). */
    readonly signingRegion?: string;
    /** Each role's region, to sign for the role `GET /health` reports when `signingRegion` is unset. */
    readonly regionsByRole?: Readonly<Record<string, string>>;
}

/** How the canary authenticates: SigV4 with its role's session (apiAuth iam), or a bearer token (apiAuth jwt). */
export type JourneyAuth = { readonly credentials: Credentials } | { readonly bearerToken: string };

export type JourneyDeps = JourneyAuth & {
    readonly fetch: typeof fetch;
    readonly now: () => Date;
    readonly newIdempotencyKey: () => string;
    readonly log: (message: string) => void;
};

export interface JourneyResult {
    readonly region: string;
    readonly transactionId: string;
}

/** A failed step, with what the API answered (status and the start of the body; never the signature). */
export class JourneyFailure extends Error {
    constructor(step: string, problem: string) {
        super(`${step}: ${problem}`);
        this.name = "JourneyFailure";
    }
}

interface Answer {
    readonly status: number;
    readonly headers: Headers;
    readonly text: string;
}

function parse(step: string, answer: Answer): Record<string, unknown> {
    try {
        return JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
        throw new JourneyFailure(step, `answer ${answer.status} is not JSON: ${answer.text.slice(0, 200)}`);
    }
}

function expectStatus(step: string, answer: Answer, status: number): void {
    if (answer.status !== status) {
        throw new JourneyFailure(step, `expected ${status}, got ${answer.status}: ${answer.text.slice(0, 300)}`);
    }
}

export async function runJourney(target: JourneyTarget, deps: JourneyDeps): Promise<JourneyResult> {
    const call = async (method: string, path: string, region: string | undefined, headers: Record<string, string> = {}, body?: string): Promise<Answer> => {
        const url = new URL(`${target.baseUrl}${path}`);
        const auth = !region
            ? {}
            : "bearerToken" in deps
              ? { authorization: `Bearer ${deps.bearerToken}` }
              : signRequest({ method, url, body, region, service: "execute-api", credentials: deps.credentials, now: deps.now() });
        const response = await deps.fetch(url, { method, headers: { ...headers, ...auth }, body });
        return { status: response.status, headers: response.headers, text: await response.text() };
    };

    let region = target.signingRegion;
    if (!region) {
        // GET /health is open and names the role of the region that answers (never the region itself, nor any resource):
        // sign for that role's region (API Gateway checks the scope's region).
        const health = await call("GET", "/health", undefined);
        const role = parse("health", health).role;
        const roleRegion = typeof role === "string" ? target.regionsByRole?.[role] : undefined;
        if (roleRegion === undefined) {
            throw new JourneyFailure("health", `no known role in the answer ${health.status}: ${health.text.slice(0, 200)}`);
        }
        region = roleRegion;
        deps.log(`health: ${health.status}, answered by ${region}`);
    }

    const key = deps.newIdempotencyKey();
    const body = JSON.stringify(CANARY_TRANSACTION);
    const postHeaders = { "content-type": "application/json", "idempotency-key": key };
    const created = await call("POST", "/transactions", region, postHeaders, body);
    expectStatus("create", created, 201);
    const transaction = parse("create", created);
    const id = transaction.id;
    if (typeof id !== "string" || !/^txn_[a-z2-7]{26}$/.test(id)) {
        throw new JourneyFailure("create", `no transaction id in ${created.text.slice(0, 200)}`);
    }
    deps.log(`create: 201 ${id} in ${String(transaction.region)}`);

    const replay = await call("POST", "/transactions", region, postHeaders, body);
    expectStatus("replay", replay, 200);
    if (replay.headers.get("idempotent-replay") !== "true") {
        throw new JourneyFailure("replay", "the answer lacks `Idempotent-Replay: true`");
    }
    if (replay.text !== created.text) {
        throw new JourneyFailure("replay", `a different body for the same Idempotency-Key: ${replay.text.slice(0, 200)}`);
    }
    deps.log("replay: 200, the same body");

    const read = await call("GET", `/transactions/${id}`, region);
    expectStatus("read", read, 200);
    if (!isDeepStrictEqual(parse("read", read), transaction)) {
        throw new JourneyFailure("read", `not the transaction created: ${read.text.slice(0, 200)}`);
    }
    deps.log("read: 200, the transaction created");
    return { region, transactionId: id };
}
