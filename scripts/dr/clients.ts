import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";

/**
 * One SDK client per service and region, made on first use. Every call of the DR scripts goes to a named
 * region's endpoint (never a global one): failover only ever asks for the standby region's clients.
 */
export interface RegionalClients {
    cloudwatch(region: string): CloudWatchClient;
    dynamodb(region: string): DynamoDBClient;
    s3(region: string): S3Client;
    /** Closes what this factory made. */
    destroy(): void;
}

/** Fails fast on an unreachable region: short connect timeout, a few attempts. */
const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 10_000 } as const;

export function createRegionalClients(): RegionalClients {
    const made = new Map<string, { destroy(): void }>();
    const get = <T extends { destroy(): void }>(key: string, create: () => T): T => {
        let client = made.get(key) as T | undefined;
        if (client === undefined) {
            client = create();
            made.set(key, client);
        }
        return client;
    };
    const options = (region: string) => ({ region, maxAttempts: 3, requestHandler: REQUEST_HANDLER });
    return {
        cloudwatch: (region) => get(`cloudwatch:${region}`, () => new CloudWatchClient(options(region))),
        dynamodb: (region) => get(`dynamodb:${region}`, () => new DynamoDBClient(options(region))),
        s3: (region) => get(`s3:${region}`, () => new S3Client(options(region))),
        destroy: () => {
            for (const client of made.values()) {
                client.destroy();
            }
            made.clear();
        },
    };
}
