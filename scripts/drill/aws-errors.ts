import { DRILL_STATUS_ACTIONS, type DrillStatusAction } from "../../components/takeover/drill-actions";
import { DrCallError } from "../dr/deadline";

/** Turns failures of the Route 53 calls (and the SDK credential chain) into one actionable line. */

/** An SDK error annotated with the IAM action of the call that failed. */
export class Route53CallError extends Error {
    constructor(
        readonly action: DrillStatusAction,
        readonly cause: unknown,
    ) {
        super(`${action} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
        this.name = "Route53CallError";
    }
}

export type AwsErrorKind =
    | "credentials-missing"
    | "sso-expired"
    | "credentials-expired"
    | "credentials-invalid"
    | "access-denied"
    | "not-found"
    | "throttled"
    | "network"
    | "aws-error";

export interface AwsErrorDescription {
    readonly kind: AwsErrorKind;
    /** One line, no stack trace, says what is wrong and how to fix it. */
    readonly message: string;
    readonly exitCode: 2;
}

export interface ErrorContext {
    readonly operatorRoleArn?: string;
    /** `AWS_PROFILE`, to tailor the `aws sso login` hint. */
    readonly profile?: string;
}

const EXPIRED = new Set(["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"]);
const INVALID = new Set([
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidSignatureException",
    "AuthFailure",
]);
const DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "NotAuthorized"]);
const NOT_FOUND = new Set(["NoSuchHealthCheck", "NoSuchHostedZone"]);
const THROTTLED = new Set(["Throttling", "ThrottlingException", "PriorRequestNotComplete", "TooManyRequestsException"]);
const NETWORK = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "TimeoutError"]);

/**
 * Maps an error from the Route 53 calls (or the SDK credential chain) to one actionable line.
 * Recognised by `name`/`code` only, so it works without importing the SDK's error classes.
 */
export function describeAwsError(err: unknown, ctx: ErrorContext = {}): AwsErrorDescription {
    const action = err instanceof Route53CallError ? err.action : undefined;
    const cause = err instanceof Route53CallError ? err.cause : err;
    const e = (typeof cause === "object" && cause !== null ? cause : {}) as { name?: unknown; message?: unknown; code?: unknown; Code?: unknown };
    const name = typeof e.name === "string" ? e.name : "";
    const code = typeof e.Code === "string" ? e.Code : typeof e.code === "string" ? e.code : "";
    const message = typeof e.message === "string" ? e.message.split("\n")[0]!.trim() : String(cause);
    const is = (set: ReadonlySet<string>) => set.has(name) || set.has(code);

    const profile = ctx.profile ? ` --profile ${ctx.profile}` : "";
    const role = ctx.operatorRoleArn ? `the DR operator role ${ctx.operatorRoleArn}` : "the DR operator role";
    const during = action ? ` calling ${action}` : "";
    const describe = (kind: AwsErrorKind, text: string): AwsErrorDescription => ({ kind, message: text, exitCode: 2 });

    if (cause instanceof DrCallError) {
        return describe("network", `${cause.message}; check network access / HTTPS_PROXY and re-run`);
    }
    if (name === "CredentialsProviderError" || name === "TokenProviderError" || /could not load credentials/i.test(message)) {
        if (/sso/i.test(message) && /expired|invalid|refresh|login/i.test(message)) {
            return describe("sso-expired", `AWS SSO session expired or invalid (${message}); run \`aws sso login${profile}\` and re-run`);
        }
        return describe(
            "credentials-missing",
            `no AWS credentials found (${message}); set AWS_PROFILE to a profile for the payments-dr account ` +
                `(run \`aws sso login --profile <name>\` if it uses SSO) or assume ${role}, then re-run`,
        );
    }
    if (is(EXPIRED) || /security token included in the request is expired/i.test(message)) {
        return describe(
            "credentials-expired",
            `AWS credentials expired (${name || code})${during}; refresh them with \`aws sso login${profile}\` or re-assume ${role}, then re-run`,
        );
    }
    if (is(INVALID)) {
        return describe(
            "credentials-invalid",
            `AWS rejected the credentials (${name || code})${during}; check AWS_PROFILE / AWS_ACCESS_KEY_ID point at valid credentials for the payments-dr account, or assume ${role}`,
        );
    }
    if (is(DENIED) || /not authorized to perform/i.test(message)) {
        const denied = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9]+)/i.exec(message)?.[1] ?? action ?? "a Route 53 read action";
        return describe(
            "access-denied",
            `access denied for ${denied}; the current identity lacks ${DRILL_STATUS_ACTIONS.join(", ")} — ` +
                `assume ${role}${ctx.operatorRoleArn ? " (stack output operatorRoleArn)" : ""} or use a profile that has them`,
        );
    }
    if (is(NOT_FOUND)) {
        return describe(
            "not-found",
            `Route 53 says ${name || code}${during} (${message}); the stack outputs do not match the AWS account in use — check AWS_PROFILE points at the payments-dr account and the outputs are current`,
        );
    }
    if (is(THROTTLED)) {
        return describe("throttled", `Route 53 throttled the request${during} (${name || code}) even after retries; wait a few seconds and re-run`);
    }
    if (is(NETWORK)) {
        return describe("network", `could not reach the Route 53 API${during} (${code || name}: ${message}); check network access / HTTPS_PROXY`);
    }
    if (!action) {
        return describe("aws-error", `${name || "Error"}: ${message}`);
    }
    return describe("aws-error", `Route 53 call failed${during}: ${name || "Error"}: ${message}`);
}
