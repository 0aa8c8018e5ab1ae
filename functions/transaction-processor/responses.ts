import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** The error body every non-2xx response carries. */
export interface ErrorBody {
    readonly error: {
        readonly code: string;
        readonly message: string;
        readonly field?: string;
    };
}

/** A response before serialisation: routes build these, the handler turns them into API Gateway results. */
export interface Reply {
    readonly statusCode: number;
    readonly body: object;
    readonly headers?: Readonly<Record<string, string>>;
}

/** A failure with a client-facing status, code and message: thrown by routes, rendered by the handler. */
export class HttpError extends Error {
    constructor(
        readonly statusCode: number,
        readonly code: string,
        message: string,
        readonly field?: string,
        readonly headers?: Readonly<Record<string, string>>,
    ) {
        super(message);
        this.name = "HttpError";
    }

    toReply(): Reply {
        return errorReply(this.statusCode, this.code, this.message, this.field, this.headers);
    }
}

export function jsonReply(statusCode: number, body: object, headers?: Readonly<Record<string, string>>): Reply {
    return { statusCode, body, headers };
}

export function errorReply(statusCode: number, code: string, message: string, field?: string, headers?: Readonly<Record<string, string>>): Reply {
    const body: ErrorBody = { error: field === undefined ? { code, message } : { code, message, field } };
    return { statusCode, body, headers };
}

/** 500 for anything unexpected: a generic message and the request id, never the cause. */
export function internalErrorReply(requestId: string): Reply {
    return errorReply(500, "INTERNAL_ERROR", `internal error; quote request id ${requestId} when reporting it`);
}

/** Serialises a reply: JSON body, `content-type: application/json`, no caching, the request id. */
export function toApiGatewayResult(reply: Reply, requestId: string): APIGatewayProxyStructuredResultV2 {
    return {
        statusCode: reply.statusCode,
        headers: {
            "content-type": "application/json",
            "cache-control": "no-store",
            "x-request-id": requestId,
            ...reply.headers,
        },
        body: JSON.stringify(reply.body),
        isBase64Encoded: false,
    };
}

/** Case-insensitive header lookup (API Gateway lower-cases names, other callers may not). */
export function headerValue(headers: Readonly<Record<string, string | undefined>> | undefined, name: string): string | undefined {
    if (!headers) {
        return undefined;
    }
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(headers)) {
        if (key.toLowerCase() === wanted) {
            return value;
        }
    }
    return undefined;
}
