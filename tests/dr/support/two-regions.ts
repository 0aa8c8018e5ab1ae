import { randomUUID } from "crypto";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DAY_INDEX_NAME, DAY_INDEX_PROJECTION, DAY_SHARD_ATTRIBUTE, CREATED_AT_ATTRIBUTE } from "../../../contracts/day-index";
import type { RegionalClients } from "../../../scripts/dr/clients";
import type { DrOutputs } from "../../../scripts/dr/outputs";
import { invoke, postTransactionEvent, validBody, type HandlerResponse } from "../../handler/support/events";
import { EnvSandbox } from "../../handler/support/env-sandbox";
import { handlerEnv } from "../../handler/support/fixture";
import { LOCAL_CREDENTIALS, LocalAws } from "../../handler/support/local-aws";
import { LogCapture } from "../../handler/support/log-capture";

export const REGIONS = { primary: "us-east-1", secondary: "us-west-2" } as const;
type Role = keyof typeof REGIONS;

/**
 * Two "regions" on this machine: each a dynalite and an s3rver (tests/handler/support/local-aws.ts), each
 * with the transactions table (and its createdAt-by-day index) and a documents bucket. Transactions are
 * written by the real handler; replication is done by hand, so a test decides what reached the other side.
 */
export class TwoRegions {
    readonly tableName = `transactions-${randomUUID().slice(0, 8)}`;
    readonly buckets = { primary: `documents-primary-${randomUUID().slice(0, 8)}`, secondary: `documents-secondary-${randomUUID().slice(0, 8)}` };
    readonly env = new EnvSandbox();
    readonly logs = new LogCapture();
    aws!: Record<Role, LocalAws>;

    /** `strong` (one version; the handler's default in tests) or `eventual` (each region also keeps its version). */
    constructor(readonly consistencyMode: "strong" | "eventual" = "strong") {}

    async start(): Promise<void> {
        this.logs.start();
        this.aws = { primary: await LocalAws.start(), secondary: await LocalAws.start() };
        for (const role of ["primary", "secondary"] as const) {
            await this.aws[role].dynamo.send(
                new CreateTableCommand({
                    TableName: this.tableName,
                    AttributeDefinitions: [
                        { AttributeName: "pk", AttributeType: "S" },
                        { AttributeName: "sk", AttributeType: "S" },
                        { AttributeName: DAY_SHARD_ATTRIBUTE, AttributeType: "S" },
                        { AttributeName: CREATED_AT_ATTRIBUTE, AttributeType: "S" },
                    ],
                    KeySchema: [
                        { AttributeName: "pk", KeyType: "HASH" },
                        { AttributeName: "sk", KeyType: "RANGE" },
                    ],
                    GlobalSecondaryIndexes: [
                        {
                            IndexName: DAY_INDEX_NAME,
                            KeySchema: [
                                { AttributeName: DAY_SHARD_ATTRIBUTE, KeyType: "HASH" },
                                { AttributeName: CREATED_AT_ATTRIBUTE, KeyType: "RANGE" },
                            ],
                            Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: [...DAY_INDEX_PROJECTION] },
                        },
                    ],
                    BillingMode: "PAY_PER_REQUEST",
                }),
            );
            await this.aws[role].createBucket(this.buckets[role]);
        }
    }

    async stop(): Promise<void> {
        this.logs.stop();
        this.env.restore();
        await Promise.all(Object.values(this.aws ?? {}).map((aws) => aws.stop()));
    }

    /** POSTs through the real handler, configured as `role`'s function; any answer. */
    async request(role: Role, key: string, body: Record<string, unknown> = validBody()): Promise<HandlerResponse> {
        this.env.set({
            ...handlerEnv(this.aws[role], this.tableName, this.buckets[role]),
            APP_REGION: REGIONS[role],
            REGION_ROLE: role,
            CONSISTENCY_MODE: this.consistencyMode,
        });
        return invoke(postTransactionEvent(body, { idempotencyKey: key }));
    }

    /** POSTs a new transaction; anything but 201 throws. */
    async post(role: Role, key: string, body: Record<string, unknown> = validBody()): Promise<HandlerResponse> {
        const response = await this.request(role, key, body);
        if (response.status !== 201) {
            throw new Error(`POST in ${role} answered ${response.status}: ${response.text}`);
        }
        return response;
    }

    /** Copies a transaction's item (table replication) from one region to the other. */
    async replicateItem(from: Role, id: string): Promise<void> {
        const to: Role = from === "primary" ? "secondary" : "primary";
        const item = await this.aws[from].getItem(this.tableName, { pk: `TXN#${id}`, sk: "TXN" });
        await this.aws[to].putItem(this.tableName, item!);
    }

    /** Copies a receipt (S3 replication) from one region's bucket to the other's. */
    async replicateReceipt(from: Role, receiptKey: string): Promise<void> {
        const to: Role = from === "primary" ? "secondary" : "primary";
        const { text, contentType } = await this.aws[from].getObjectText(this.buckets[from], receiptKey);
        await this.aws[to].s3.send(new PutObjectCommand({ Bucket: this.buckets[to], Key: receiptKey, Body: text, ContentType: contentType }));
    }

    /** Table replication of everything under the id (the transaction item, each version); `item: false` leaves the item (it lost last-writer-wins). */
    async replicateAll(from: Role, id: string, options: { item?: boolean } = {}): Promise<void> {
        const to: Role = from === "primary" ? "secondary" : "primary";
        for (const row of (await this.aws[from].scan(this.tableName)).filter((r) => r.pk === `TXN#${id}`)) {
            if (row.sk !== "TXN" || options.item !== false) {
                await this.aws[to].putItem(this.tableName, row);
            }
        }
    }

    /** S3 replication of every receipt of the id. */
    async replicateReceipts(from: Role, id: string): Promise<void> {
        for (const key of (await this.aws[from].listKeys(this.buckets[from], "receipts/")).filter((k) => k.includes(id))) {
            await this.replicateReceipt(from, key);
        }
    }

    /** Writes an object into a region's bucket, as anyone with access could. */
    async putReceipt(role: Role, key: string, text: string): Promise<void> {
        await this.aws[role].s3.send(new PutObjectCommand({ Bucket: this.buckets[role], Key: key, Body: text, ContentType: "application/json" }));
    }

    async receiptKeyOf(role: Role, id: string): Promise<string> {
        const item = await this.aws[role].getItem(this.tableName, { pk: `TXN#${id}`, sk: "TXN" });
        return item!.receiptKey as string;
    }

    /** The DR scripts' clients, pointed at the local servers of each region. */
    clients(): RegionalClients {
        const byRegion = (region: string): LocalAws => {
            const role = (Object.keys(REGIONS) as Role[]).find((r) => REGIONS[r] === region);
            if (role === undefined) {
                throw new Error(`no local servers for ${region}`);
            }
            return this.aws[role];
        };
        const made: Array<{ destroy(): void }> = [];
        const track = <T extends { destroy(): void }>(client: T): T => {
            made.push(client);
            return client;
        };
        return {
            dynamodb: (region) => track(new DynamoDBClient({ region, endpoint: byRegion(region).dynamoEndpoint, credentials: LOCAL_CREDENTIALS })),
            s3: (region) =>
                track(
                    new S3Client({
                        region,
                        endpoint: byRegion(region).s3Endpoint,
                        forcePathStyle: true,
                        credentials: LOCAL_CREDENTIALS,
                        requestChecksumCalculation: "WHEN_REQUIRED",
                        responseChecksumValidation: "WHEN_REQUIRED",
                    }),
                ),
            cloudwatch: (region) => track(new CloudWatchClient({ region, credentials: LOCAL_CREDENTIALS })),
            destroy: () => made.forEach((client) => client.destroy()),
        };
    }

    /** Stack outputs describing these two regions. */
    outputs(): DrOutputs {
        return {
            primaryRegion: REGIONS.primary,
            secondaryRegion: REGIONS.secondary,
            transactionsTableName: this.tableName,
            primaryBucketName: this.buckets.primary,
            secondaryBucketName: this.buckets.secondary,
            failoverDnsName: "api.dev.payments-dr.acme-pay.net",
            domainMode: "dns-only",
            primaryApiEndpoint: "https://p1.execute-api.us-east-1.amazonaws.com",
            secondaryApiEndpoint: "https://s2.execute-api.us-west-2.amazonaws.com",
            takeoverSignal: {
                region: REGIONS.secondary,
                namespace: "PaymentsDR/Failover",
                metricName: "TakeoverRequested",
                dimensions: { Stack: "dev-abc123" },
                alarmName: "takeover-signal-dev-abc123",
                alarmArn: "arn:aws:cloudwatch:us-west-2:123456789012:alarm:takeover-signal-dev-abc123",
                periodSeconds: 60,
            },
            takeoverAuthority: {
                region: REGIONS.secondary,
                tableName: "takeover-authority-dev-abc123",
                tableArn: "arn:aws:dynamodb:us-west-2:123456789012:table/takeover-authority-dev-abc123",
            },
            reverseReplication: true,
            replicationRuleIds: { primary: "documents-primary-to-secondary", secondary: "documents-secondary-to-primary" },
            dayIndexName: DAY_INDEX_NAME,
        };
    }
}
