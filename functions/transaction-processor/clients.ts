import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import type { AppConfig } from "./env";

/** SDK clients of one container: built once, reused by every invocation. */
export interface AwsClients {
    readonly dynamo: DynamoDBDocumentClient;
    readonly s3: S3Client;
    /** Closes keep-alive sockets. Lambda never needs it; a rebuilt container (new env) does. */
    destroy(): void;
}

/**
 * Data-plane timeouts. API Gateway gives up after 30 s; three attempts of at most ~3 s each keep a
 * slow dependency well inside that, and a 1 s connect timeout fails fast on a dead endpoint.
 */
const REQUEST_HANDLER = {
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    throwOnRequestTimeout: true,
} as const;
const MAX_ATTEMPTS = 3;

/**
 * Builds the clients. Region comes from `APP_REGION`. Endpoints and checksum behaviour are left
 * to the SDK, which reads `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3`,
 * `AWS_REQUEST_CHECKSUM_CALCULATION` and friends itself; `S3_FORCE_PATH_STYLE=true` is ours.
 */
export function createClients(config: Pick<AppConfig, "appRegion" | "s3ForcePathStyle">): AwsClients {
    const base = new DynamoDBClient({
        region: config.appRegion,
        maxAttempts: MAX_ATTEMPTS,
        requestHandler: REQUEST_HANDLER,
    });
    const dynamo = DynamoDBDocumentClient.from(base, {
        marshallOptions: { removeUndefinedValues: true },
    });
    const s3 = new S3Client({
        region: config.appRegion,
        maxAttempts: MAX_ATTEMPTS,
        forcePathStyle: config.s3ForcePathStyle,
        requestHandler: REQUEST_HANDLER,
    });
    return {
        dynamo,
        s3,
        destroy() {
            base.destroy(); // the document client shares the base client's request handler
            s3.destroy();
        },
    };
}
