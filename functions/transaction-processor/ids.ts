import { createHash, createHmac } from "crypto";

/**
 * Identifiers derived from the caller's tenant and Idempotency-Key. The transaction id is a pure function of
 * both and of the stack's id key, so "one key, one transaction" per tenant is enforced by a single conditional
 * PutItem, two tenants using the same key get two unrelated transactions, and nobody without the stack's secret
 * can compute the id of a transaction from a guessable key such as an order number (v3: HMAC-SHA-256).
 */

/** Domain separation for the keyed digest; bump the version to change the derivation. */
const IDEMPOTENCY_NAMESPACE = "payments-dr/idempotency/v3:";
/** The unkeyed derivation before v3 (SHA-256, tenant-scoped): only to find transactions stored before the change. */
const LEGACY_IDEMPOTENCY_NAMESPACE = "payments-dr/idempotency/v2:";
/** Shortest accepted id key: 32 bytes, the hash output length RFC 2104 (section 3) asks of an HMAC key at least. */
export const MIN_ID_KEY_BYTES = 32;
const BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
/** 26 base32 characters = 130 bits of the digest. */
const ID_HASH_CHARS = 26;

/** `txn_` + 26 lowercase RFC 4648 base32 characters. */
export const TRANSACTION_ID_PATTERN = /^txn_[a-z2-7]{26}$/;

/** Idempotency-Key: 1-128 characters of `[A-Za-z0-9_-]` (UUIDs and ULIDs fit). */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Lowercase RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
    let out = "";
    let buffer = 0;
    let bits = 0;
    for (const byte of bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
            bits -= 5;
        }
        buffer &= (1 << bits) - 1;
    }
    if (bits > 0) {
        out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
    }
    return out;
}

/** `:` occurs in neither a tenant (merchant id) nor a key, so `tenant:key` is unambiguous. */
function idempotencyDigest(idKey: Uint8Array, tenant: string, idempotencyKey: string): Buffer {
    return createHmac("sha256", idKey).update(`${IDEMPOTENCY_NAMESPACE}${tenant}:${idempotencyKey}`, "utf8").digest();
}

function legacyDigest(tenant: string, idempotencyKey: string): Buffer {
    return createHash("sha256").update(`${LEGACY_IDEMPOTENCY_NAMESPACE}${tenant}:${idempotencyKey}`, "utf8").digest();
}

const idOf = (digest: Buffer) => "txn_" + base32(digest).slice(0, ID_HASH_CHARS);

/** The transaction id for a tenant's Idempotency-Key: `txn_` + base32(HMAC-SHA-256(idKey, namespace + tenant:key))[0..26). */
export function transactionIdFor(idKey: Uint8Array, tenant: string, idempotencyKey: string): string {
    return idOf(idempotencyDigest(idKey, tenant, idempotencyKey));
}

/**
 * The full digest the id is cut from, hex. Stored instead of the raw key: the key never needs to be
 * read back, may carry a client's order number, and the table is replicated and backed up. Keeping all
 * 256 bits also turns a (theoretical) collision of the 130-bit id between two keys into a 409
 * instead of replaying somebody else's transaction.
 */
export function idempotencyKeyHash(idKey: Uint8Array, tenant: string, idempotencyKey: string): string {
    return idempotencyDigest(idKey, tenant, idempotencyKey).toString("hex");
}

/** The id a transaction got before v3 (unkeyed SHA-256): where a replay of a key used before the change finds it. */
export function legacyTransactionIdFor(tenant: string, idempotencyKey: string): string {
    return idOf(legacyDigest(tenant, idempotencyKey));
}

/** The key digest stored on transactions created before v3. */
export function legacyIdempotencyKeyHash(tenant: string, idempotencyKey: string): string {
    return legacyDigest(tenant, idempotencyKey).toString("hex");
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
    if (value === null || typeof value !== "object") {
        return JSON.stringify(value);
    }
    if (Array.isArray(value)) {
        return "[" + value.map(canonicalJson).join(",") + "]";
    }
    const entries = Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => JSON.stringify(key) + ":" + canonicalJson((value as Record<string, unknown>)[key]));
    return "{" + entries.join(",") + "}";
}

export function sha256Hex(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex");
}
