import { MIN_ID_KEY_BYTES } from "./ids";
import { MERCHANT_ID_PATTERN } from "./validation";

/**
 * The function's configuration: the environment contract with the Pulumi program, read and
 * validated in one place. Every problem is collected so one log line names all of them.
 */
import type { FenceConfig } from "./fence";
import { FENCE_VARIABLES, readFenceConfig } from "./fence-config";

export const REGION_ROLES = ["primary", "secondary"] as const;
export type RegionRole = (typeof REGION_ROLES)[number];

export const APP_ENVS = ["dev", "staging", "prod"] as const;
export type AppEnv = (typeof APP_ENVS)[number];

/** How API Gateway authenticated the caller: a JWT authorizer or SigV4 (AWS_IAM). */
export const AUTH_MODES = ["jwt", "iam"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** The table's multi-Region consistency: strong (MRSC) or eventual (each Region also keeps its own version). */
export const CONSISTENCY_MODES = ["strong", "eventual"] as const;
export type ConsistencyMode = (typeof CONSISTENCY_MODES)[number];

/** Validated configuration of one container. */
export interface AppConfig {
    /** `TABLE_NAME`: this region's replica of the transactions table. */
    readonly tableName: string;
    /** `BUCKET_NAME`: this region's receipts bucket. */
    readonly bucketName: string;
    /** `APP_REGION`: the region the SDK clients talk to and the `region` stamped on transactions. */
    readonly appRegion: string;
    /** `REGION_ROLE`: `primary` or `secondary`, reported by `/health` and in logs. */
    readonly regionRole: RegionRole;
    /** `KMS_KEY_ID`: this region's CMK, requested for every receipt (SSE-KMS). */
    readonly kmsKeyId: string;
    /** `APP_ENV`: `dev`, `staging` or `prod`. */
    readonly appEnv: AppEnv;
    /** `MAX_AMOUNT_MINOR`: largest accepted amount, in minor units. */
    readonly maxAmountMinor: number;
    /** `S3_FORCE_PATH_STYLE=true`: path-style S3 addressing (local S3 emulators). Defaults to false. */
    readonly s3ForcePathStyle: boolean;
    /** `AUTH_MODE`: where the tenant comes from, the JWT authorizer's claims or the caller's IAM identity. */
    readonly authMode: AuthMode;
    /** `TENANT_CLAIM` (jwt mode only): the claim whose value is the tenant. */
    readonly tenantClaim?: string;
    /** `CONSISTENCY_MODE`: `eventual` also writes this Region's version of every transaction it accepts. */
    readonly consistencyMode: ConsistencyMode;
    /** `REQUIRED_SCOPES` (jwt mode only, JSON `{ "write": ..., "read": ... }`): the scope each kind of route needs. */
    readonly requiredScopes?: RequiredScopes;
    /** `TENANT_ROLE_IDS` (iam mode only, JSON `{ "<role unique id AROA...>": "<merchant id>" }`): the only roles that are tenants. */
    readonly tenantRoleIds?: ReadonlyMap<string, string>;
    /** `TRANSACTION_ID_KEY`: the stack's secret HMAC key for transaction ids (base64, at least 32 bytes). */
    readonly transactionIdKey: Buffer;
    /** `LEGACY_IDS_UNTIL` (YYYY-MM-DD): until the end of that day (UTC), a new key is first looked up under its pre-v3 id. */
    readonly legacyIdsUntil?: Date;
    /** `MERCHANT_RATE_LIMIT` and `MERCHANT_BURST` (both or neither): each merchant's token bucket in this environment. */
    readonly merchantLimit?: { readonly ratePerSecond: number; readonly burst: number };
    /** `FENCE_TABLE_NAME`, `FENCE_TABLE_REGION` (fence-config.ts): the takeover authority fencing this region; primary only. */
    readonly fence?: FenceConfig;
}

/** The scope a token must carry, by kind of route. */
export interface RequiredScopes {
    readonly write: string;
    readonly read: string;
}
export const DEFAULT_REQUIRED_SCOPES: RequiredScopes = { write: "transactions:write", read: "transactions:read" };

export type ConfigResult = { readonly ok: true; readonly config: AppConfig } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Every variable that changes what a container builds. Besides the contract, the SDK reads the
 * endpoint and checksum variables itself when a client is created, so they are part of the key too.
 */
export const CONFIG_VARIABLES = [
    "TABLE_NAME",
    "BUCKET_NAME",
    "APP_REGION",
    "REGION_ROLE",
    "KMS_KEY_ID",
    "APP_ENV",
    "MAX_AMOUNT_MINOR",
    "S3_FORCE_PATH_STYLE",
    "AUTH_MODE",
    "TENANT_CLAIM",
    "CONSISTENCY_MODE",
    "REQUIRED_SCOPES",
    "TENANT_ROLE_IDS",
    "TRANSACTION_ID_KEY",
    "LEGACY_IDS_UNTIL",
    "MERCHANT_RATE_LIMIT",
    "MERCHANT_BURST",
    ...FENCE_VARIABLES,
    "AWS_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_CLOUDWATCH",
    "AWS_REQUEST_CHECKSUM_CALCULATION",
    "AWS_RESPONSE_CHECKSUM_VALIDATION",
] as const;

/** A string identifying the configuration-relevant part of `env`: equal strings, equal containers. */
export function configFingerprint(env: NodeJS.ProcessEnv): string {
    return JSON.stringify(CONFIG_VARIABLES.map((name) => env[name] ?? null));
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** An IAM role's unique id: `AROA` and 16 or more upper-case letters and digits (IAM identifiers reference). */
export const ROLE_UNIQUE_ID_PATTERN = /^AROA[A-Z0-9]{16,}$/;
/** OAuth 2.0 scope token characters (RFC 6749 section 3.3), at most 128. */
const SCOPE_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const POSITIVE_INTEGER = /^[1-9]\d*$/;

/** Reads and validates the configuration; never throws. */
export function readConfig(env: NodeJS.ProcessEnv): ConfigResult {
    const problems: string[] = [];

    const required = (name: string): string => {
        const value = env[name];
        if (value === undefined || value.trim() === "") {
            problems.push(`environment variable ${name} is missing or empty`);
            return "";
        }
        return value.trim();
    };
    const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
        const value = required(name);
        if (value !== "" && !(allowed as readonly string[]).includes(value)) {
            problems.push(`environment variable ${name} must be one of ${allowed.join(", ")}, got "${value}"`);
        }
        return value as T;
    };

    const tableName = required("TABLE_NAME");
    const bucketName = required("BUCKET_NAME");
    const appRegion = required("APP_REGION");
    if (appRegion !== "" && !REGION_PATTERN.test(appRegion)) {
        problems.push(`environment variable APP_REGION must be an AWS region such as us-east-1, got "${appRegion}"`);
    }
    const regionRole = oneOf("REGION_ROLE", REGION_ROLES);
    const kmsKeyId = required("KMS_KEY_ID");
    const appEnv = oneOf("APP_ENV", APP_ENVS);

    const maxAmountText = required("MAX_AMOUNT_MINOR");
    const maxAmountMinor = Number(maxAmountText);
    if (maxAmountText !== "" && (!POSITIVE_INTEGER.test(maxAmountText) || !Number.isSafeInteger(maxAmountMinor))) {
        problems.push(
            `environment variable MAX_AMOUNT_MINOR must be a positive integer no larger than ` + `${Number.MAX_SAFE_INTEGER}, got "${maxAmountText}"`,
        );
    }

    const forcePathStyle = (env.S3_FORCE_PATH_STYLE ?? "").trim().toLowerCase();
    if (forcePathStyle !== "" && forcePathStyle !== "true" && forcePathStyle !== "false") {
        problems.push(`environment variable S3_FORCE_PATH_STYLE must be "true" or "false" when set, got "${forcePathStyle}"`);
    }

    const authMode = oneOf("AUTH_MODE", AUTH_MODES);
    const tenantClaim = authMode === "jwt" ? required("TENANT_CLAIM") : undefined;
    const consistencyMode = oneOf("CONSISTENCY_MODE", CONSISTENCY_MODES);
    const requiredScopes = authMode === "jwt" ? readScopes(env.REQUIRED_SCOPES, problems) : undefined;
    const tenantRoleIds = authMode === "iam" ? readTenantRoleIds(env.TENANT_ROLE_IDS, problems) : undefined;
    const transactionIdKey = readIdKey(env.TRANSACTION_ID_KEY, problems);
    const legacyIdsUntil = readDate("LEGACY_IDS_UNTIL", env.LEGACY_IDS_UNTIL, problems);
    const merchantLimit = readMerchantLimit(env, problems);
    const fence = readFenceConfig(env, problems);

    if (problems.length > 0) {
        return { ok: false, problems };
    }
    return {
        ok: true,
        config: Object.freeze({
            tableName,
            bucketName,
            appRegion,
            regionRole,
            kmsKeyId,
            appEnv,
            maxAmountMinor,
            s3ForcePathStyle: forcePathStyle === "true",
            authMode,
            ...(tenantClaim === undefined ? {} : { tenantClaim }),
            consistencyMode,
            ...(requiredScopes === undefined ? {} : { requiredScopes }),
            ...(tenantRoleIds === undefined ? {} : { tenantRoleIds }),
            transactionIdKey,
            ...(legacyIdsUntil === undefined ? {} : { legacyIdsUntil }),
            ...(merchantLimit === undefined ? {} : { merchantLimit }),
            ...(fence === undefined ? {} : { fence }),
        }),
    };
}

/** A JSON object variable, or undefined (with a problem) when it is not one. */
function jsonObject(name: string, text: string, problems: string[]): Record<string, unknown> | undefined {
    try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
            return parsed as Record<string, unknown>;
        }
    } catch {
        // reported below
    }
    problems.push(`environment variable ${name} must be a JSON object`);
    return undefined;
}

/** Unset means the defaults: a jwt function never runs without scope checks. */
function readScopes(text: string | undefined, problems: string[]): RequiredScopes {
    if (text === undefined || text.trim() === "") {
        return DEFAULT_REQUIRED_SCOPES;
    }
    const object = jsonObject("REQUIRED_SCOPES", text, problems) ?? {};
    const scope = (kind: "write" | "read"): string => {
        const value = object[kind];
        if (typeof value !== "string" || !SCOPE_PATTERN.test(value)) {
            problems.push(`environment variable REQUIRED_SCOPES must name a ${kind} scope (1-128 printable characters, no space, quote or backslash)`);
            return DEFAULT_REQUIRED_SCOPES[kind];
        }
        return value;
    };
    return { write: scope("write"), read: scope("read") };
}

/** Unset or `{}` means no tenant at all: every iam caller is refused. */
function readTenantRoleIds(text: string | undefined, problems: string[]): ReadonlyMap<string, string> {
    const map = new Map<string, string>();
    if (text === undefined || text.trim() === "") {
        return map;
    }
    for (const [roleId, merchant] of Object.entries(jsonObject("TENANT_ROLE_IDS", text, problems) ?? {})) {
        if (!ROLE_UNIQUE_ID_PATTERN.test(roleId) || typeof merchant !== "string" || !MERCHANT_ID_PATTERN.test(merchant)) {
            problems.push("environment variable TENANT_ROLE_IDS must map role unique ids (AROA...) to merchant ids (1-64 of A-Z a-z 0-9 _ -)");
            break;
        }
        map.set(roleId, merchant);
    }
    return map;
}

/** The key's value is a secret: no problem message ever quotes it. */
function readIdKey(text: string | undefined, problems: string[]): Buffer {
    const key = Buffer.from((text ?? "").trim(), "base64");
    if (key.length < MIN_ID_KEY_BYTES) {
        problems.push(`environment variable TRANSACTION_ID_KEY must be base64 of at least ${MIN_ID_KEY_BYTES} random bytes`);
    }
    return key;
}

function readDate(name: string, text: string | undefined, problems: string[]): Date | undefined {
    const value = (text ?? "").trim();
    if (value === "") {
        return undefined;
    }
    const date = new Date(`${value}T23:59:59.999Z`);
    if (!DATE_PATTERN.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
        problems.push(`environment variable ${name} must be a date YYYY-MM-DD, got "${value}"`);
        return undefined;
    }
    return date;
}

function readMerchantLimit(env: NodeJS.ProcessEnv, problems: string[]): AppConfig["merchantLimit"] {
    const rate = (env.MERCHANT_RATE_LIMIT ?? "").trim();
    const burst = (env.MERCHANT_BURST ?? "").trim();
    if (rate === "" && burst === "") {
        return undefined;
    }
    if (!POSITIVE_INTEGER.test(rate) || !POSITIVE_INTEGER.test(burst) || Number(burst) < Number(rate) || Number(burst) > 100_000) {
        problems.push(
            `environment variables MERCHANT_RATE_LIMIT and MERCHANT_BURST must be set together, positive integers with ` +
                `rate <= burst <= 100000, got "${rate}" and "${burst}"`,
        );
        return undefined;
    }
    return { ratePerSecond: Number(rate), burst: Number(burst) };
}
