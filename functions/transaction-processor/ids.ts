import { createHash } from "crypto";

/**
 * Identifiers derived from the caller's tenant and Idempotency-Key. The transaction id is a pure function of
 * both, so "one key, one transaction" per tenant is enforced by a single conditional PutItem, and two tenants
 * using the same key get two unrelated transactions.
 */

/** Domain separation for the digest; bump the version to change the derivation (v2: tenant-scoped). */
const IDEMPOTENCY_NAMESPACE = "payments-dr/idempotency/v2:";
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
function idempotencyDigest(tenant: string, idempotencyKey: string): Buffer {
    return createHash("sha256").update(`${IDEMPOTENCY_NAMESPACE}${tenant}:${idempotencyKey}`, "utf8").digest();
}

/** The transaction id for a tenant's Idempotency-Key: `txn_` + base32(SHA-256(namespace + tenant:key))[0..26). */
export function transactionIdFor(tenant: string, idempotencyKey: string): string {
    return "txn_" + base32(idempotencyDigest(tenant, idempotencyKey)).slice(0, ID_HASH_CHARS);
}

/**
 * The full digest the id is cut from, hex. Stored instead of the raw key: the key never needs to be
 * read back, may carry a client's order number, and the table is replicated and backed up. Keeping all
 * 256 bits also turns a (theoretical) collision of the 130-bit id between two keys into a 409
 * instead of replaying somebody else's transaction.
 */
export function idempotencyKeyHash(tenant: string, idempotencyKey: string): string {
    return idempotencyDigest(tenant, idempotencyKey).toString("hex");
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
