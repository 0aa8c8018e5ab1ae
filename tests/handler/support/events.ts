import { randomUUID } from "crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { handler } from "../../../functions/transaction-processor";

/** Builders for API Gateway HTTP API (payload format 2.0) events and a driver for the handler. */

/** The tenant every event carries unless it says otherwise; `validBody()` names the same merchant. */
export const TEST_TENANT = "merchant_42";
/** The claim the test environment's `TENANT_CLAIM` names. */
export const TEST_TENANT_CLAIM = "merchant_id";

/** The scopes a test token carries unless it says otherwise: both routes' defaults. */
export const TEST_SCOPES = "transactions:write transactions:read";
/** The unique id of the test tenant's IAM role (fixture.ts maps it to `TEST_TENANT`). */
export const TEST_ROLE_ID = "AROAEXAMPLETENANT42XX";

/** What a JWT authorizer puts in `requestContext.authorizer` for a token whose tenant claim is `tenant`. */
export function jwtAuthorizer(tenant: string, claim = TEST_TENANT_CLAIM, scope = TEST_SCOPES): Record<string, unknown> {
    return {
        jwt: {
            claims: {
                iss: "https://auth.acme-pay.test/",
                aud: "payments-api",
                sub: `user-of-${tenant}`,
                client_id: `client-of-${tenant}`,
                scope: scope,
                [claim]: tenant,
            },
            scopes: null,
        },
    };
}

/** What an AWS_IAM route puts in `requestContext.authorizer` for a session of `roleName` (unique id `roleId`) in `accountId`. */
export function iamAuthorizer(roleName: string, accountId = "111122223333", roleId = TEST_ROLE_ID): Record<string, unknown> {
    return {
        iam: {
            accessKey: "ASIAEXAMPLEEXAMPLE00",
            accountId,
            callerId: `${roleId}:session-1`,
            cognitoIdentity: null,
            principalOrgId: null,
            userArn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/session-1`,
            userId: `${roleId}:session-1`,
        },
    };
}

export interface EventOptions {
    readonly method: string;
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly isBase64Encoded?: boolean;
    /** Defaults to `$default` (rawPath without a stage prefix). */
    readonly stage?: string;
    /** `requestContext.authorizer`; defaults to a JWT for `TEST_TENANT`, `null` leaves it out. */
    readonly authorizer?: Record<string, unknown> | null;
}

export function apiEvent(options: EventOptions): APIGatewayProxyEventV2 {
    const stage = options.stage ?? "$default";
    const rawPath = stage === "$default" ? options.path : `/${stage}${options.path}`;
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString: "",
        headers: { host: "api.example.test", ...options.headers },
        requestContext: {
            accountId: "111122223333",
            apiId: "api123",
            domainName: "api.example.test",
            domainPrefix: "api",
            http: { method: options.method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
            requestId: `apigw-${randomUUID()}`,
            routeKey: "$default",
            stage,
            time: "01/Jan/2026:00:00:00 +0000",
            timeEpoch: 1767225600000,
            ...(options.authorizer === null ? {} : { authorizer: options.authorizer ?? jwtAuthorizer(TEST_TENANT) }),
        },
        body: options.body,
        isBase64Encoded: options.isBase64Encoded ?? false,
    };
}

export function newIdempotencyKey(): string {
    return `test-${randomUUID()}`;
}

/** A valid `POST /transactions` body. */
export function validBody(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
    return { amount: 1250, currency: "EUR", merchantId: "merchant_42", reference: "order 1001", ...overrides };
}

export interface PostOptions {
    /** `null` omits the header; defaults to a fresh key. */
    readonly idempotencyKey?: string | null;
    /** `null` omits the header; defaults to `application/json`. */
    readonly contentType?: string | null;
    readonly base64?: boolean;
    readonly headers?: Readonly<Record<string, string>>;
    /** `requestContext.authorizer`, as in `EventOptions`. */
    readonly authorizer?: Record<string, unknown> | null;
}

/** `POST /transactions`; a string body is sent as is, anything else as JSON. */
export function postTransactionEvent(body: unknown, options: PostOptions = {}): APIGatewayProxyEventV2 {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const headers: Record<string, string> = { ...options.headers };
    const key = options.idempotencyKey === undefined ? newIdempotencyKey() : options.idempotencyKey;
    if (key !== null) {
        headers["idempotency-key"] = key;
    }
    const contentType = options.contentType === undefined ? "application/json" : options.contentType;
    if (contentType !== null) {
        headers["content-type"] = contentType;
    }
    return apiEvent({
        method: "POST",
        path: "/transactions",
        headers,
        body: options.base64 ? Buffer.from(text, "utf8").toString("base64") : text,
        isBase64Encoded: options.base64 ?? false,
        authorizer: options.authorizer,
    });
}

export function getEvent(path: string, authorizer?: Record<string, unknown> | null): APIGatewayProxyEventV2 {
    return apiEvent({ method: "GET", path, authorizer });
}

/** A Lambda context; `remainingTimeMs` is what `getRemainingTimeInMillis()` answers (default 30 s). */
export function lambdaContext(requestId: string = randomUUID(), remainingTimeMs = 30_000): Context {
    return {
        callbackWaitsForEmptyEventLoop: true,
        functionName: "transaction-processor-test",
        functionVersion: "$LATEST",
        invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:transaction-processor-test",
        memoryLimitInMB: "512",
        awsRequestId: requestId,
        logGroupName: "/aws/lambda/transaction-processor-test",
        logStreamName: "test",
        getRemainingTimeInMillis: () => remainingTimeMs,
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
    };
}

export interface ErrorPayload {
    readonly code: string;
    readonly message: string;
    readonly field?: string;
}

export interface ResponseBody {
    readonly [name: string]: unknown;
    readonly error?: ErrorPayload;
}

export interface HandlerResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** The raw body text, for byte-for-byte comparisons. */
    readonly text: string;
    readonly body: ResponseBody;
    readonly requestId: string;
}

/** Runs the transaction processor as Lambda would and parses its JSON answer (the body must always be JSON). */
export async function invoke(event: APIGatewayProxyEventV2, requestId: string = randomUUID(), remainingTimeMs?: number): Promise<HandlerResponse> {
    return invokeWith(handler, event, requestId, remainingTimeMs);
}

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Runs any API handler (e.g. the health function's) as Lambda would and parses its JSON answer. */
export async function invokeWith(
    fn: ApiHandler,
    event: APIGatewayProxyEventV2,
    requestId: string = randomUUID(),
    remainingTimeMs?: number,
): Promise<HandlerResponse> {
    const result = await fn(event, lambdaContext(requestId, remainingTimeMs));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) {
        headers[name.toLowerCase()] = String(value);
    }
    const text = result.body ?? "";
    return { status: result.statusCode ?? 0, headers, text, body: JSON.parse(text) as ResponseBody, requestId };
}
