import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { StoreConfig as HealthConfig } from "../transaction-processor/store-config";

/**
 * The two writes every payment needs, made on the region's own resources: a PutItem on the table (this
 * region's health item) and an SSE-KMS PutObject with the region's key on the bucket. A disabled key, a
 * throttled table or a bucket that refuses writes fails them, as it fails payments; reads would not notice.
 */

/** Partition key of this region's health item: one item per region, overwritten on every probe. */
export function healthItemKey(region: string): { pk: string; sk: string } {
    return { pk: `HEALTH#${region}`, sk: "HEALTH" };
}

/** S3 key of this region's probe object, outside `receipts/` (the processor's only prefix). */
export function healthObjectKey(region: string): string {
    return `health/${region}.json`;
}

export interface HealthClients {
    readonly dynamo: DynamoDBClient;
    readonly s3: S3Client;
    destroy(): void;
}

/**
 * One attempt per probe, short socket timeouts: a probe that would need a retry has already failed the
 * check's budget, and Route 53 only fails a region after `failureThreshold` consecutive failures anyway.
 */
export function createHealthClients(config: HealthConfig): HealthClients {
    const requestHandler = { connectionTimeout: 500, requestTimeout: 900, throwOnRequestTimeout: true } as const;
    const dynamo = new DynamoDBClient({ region: config.appRegion, maxAttempts: 1, requestHandler });
    const s3 = new S3Client({ region: config.appRegion, maxAttempts: 1, forcePathStyle: config.s3ForcePathStyle, requestHandler });
    return {
        dynamo,
        s3,
        destroy() {
            dynamo.destroy();
            s3.destroy();
        },
    };
}

export async function writeTableProbe(clients: HealthClients, config: HealthConfig, at: string, abortSignal: AbortSignal): Promise<void> {
    const key = healthItemKey(config.appRegion);
    await clients.dynamo.send(
        new PutItemCommand({
            TableName: config.tableName,
            Item: {
                pk: { S: key.pk },
                sk: { S: key.sk },
                region: { S: config.appRegion },
                role: { S: config.regionRole },
                checkedAt: { S: at },
            },
        }),
        { abortSignal },
    );
}

export async function writeBucketProbe(clients: HealthClients, config: HealthConfig, at: string, abortSignal: AbortSignal): Promise<void> {
    await clients.s3.send(
        new PutObjectCommand({
            Bucket: config.bucketName,
            Key: healthObjectKey(config.appRegion),
            Body: JSON.stringify({ region: config.appRegion, role: config.regionRole, checkedAt: at }),
            ContentType: "application/json",
            // Exactly the receipts' encryption: a disabled or unusable key fails this PUT as it fails theirs.
            ServerSideEncryption: "aws:kms",
            SSEKMSKeyId: config.kmsKeyId,
            BucketKeyEnabled: true,
        }),
        { abortSignal },
    );
}
