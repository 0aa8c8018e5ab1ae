import { isDeepStrictEqual } from "util";
import { GaveUpError, PaymentsApiError, PaymentsClient, type AwsCredentials } from "@payments-dr/client";

/**
 * The canary's customer journey against one base URL: create a transaction, replay it with the same
 * Idempotency-Key (the API must answer 200 with the same transaction and `Idempotent-Replay: true`), then read it
 * back (200, the transaction POST returned). It goes through the merchants' client (clients/typescript), so the
 * client's signing (apiAuth iam: SigV4 with the canary role's session) and bearer tokens (apiAuth jwt: from the
 * identity provider, functions/canary/token.ts) run against the live API every few minutes. Pure apart from the
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
export type JourneyAuth = { readonly credentials: AwsCredentials } | { readonly bearerToken: string };

export type JourneyDeps = JourneyAuth & {
    readonly fetch: typeof fetch;
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

/**
 * A monitor must see what failed, not a retried success: one attempt per step. (The client's retries and failover
 * are for merchants; tests/client proves them.) The canary run's own timeout is 60 s.
 */
const ONE_ATTEMPT = { maxAttempts: 1, timeoutMs: 10_000, deadlineMs: 15_000 } as const;

/** Runs one step through the client; its typed errors become the step's failure, with the status and the answer. */
async function step<T>(name: string, expected: number, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } catch (error) {
        if (error instanceof PaymentsApiError) {
            throw new JourneyFailure(name, `expected ${expected}, got ${error.status}: ${JSON.stringify(error.body).slice(0, 300)}`);
        }
        if (error instanceof GaveUpError) {
            throw new JourneyFailure(name, error.message);
        }
        throw error;
    }
}

async function healthRole(baseUrl: string, fetchImpl: typeof fetch): Promise<{ status: number; text: string; role: unknown }> {
    const response = await fetchImpl(`${baseUrl}/health`);
    const text = await response.text();
    try {
        return { status: response.status, text, role: (JSON.parse(text) as { role?: unknown }).role };
    } catch {
        throw new JourneyFailure("health", `answer ${response.status} is not JSON: ${text.slice(0, 200)}`);
    }
}

export async function runJourney(target: JourneyTarget, deps: JourneyDeps): Promise<JourneyResult> {
    let region = target.signingRegion;
    if (!region) {
        // GET /health is open and names the role of the region that answers (never the region itself, nor any resource):
        // sign for that role's region (API Gateway checks the scope's region).
        const health = await healthRole(target.baseUrl, deps.fetch);
        const roleRegion = typeof health.role === "string" ? target.regionsByRole?.[health.role] : undefined;
        if (roleRegion === undefined) {
            throw new JourneyFailure("health", `no known role in the answer ${health.status}: ${health.text.slice(0, 200)}`);
        }
        region = roleRegion;
        deps.log(`health: ${health.status}, answered by ${region}`);
    }
    const client = new PaymentsClient({
        endpoints: { failover: { url: target.baseUrl, region } },
        auth: "bearerToken" in deps ? { type: "jwt", token: async () => deps.bearerToken } : { type: "iam", region, credentials: deps.credentials },
        fetch: deps.fetch,
        ...ONE_ATTEMPT,
    });

    const key = deps.newIdempotencyKey();
    const created = await step("create", 201, () => client.createTransaction(CANARY_TRANSACTION, { idempotencyKey: key }));
    const id = created.transaction.id;
    if (created.replayed || !/^txn_[a-z2-7]{26}$/.test(id)) {
        throw new JourneyFailure("create", `expected 201 with a new transaction id, got ${JSON.stringify(created.transaction).slice(0, 200)}`);
    }
    deps.log(`create: 201 ${id} in ${String(created.transaction.region)}`);

    const replay = await step("replay", 200, () => client.createTransaction(CANARY_TRANSACTION, { idempotencyKey: key }));
    if (!replay.replayed) {
        throw new JourneyFailure("replay", "the answer lacks `Idempotent-Replay: true`");
    }
    if (!isDeepStrictEqual(replay.transaction, created.transaction)) {
        throw new JourneyFailure("replay", `a different body for the same Idempotency-Key: ${JSON.stringify(replay.transaction).slice(0, 200)}`);
    }
    deps.log("replay: 200, the same body");

    const read = await step("read", 200, () => client.getTransaction(id));
    if (!isDeepStrictEqual(read.transaction, created.transaction)) {
        throw new JourneyFailure("read", `not the transaction created: ${JSON.stringify(read.transaction).slice(0, 200)}`);
    }
    deps.log("read: 200, the transaction created");
    return { region, transactionId: id };
}
