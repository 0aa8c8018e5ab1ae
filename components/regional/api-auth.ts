/**
 * How callers of the transactions API authenticate, and how the function finds their tenant. Parsed from
 * stack config (`apiAuth`, `jwtIssuer`, `jwtAudience`, `tenantClaim`); pure, so tests need no runtime.
 */

export const API_AUTH_MODES = ["jwt", "iam"] as const;
export type ApiAuthMode = (typeof API_AUTH_MODES)[number];

/** The claim that names the merchant when the stack does not say otherwise. */
export const DEFAULT_TENANT_CLAIM = "merchant_id";

/** The scopes a jwt route requires unless the stack names others (`jwtWriteScope`, `jwtReadScope`). */
export const DEFAULT_WRITE_SCOPE = "transactions:write";
export const DEFAULT_READ_SCOPE = "transactions:read";

/**
 * In iam mode the tenant is found by the unique id of the IAM role the caller assumed (`AROA…`), in the stack's
 * `tenantRoles` map, never by the role's name: whoever may create roles could name one after any merchant, and a
 * deleted and re-created role gets a new id that no mapping names until an administrator adds it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
export const ROLE_UNIQUE_ID = /^AROA[A-Z0-9]{16,}$/;
/** Merchant ids: as the function checks them (functions/transaction-processor/validation.ts). */
const MERCHANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * At most this many tenant roles: the map travels in the function's environment, which Lambda caps at 4 KB in all
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html); 30 entries take up to about 2.7 KB.
 */
export const MAX_TENANT_ROLES = 30;
/** OAuth 2.0 scope tokens (RFC 6749 section 3.3): printable, no space, quote or backslash. */
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

export type ApiAuth =
    | {
          readonly mode: "iam";
          /**
           * Role unique id (`AROA…`) to merchant id: the only roles that are tenants.
           * @default - none: every caller is refused (403) until an administrator maps its role
           */
          readonly tenantRoles?: Readonly<Record<string, string>>;
      }
    | {
          readonly mode: "jwt";
          /** The token issuer (`iss`), an https URL; API Gateway fetches its keys from `<issuer>/.well-known/openid-configuration`. */
          readonly issuer: string;
          /** Accepted `aud` (or `client_id`) values: at least one. */
          readonly audiences: readonly string[];
          /** The claim whose value is the tenant (merchant id). */
          readonly tenantClaim: string;
          /**
           * The scope `POST /transactions` requires (API Gateway and the function both check it).
           * @default "transactions:write"
           */
          readonly writeScope?: string;
          /**
           * The scope `GET /transactions/{id}` requires.
           * @default "transactions:read"
           */
          readonly readScope?: string;
      };

/** The config keys this module reads. */
export const API_AUTH_KEYS = ["apiAuth", "jwtIssuer", "jwtAudience", "tenantClaim", "jwtWriteScope", "jwtReadScope", "tenantRoles"] as const;

/** Claim names: plain (`merchant_id`), Cognito custom (`custom:merchant_id`) or namespaced URL claims. */
const CLAIM_NAME = /^[A-Za-z0-9_:./-]{1,128}$/;
/** API Gateway's JWT authorizer accepts at most this many audiences. */
export const MAX_JWT_AUDIENCES = 50;

interface ProblemSink {
    /** A key with a bad value: `` `payments-dr:<key>` is "<value>": <rule>. `` */
    add(key: string, value: unknown, rule: string): void;
    /** A free-form problem (a missing key). */
    push(problem: string): void;
}

/** A list value: comma-separated text (or a JSON list of strings, as Pulumi hands over a YAML list). */
function listValue(value: string): string[] | undefined {
    if (value.startsWith("[")) {
        try {
            const parsed = JSON.parse(value) as unknown;
            return Array.isArray(parsed) && parsed.every((entry) => typeof entry === "string") ? parsed.map((entry) => entry.trim()) : undefined;
        } catch {
            return undefined;
        }
    }
    return value.split(",").map((entry) => entry.trim());
}

function issuerProblem(issuer: string): string | undefined {
    let url: URL;
    try {
        url = new URL(issuer);
    } catch {
        return "must be the https URL of the token issuer (the `iss` claim), e.g. https://auth.acme-pay.net/";
    }
    if (url.protocol !== "https:" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
        return "must be an https URL without query, fragment or credentials (API Gateway fetches the issuer's keys over https)";
    }
    return undefined;
}

/**
 * Reads the auth settings. `text(key)` is the trimmed value or undefined; problems go to `sink`, one per key,
 * naming the key, the bad value and what is allowed.
 */
export function parseApiAuth(text: (key: string) => string | undefined, sink: ProblemSink, namespace: string): ApiAuth {
    const modeText = text("apiAuth") ?? "iam";
    if (!(API_AUTH_MODES as readonly string[]).includes(modeText)) {
        sink.add(
            "apiAuth",
            modeText,
            "must be jwt (an OIDC/OAuth 2.0 issuer's tokens, checked by API Gateway) or iam (SigV4-signed requests); " +
                "the transactions API is never unauthenticated",
        );
    }
    const jwtKeys = ["jwtIssuer", "jwtAudience", "tenantClaim", "jwtWriteScope", "jwtReadScope"] as const;
    if (modeText !== "jwt") {
        for (const key of jwtKeys) {
            const value = text(key);
            if (value !== undefined && modeText === "iam") {
                sink.add(
                    key,
                    value,
                    `applies only when \`${namespace}:apiAuth\` is jwt; in iam mode the tenant comes from the caller's IAM role ` +
                        `(\`${namespace}:tenantRoles\`): remove it or set apiAuth to jwt`,
                );
            }
        }
        return { mode: "iam", tenantRoles: parseTenantRoles(text("tenantRoles"), sink) };
    }
    const tenantRolesText = text("tenantRoles");
    if (tenantRolesText !== undefined) {
        sink.add("tenantRoles", tenantRolesText, `applies only when \`${namespace}:apiAuth\` is iam; in jwt mode the tenant is a claim: remove it`);
    }

    const issuer = text("jwtIssuer");
    if (issuer === undefined) {
        sink.push(
            `\`${namespace}:jwtIssuer\` is missing: \`${namespace}:apiAuth\` jwt needs the https URL of the token issuer ` +
                "(pulumi config set jwtIssuer https://auth.acme-pay.net/).",
        );
    } else {
        const problem = issuerProblem(issuer);
        if (problem) {
            sink.add("jwtIssuer", issuer, problem);
        }
    }

    const audienceText = text("jwtAudience");
    let audiences: string[] = [];
    if (audienceText === undefined) {
        sink.push(
            `\`${namespace}:jwtAudience\` is missing: \`${namespace}:apiAuth\` jwt needs the audience (or audiences, ` +
                "comma-separated) the tokens are issued for (pulumi config set jwtAudience payments-api).",
        );
    } else {
        const list = listValue(audienceText);
        if (list === undefined || list.length === 0 || list.some((entry) => entry === "" || /\s/.test(entry))) {
            sink.add("jwtAudience", audienceText, "must be one or more audience values without spaces, comma-separated");
        } else if (new Set(list).size !== list.length || list.length > MAX_JWT_AUDIENCES) {
            sink.add("jwtAudience", audienceText, `must list from 1 to ${MAX_JWT_AUDIENCES} distinct audiences`);
        } else {
            audiences = list;
        }
    }

    const tenantClaim = text("tenantClaim") ?? DEFAULT_TENANT_CLAIM;
    if (!CLAIM_NAME.test(tenantClaim)) {
        sink.add("tenantClaim", tenantClaim, "must be a claim name of 1-128 characters of A-Z, a-z, 0-9 and _ : . / - (e.g. merchant_id)");
    }
    const scope = (key: "jwtWriteScope" | "jwtReadScope", fallback: string): string => {
        const value = text(key) ?? fallback;
        if (!SCOPE.test(value)) {
            sink.add(key, value, "must be one OAuth 2.0 scope: 1-128 printable characters without space, quote or backslash (e.g. transactions:write)");
        }
        return value;
    };
    const writeScope = scope("jwtWriteScope", DEFAULT_WRITE_SCOPE);
    const readScope = scope("jwtReadScope", DEFAULT_READ_SCOPE);
    return { mode: "jwt", issuer: issuer ?? "", audiences, tenantClaim, writeScope, readScope };
}

/** `tenantRoles`: a map (Pulumi hands a YAML map over as JSON text) of role unique ids to merchant ids. */
function parseTenantRoles(value: string | undefined, sink: ProblemSink): Record<string, string> {
    if (value === undefined) {
        return {};
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        parsed = undefined;
    }
    const rule =
        `must map IAM role unique ids (AROA…, from \`aws iam get-role --query Role.RoleId\`) to merchant ids ` +
        `(1-64 characters of A-Z, a-z, 0-9, _ and -), at most ${MAX_TENANT_ROLES} roles`;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        sink.add("tenantRoles", value, rule);
        return {};
    }
    const entries = Object.entries(parsed as Record<string, unknown>);
    if (
        entries.length > MAX_TENANT_ROLES ||
        entries.some(([id, merchant]) => !ROLE_UNIQUE_ID.test(id) || typeof merchant !== "string" || !MERCHANT_ID.test(merchant))
    ) {
        sink.add("tenantRoles", value, rule);
        return {};
    }
    return Object.fromEntries(entries) as Record<string, string>;
}
