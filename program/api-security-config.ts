/**
 * Config of the API's defences besides authentication (components/regional/api-auth.ts): the secret that keys transaction ids,
 * the migration window for ids stored before it and each merchant's request limit. Parsed
 * here so `config.ts` only wires the keys in; the readers are `parseStackSettings`' own (same messages).
 */

export const API_SECURITY_CONFIG_KEYS = ["transactionIdKey", "legacyTransactionIdsUntil", "merchantRateLimit", "merchantBurst"] as const;

export interface ApiSecuritySettings {
    /**
     * `transactionIdKey` (a secret): base64 of at least 32 random bytes, the HMAC key of transaction ids. Unset: the
     * program generates one once (random.RandomBytes, kept secret in the state).
     */
    readonly transactionIdKey?: string;
    /** `legacyTransactionIdsUntil` (YYYY-MM-DD): until then a POST also looks its key up under the pre-v3 id. */
    readonly legacyTransactionIdsUntil?: string;
    /** `merchantRateLimit`/`merchantBurst`: each merchant's token bucket per execution environment; unset: none. */
    readonly merchantLimit?: { readonly ratePerSecond: number; readonly burst: number };
}

/** The readers `parseStackSettings` uses: they record a problem and return the fallback on a bad value. */
export interface SecurityConfigReaders {
    text(key: string): string | undefined;
    integer(key: string, fallback: number | undefined, min: number, max: number, rule: string): number | undefined;
    add(key: string, value: unknown, rule: string): void;
}

/** 32 bytes: the output length of SHA-256, the least RFC 2104 (section 3) asks of an HMAC key. */
export const MIN_TRANSACTION_ID_KEY_BYTES = 32;
/** The function's bucket is one per merchant per environment; above this a limit stops meaning anything. */
export const MAX_MERCHANT_LIMIT = 100_000;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseApiSecurity(read: SecurityConfigReaders): ApiSecuritySettings {
    const transactionIdKey = read.text("transactionIdKey");
    if (transactionIdKey !== undefined && (!BASE64.test(transactionIdKey) || Buffer.from(transactionIdKey, "base64").length < MIN_TRANSACTION_ID_KEY_BYTES)) {
        // Never echo a secret: the problem names the key, not its value.
        read.add(
            "transactionIdKey",
            "(secret, not shown)",
            `must be base64 of at least ${MIN_TRANSACTION_ID_KEY_BYTES} random bytes (pulumi config set --secret transactionIdKey "$(openssl rand -base64 32)")`,
        );
    }

    const until = read.text("legacyTransactionIdsUntil");
    if (until !== undefined && (!DATE.test(until) || new Date(`${until}T00:00:00Z`).toISOString().slice(0, 10) !== until)) {
        read.add("legacyTransactionIdsUntil", until, "must be a date YYYY-MM-DD (the last day a key used before keyed ids may be replayed)");
    }

    const rule = `must be an integer from 1 to ${MAX_MERCHANT_LIMIT}`;
    const rate = read.integer("merchantRateLimit", undefined, 1, MAX_MERCHANT_LIMIT, `${rule} (requests per second per merchant and execution environment)`);
    const burst = read.integer("merchantBurst", undefined, 1, MAX_MERCHANT_LIMIT, `${rule} (a merchant's burst per execution environment)`);
    let merchantLimit: ApiSecuritySettings["merchantLimit"];
    const rateSet = read.text("merchantRateLimit") !== undefined;
    const burstSet = read.text("merchantBurst") !== undefined;
    if (rateSet !== burstSet) {
        const key = rateSet ? "merchantRateLimit" : "merchantBurst";
        read.add(key, read.text(key), "needs `payments-dr:merchantRateLimit` and `payments-dr:merchantBurst` together (set both, or neither for no limit)");
    } else if (rate !== undefined && burst !== undefined) {
        if (burst < rate) {
            read.add("merchantBurst", String(burst), `must be at least \`payments-dr:merchantRateLimit\` (${rate})`);
        } else {
            merchantLimit = { ratePerSecond: rate, burst };
        }
    }

    return {
        ...(transactionIdKey === undefined ? {} : { transactionIdKey }),
        ...(until === undefined ? {} : { legacyTransactionIdsUntil: until }),
        ...(merchantLimit === undefined ? {} : { merchantLimit }),
    };
}
