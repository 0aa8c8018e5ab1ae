import { createHash, createHmac, type Hash, type Hmac } from "crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AuthInput, AwsCredentials, Endpoint } from "./options";

/** What a request needs signed or authorised: everything SigV4 covers. */
export interface OutgoingRequest {
    readonly method: string;
    readonly url: URL;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
}

/** Adds the authentication headers to one attempt (a fresh signature or token each time). */
export type Authenticator = (request: OutgoingRequest, endpoint: Endpoint) => Promise<Record<string, string>>;

/** SHA-256 and HMAC-SHA256 from Node's crypto, in the shape SignatureV4 takes (no extra hashing package). */
class NodeSha256 {
    private readonly hash: Hash | Hmac;
    constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
    }
    update(data: string | ArrayBuffer | ArrayBufferView): void {
        this.hash.update(toBuffer(data));
    }
    async digest(): Promise<Uint8Array> {
        return new Uint8Array(this.hash.digest());
    }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
    if (typeof data === "string") {
        return Buffer.from(data, "utf8");
    }
    return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/**
 * SigV4 for API Gateway (`execute-api`) in the endpoint's region, signing host, body, `x-amz-date` and every
 * header the request carries (content type and Idempotency-Key included), so none can be changed on the way.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html
 */
function iamAuthenticator(auth: Extract<AuthInput, { type: "iam" }>): Authenticator {
    const credentials = auth.credentials ?? defaultProvider();
    const provider = typeof credentials === "function" ? credentials : async (): Promise<AwsCredentials> => credentials;
    const signers = new Map<string, SignatureV4>();
    return async (request, endpoint) => {
        const region = endpoint.regionKnown ? endpoint.region : auth.region!;
        let signer = signers.get(region);
        if (signer === undefined) {
            signer = new SignatureV4({ service: "execute-api", region, credentials: provider, sha256: NodeSha256 });
            signers.set(region, signer);
        }
        const { url } = request;
        const signed = await signer.sign({
            method: request.method,
            protocol: url.protocol,
            hostname: url.hostname,
            port: url.port === "" ? undefined : Number(url.port),
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers: { ...request.headers, host: url.host },
            body: request.body,
        });
        const { host: _host, ...headers } = signed.headers;
        return headers;
    };
}

export function createAuthenticator(auth: AuthInput): Authenticator {
    if (auth.type === "jwt") {
        return async () => ({ authorization: `Bearer ${await auth.token()}` });
    }
    return iamAuthenticator(auth);
}
