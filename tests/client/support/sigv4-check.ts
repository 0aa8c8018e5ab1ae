import { createHash, createHmac } from "crypto";
import type { IncomingHttpHeaders } from "http";

/**
 * What API Gateway does for an AWS_IAM route, written independently of the client's signer: rebuild the canonical
 * request from what arrived (method, path, the headers the signature lists, the body), derive the key from the
 * caller's secret, compare signatures, and check the scope's region and service and the clock skew
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */

export interface KnownCaller {
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
    /** The role the session belongs to (the tenant: payments-tenant-<merchant id>). */
    readonly roleName: string;
    /** The role's unique id (`AROA…`), which API Gateway passes on in `userId`. */
    readonly roleId?: string;
}

export type SignatureCheck = { readonly ok: true; readonly caller: KnownCaller } | { readonly ok: false; readonly why: string };

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
/** SigV4 refuses requests more than 15 minutes from the server's clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const sha256 = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

function headerText(headers: IncomingHttpHeaders, name: string): string {
    const value = headers[name];
    return (Array.isArray(value) ? value.join(",") : (value ?? "")).trim().replace(/\s+/g, " ");
}

export function checkSignature(
    request: { method: string; path: string; headers: IncomingHttpHeaders; body: string },
    region: string,
    callers: ReadonlyMap<string, KnownCaller>,
    /** AWS's own test suite signs for `service` in 2015: both can be given. */
    options: { readonly service?: string; readonly now?: number } = {},
): SignatureCheck {
    const expectedService = options.service ?? "execute-api";
    const match = AUTHORIZATION.exec(headerText(request.headers, "authorization"));
    if (match === null) {
        return { ok: false, why: "no SigV4 authorization header" };
    }
    const [, accessKeyId, day, scopeRegion, service, signedHeaders, signature] = match;
    const caller = callers.get(accessKeyId);
    if (caller === undefined) {
        return { ok: false, why: "unknown access key" };
    }
    if (scopeRegion !== region || service !== expectedService) {
        return { ok: false, why: `signed for ${scopeRegion}/${service}, not ${region}/${expectedService}` };
    }
    const amzDate = headerText(request.headers, "x-amz-date");
    const when = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    if (!amzDate.startsWith(day) || Number.isNaN(when) || Math.abs((options.now ?? Date.now()) - when) > MAX_SKEW_MS) {
        return { ok: false, why: "x-amz-date missing, off the scope's day, or skewed" };
    }
    const names = signedHeaders.split(";");
    if (!names.includes("host") || !names.includes("x-amz-date")) {
        return { ok: false, why: "host and x-amz-date must be signed" };
    }
    if (
        caller.sessionToken !== undefined &&
        (!names.includes("x-amz-security-token") || headerText(request.headers, "x-amz-security-token") !== caller.sessionToken)
    ) {
        return { ok: false, why: "session token missing or not signed" };
    }
    const canonicalRequest = [
        request.method,
        request.path
            .split("/")
            .map((segment) => encodeURIComponent(decodeURIComponent(segment)))
            .join("/"),
        "",
        ...names.map((name) => `${name}:${headerText(request.headers, name)}`),
        "",
        signedHeaders,
        sha256(request.body),
    ].join("\n");
    const scope = `${day}/${scopeRegion}/${service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${caller.secretAccessKey}`, day), scopeRegion), service), "aws4_request");
    const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
    return expected === signature ? { ok: true, caller } : { ok: false, why: "signature does not match" };
}
