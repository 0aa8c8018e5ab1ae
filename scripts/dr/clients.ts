import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import type { AwsCredentialIdentity } from "@smithy/types";
import { boundCalls, boundedClientOptions, DR_CALL_LIMITS, type CallLimits, type Deadline } from "./deadline";

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

/** What tests change: where each service of a region answers, the credentials, the limits. */
export interface ClientSettings {
    readonly limits?: CallLimits;
    readonly endpointFor?: (service: "cloudwatch" | "dynamodb" | "s3", region: string) => string | undefined;
    readonly credentials?: AwsCredentialIdentity;
}

/** Every call bounded (deadline.ts): a region that accepts connections and never answers fails the call, named. */
export function createRegionalClients(deadline?: Deadline, settings: ClientSettings = {}): RegionalClients {
    const limits = settings.limits ?? DR_CALL_LIMITS;
    const made = new Map<string, { destroy(): void }>();
    const get = <T extends { destroy(): void }>(key: string, create: () => T): T => {
        let client = made.get(key) as T | undefined;
        if (client === undefined) {
            client = create();
            made.set(key, client);
        }
        return client;
    };
    const options = (service: "cloudwatch" | "dynamodb" | "s3", region: string) => {
        const endpoint = settings.endpointFor?.(service, region);
        return {
            region,
            ...boundedClientOptions(limits),
            ...(endpoint === undefined ? {} : { endpoint }),
            ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
        };
    };
    return {
        cloudwatch: (region) =>
            get(`cloudwatch:${region}`, () => {
                const client = new CloudWatchClient(options("cloudwatch", region));
                boundCalls(client, "cloudwatch", region, limits, deadline);
                return client;
            }),
        dynamodb: (region) =>
            get(`dynamodb:${region}`, () => {
                const client = new DynamoDBClient(options("dynamodb", region));
                boundCalls(client, "dynamodb", region, limits, deadline);
                return client;
            }),
        s3: (region) =>
            get(`s3:${region}`, () => {
                const client = new S3Client({ ...options("s3", region), forcePathStyle: settings.endpointFor !== undefined });
                boundCalls(client, "s3", region, limits, deadline);
                return client;
            }),
        destroy: () => {
            for (const client of made.values()) {
                client.destroy();
            }
            made.clear();
        },
    };
}
