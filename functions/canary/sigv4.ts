import { createHash, createHmac } from "crypto";

/**
 * AWS Signature Version 4 for one HTTP request, as API Gateway's AWS_IAM routes check it (AWS General Reference,
 * "Create a signed AWS API request"): canonical request, string to sign, signing key derived from the date, region
 * and service. Only `host` and the `x-amz-*` headers are signed; query strings are not used by the canary.
 */

export interface Credentials {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    /** Temporary credentials (a Lambda role session) carry one. */
    readonly sessionToken?: string;
}

export interface SignInput {
    readonly method: string;
    readonly url: URL;
    /** Headers sent besides the signature ones (content-type, idempotency-key); not signed. */
    readonly body?: string;
    readonly region: string;
    readonly service: string;
    readonly credentials: Credentials;
    readonly now: Date;
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** `20150830T123600Z` */
export function amzDate(now: Date): string {
    return now
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
}

/** Each path segment URI-encoded once, as SigV4 wants for every service but S3 (which the canary never signs for). */
function canonicalPath(path: string): string {
    return path
        .split("/")
        .map((segment) => encodeURIComponent(decodeURIComponent(segment)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
        .join("/");
}

/** The headers to add to the request: `x-amz-date`, `x-amz-security-token` (if any) and `authorization`. */
export function signRequest(input: SignInput): Record<string, string> {
    const date = amzDate(input.now);
    const day = date.slice(0, 8);
    const signed: Record<string, string> = { host: input.url.host, "x-amz-date": date };
    if (input.credentials.sessionToken) {
        signed["x-amz-security-token"] = input.credentials.sessionToken;
    }
    const names = Object.keys(signed).sort();
    const canonicalRequest = [
        input.method.toUpperCase(),
        canonicalPath(input.url.pathname || "/"),
        "",
        ...names.map((name) => `${name}:${signed[name].trim()}`),
        "",
        names.join(";"),
        sha256Hex(input.body ?? ""),
    ].join("\n");
    const scope = `${day}/${input.region}/${input.service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256Hex(canonicalRequest)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${input.credentials.secretAccessKey}`, day), input.region), input.service), "aws4_request");
    const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
    const { host: _host, ...headers } = signed;
    return {
        ...headers,
        authorization: `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
    };
}
