import * as z from "zod/mini";
import type { $ZodIssue } from "zod/v4/core";
import { ACCEPTED_CURRENCIES } from "./currencies";
import { IDEMPOTENCY_KEY_PATTERN } from "./ids";
import { HttpError } from "./responses";

/** Largest accepted request body, after base64 decoding. */
export const MAX_BODY_BYTES = 16 * 1024;
export const MERCHANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const REFERENCE_MAX_CHARS = 140;
export const METADATA_MAX_ENTRIES = 20;
/** Metadata keys start with a letter, then letters, digits, `_` and `-`. */
export const METADATA_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
export const METADATA_VALUE_MAX_CHARS = 256;
/**
 * UTF-8 bytes that `reference` and metadata keys and values may take together. With the fixed attributes this keeps
 * every stored item within 1 KB, one write unit per write, which the capacity plan counts on (program/capacity.ts;
 * tests/handler/item-size.test.ts measures the largest item).
 */
export const FREEFORM_MAX_BYTES = 320;

const METADATA_KEY_RULE = "metadata keys must be 1-40 characters of A-Z, a-z, 0-9, _ and -, starting with a letter";

/** Control characters and unpaired surrogates (which JSON can smuggle in as `\ud800`). */
const UNSAFE_TEXT = /[\p{Cc}\p{Cs}]/u;

/** A transaction's fields once the merchant is known (the caller's tenant). */
export interface CreateTransactionInput {
    readonly amount: number;
    readonly currency: string;
    readonly merchantId: string;
    readonly reference: string | null;
    readonly metadata?: Readonly<Record<string, string>>;
}

/** The validated body of `POST /transactions`: `merchantId` may be omitted (it is the caller's tenant). */
export type CreateTransactionBody = Omit<CreateTransactionInput, "merchantId"> & { readonly merchantId?: string };

const ALLOWED_FIELDS = ["amount", "currency", "merchantId", "reference", "metadata"];

/** One message per field: "is required" when absent, the rule otherwise. */
function rule(field: string, text: string) {
    return {
        error: (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required` : `${field} ${text}`),
    };
}

/** Length in characters (code points), not UTF-16 units: an emoji counts once. */
function charCount(text: string): number {
    return Array.from(text).length;
}

/**
 * The body schema (zod/mini: the full zod build would add ~430 KiB to the bundle).
 * `MAX_AMOUNT_MINOR` is configuration, so the schema is built once per container.
 */
export function createBodySchema(maxAmountMinor: number) {
    const referenceRule = rule("reference", `must be a string of 1-${REFERENCE_MAX_CHARS} characters without control characters, or null`);
    const metadataValueRule = {
        error: `metadata values must be strings of at most ${METADATA_VALUE_MAX_CHARS} characters without control characters`,
    };
    return z.strictObject({
        amount: z.int(rule("amount", `must be an integer number of minor units from 1 to ${maxAmountMinor}`)).check(z.minimum(1), z.maximum(maxAmountMinor)),
        currency: z.enum(
            ACCEPTED_CURRENCIES as [string, ...string[]],
            rule("currency", "must be an active ISO 4217 alphabetic code in upper case, such as USD or EUR"),
        ),
        merchantId: z.optional(z.string(rule("merchantId", "must be 1-64 characters of A-Z, a-z, 0-9, _ and -")).check(z.regex(MERCHANT_ID_PATTERN))),
        reference: z.optional(
            z.nullable(
                z.string(referenceRule).check(
                    z.refine((text) => {
                        const length = charCount(text);
                        return length >= 1 && length <= REFERENCE_MAX_CHARS && !UNSAFE_TEXT.test(text);
                    }, referenceRule),
                ),
            ),
        ),
        metadata: z.optional(
            z
                .record(
                    z.string().check(z.regex(METADATA_KEY_PATTERN)),
                    z
                        .string(metadataValueRule)
                        .check(z.refine((text) => charCount(text) <= METADATA_VALUE_MAX_CHARS && !UNSAFE_TEXT.test(text), metadataValueRule)),
                    {
                        // A bad key is reported by the record itself, as `invalid_key`.
                        error: (issue: { code?: string }) =>
                            issue.code === "invalid_key" ? METADATA_KEY_RULE : `metadata must be an object of at most ${METADATA_MAX_ENTRIES} string values`,
                    },
                )
                .check(
                    z.refine((entries) => Object.keys(entries).length <= METADATA_MAX_ENTRIES, {
                        error: `metadata must have at most ${METADATA_MAX_ENTRIES} entries`,
                    }),
                ),
        ),
    });
}

export type BodySchema = ReturnType<typeof createBodySchema>;

/** Field names are echoed back, so long ones are cut. */
function shortName(name: string): string {
    return name.length > 40 ? name.slice(0, 40) + "…" : name;
}

/** Turns zod issues into one 400: every problem in the message, the first one's field in `field`. */
function validationError(issues: readonly $ZodIssue[]): HttpError {
    const problems: { field?: string; message: string }[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") {
            const names = issue.keys.map((key) => `"${shortName(key)}"`).join(", ");
            problems.push({
                field: shortName(issue.keys[0]),
                message: `unknown field${issue.keys.length > 1 ? "s" : ""} ${names}; allowed fields are ${ALLOWED_FIELDS.join(", ")}`,
            });
        } else if (issue.path.length === 0) {
            problems.push({ message: "request body must be a JSON object" });
        } else {
            problems.push({ field: issue.path.map((part) => shortName(String(part))).join("."), message: issue.message });
        }
    }
    const shown = problems.slice(0, 5).map((problem) => problem.message);
    if (problems.length > shown.length) {
        shown.push(`and ${problems.length - shown.length} more`);
    }
    return new HttpError(400, "VALIDATION_ERROR", shown.join("; "), problems[0]?.field);
}

/** Validates a parsed JSON body. Throws a 400 `HttpError` naming the offending field. */
export function parseCreateTransactionBody(schema: BodySchema, json: unknown): CreateTransactionBody {
    // zod drops a `__proto__` record key silently (it cannot be assigned safely); refuse it instead,
    // so that no part of what the client sent is ignored.
    const rawMetadata = typeof json === "object" && json !== null ? (json as { metadata?: unknown }).metadata : undefined;
    if (typeof rawMetadata === "object" && rawMetadata !== null && Object.prototype.hasOwnProperty.call(rawMetadata, "__proto__")) {
        throw new HttpError(400, "VALIDATION_ERROR", METADATA_KEY_RULE, "metadata.__proto__");
    }
    const result = schema.safeParse(json);
    if (!result.success) {
        throw validationError(result.error.issues);
    }
    const { amount, currency, merchantId, reference, metadata } = result.data;
    const freeform = [reference ?? "", ...Object.entries(metadata ?? {}).flat()].reduce((sum, text) => sum + Buffer.byteLength(text, "utf8"), 0);
    if (freeform > FREEFORM_MAX_BYTES) {
        throw new HttpError(
            400,
            "VALIDATION_ERROR",
            `reference and metadata (keys and values) together must not exceed ${FREEFORM_MAX_BYTES} bytes of UTF-8; this request has ${freeform}`,
            metadata === undefined ? "reference" : "metadata",
        );
    }
    return {
        amount,
        currency,
        ...(merchantId === undefined ? {} : { merchantId }),
        reference: reference ?? null,
        ...(metadata === undefined ? {} : { metadata }),
    };
}

/**
 * Checks the `Idempotency-Key` header value. Missing and malformed keys are 400s; the key itself is
 * never echoed or logged.
 */
export function parseIdempotencyKey(value: string | undefined): string {
    if (value === undefined || value === "") {
        throw new HttpError(400, "IDEMPOTENCY_KEY_REQUIRED", "the Idempotency-Key header is required", "Idempotency-Key");
    }
    if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
        throw new HttpError(400, "INVALID_IDEMPOTENCY_KEY", "the Idempotency-Key header must be 1-128 characters of A-Z, a-z, 0-9, _ and -", "Idempotency-Key");
    }
    return value;
}

/**
 * Only `application/json` is accepted, optionally with `charset=utf-8`; anything else is 415.
 * Media type and parameter names are case-insensitive (RFC 9110).
 */
export function checkContentType(value: string | undefined): void {
    const [mediaType, ...parameters] = (value ?? "").split(";").map((part) => part.trim().toLowerCase());
    let acceptable = mediaType === "application/json";
    for (const parameter of parameters) {
        const [name, rawValue = ""] = parameter.split("=").map((part) => part.trim());
        if (name === "charset" && rawValue.replace(/^"(.*)"$/, "$1") !== "utf-8") {
            acceptable = false;
        }
    }
    if (!acceptable) {
        throw new HttpError(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "the request body must be JSON: send content-type: application/json (charset utf-8 if any)",
            "content-type",
        );
    }
}

/**
 * Decodes the body (base64 if API Gateway says so) and enforces the size limit on the decoded
 * bytes: 413 above `MAX_BODY_BYTES`.
 */
/**
 * Base64 text of at most `MAX_BODY_BYTES` decoded bytes: 4 characters per 3 bytes, plus padding. The Lambda payload
 * may be 6 MB; anything longer is refused by its length, before a byte of it is decoded or copied.
 */
export const MAX_BASE64_BODY_CHARS = Math.ceil(MAX_BODY_BYTES / 3) * 4;

export function decodeBody(body: string | undefined, isBase64Encoded: boolean | undefined): Buffer {
    const text = body ?? "";
    const tooLarge = () => new HttpError(413, "PAYLOAD_TOO_LARGE", `the request body must not exceed ${MAX_BODY_BYTES} bytes (16 KiB)`);
    // A UTF-16 code unit is at least one UTF-8 byte: more units than the limit is more bytes than the limit.
    if (text.length > (isBase64Encoded ? MAX_BASE64_BODY_CHARS : MAX_BODY_BYTES)) {
        throw tooLarge();
    }
    const bytes = isBase64Encoded ? Buffer.from(text, "base64") : Buffer.from(text, "utf8");
    if (bytes.length > MAX_BODY_BYTES) {
        throw tooLarge();
    }
    return bytes;
}

/** Parses strict UTF-8 JSON: 400 for invalid UTF-8, an empty body or invalid JSON. */
export function parseJson(bytes: Uint8Array): unknown {
    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        throw new HttpError(400, "INVALID_JSON", "the request body is not valid UTF-8");
    }
    if (text.trim() === "") {
        throw new HttpError(400, "INVALID_JSON", "the request body is empty; send a JSON object");
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        throw new HttpError(400, "INVALID_JSON", "the request body is not valid JSON");
    }
}
