import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

/**
 * DynamoDB (dynalite, in memory) and S3 (s3rver, in a temp dir) on 127.0.0.1 random ports, plus
 * plain SDK clients for arranging and asserting. Real wire protocols, no SDK mocks.
 */

// Neither package ships type declarations; these are the parts used here.
type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => http.Server;
interface S3rverInstance {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    httpServer?: http.Server;
}
type S3rverConstructor = new (options: { address: string; port: number; silent: boolean; directory: string; resetOnClose: boolean }) => S3rverInstance;
const dynalite = require("dynalite") as DynaliteFactory;
const S3rver = require("s3rver") as S3rverConstructor;

/** s3rver only knows this key pair; dynalite accepts anything. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
export const LOCAL_REGION = "us-east-1";

function listen(server: http.Server): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });
}

/** Closes a server and every connection on it (keep-alive sockets included), so nothing lingers. */
export function closeServer(server: http.Server): Promise<void> {
    return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
    });
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
    const server = http.createServer();
    const port = await listen(server);
    await closeServer(server);
    return port;
}

export class LocalAws {
    readonly dynamo: DynamoDBClient;
    readonly doc: DynamoDBDocumentClient;
    readonly s3: S3Client;
    private s3rver?: S3rverInstance;

    private constructor(
        private readonly dynaliteServer: http.Server,
        readonly dynamoPort: number,
        readonly s3Port: number,
        private readonly s3Directory: string,
        s3rver: S3rverInstance,
    ) {
        this.s3rver = s3rver;
        this.dynamo = new DynamoDBClient({
            region: LOCAL_REGION,
            endpoint: this.dynamoEndpoint,
            credentials: LOCAL_CREDENTIALS,
        });
        this.doc = DynamoDBDocumentClient.from(this.dynamo);
        this.s3 = new S3Client({
            region: LOCAL_REGION,
            endpoint: this.s3Endpoint,
            forcePathStyle: true,
            credentials: LOCAL_CREDENTIALS,
            requestChecksumCalculation: "WHEN_REQUIRED",
            responseChecksumValidation: "WHEN_REQUIRED",
        });
    }

    get dynamoEndpoint(): string {
        return `http://127.0.0.1:${this.dynamoPort}`;
    }

    get s3Endpoint(): string {
        return `http://127.0.0.1:${this.s3Port}`;
    }

    static async start(): Promise<LocalAws> {
        const dynaliteServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        const dynamoPort = await listen(dynaliteServer);
        const s3Directory = fs.mkdtempSync(path.join(os.tmpdir(), "payments-dr-s3-"));
        const s3rver = LocalAws.newS3rver(0, s3Directory);
        const { port } = await s3rver.run();
        return new LocalAws(dynaliteServer, dynamoPort, port, s3Directory, s3rver);
    }

    private static newS3rver(port: number, directory: string): S3rverInstance {
        return new S3rver({ address: "127.0.0.1", port, silent: true, directory, resetOnClose: false });
    }

    /** Stops S3 (keeping its files): the port then refuses connections. */
    async stopS3(): Promise<void> {
        const running = this.s3rver;
        this.s3rver = undefined;
        if (running?.httpServer) {
            await closeServer(running.httpServer);
        }
    }

    /** Starts S3 again on the same port and directory. */
    async startS3(): Promise<void> {
        const s3rver = LocalAws.newS3rver(this.s3Port, this.s3Directory);
        await s3rver.run();
        this.s3rver = s3rver;
    }

    async createTable(tableName: string): Promise<void> {
        await this.dynamo.send(
            new CreateTableCommand({
                TableName: tableName,
                AttributeDefinitions: [
                    { AttributeName: "pk", AttributeType: "S" },
                    { AttributeName: "sk", AttributeType: "S" },
                ],
                KeySchema: [
                    { AttributeName: "pk", KeyType: "HASH" },
                    { AttributeName: "sk", KeyType: "RANGE" },
                ],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
    }

    async createBucket(bucket: string): Promise<void> {
        await this.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }

    /** Empties and deletes a bucket. */
    async deleteBucket(bucket: string): Promise<void> {
        for (const key of await this.listKeys(bucket)) {
            await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        }
        await this.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    }

    async scan(tableName: string): Promise<Record<string, unknown>[]> {
        const items: Record<string, unknown>[] = [];
        let startKey: Record<string, unknown> | undefined;
        do {
            const page = await this.doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
            items.push(...(page.Items ?? []));
            startKey = page.LastEvaluatedKey;
        } while (startKey !== undefined);
        return items;
    }

    async getItem(tableName: string, key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
        const result = await this.doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
        return result.Item;
    }

    async putItem(tableName: string, item: Record<string, unknown>): Promise<void> {
        await this.doc.send(new PutCommand({ TableName: tableName, Item: item }));
    }

    async listKeys(bucket: string, prefix?: string): Promise<string[]> {
        const keys: string[] = [];
        let token: string | undefined;
        do {
            const page = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
            keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ""));
            token = page.NextContinuationToken;
        } while (token !== undefined);
        return keys;
    }

    async deleteObject(bucket: string, key: string): Promise<void> {
        await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    }

    async getObjectText(bucket: string, key: string): Promise<{ text: string; contentType?: string }> {
        const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return { text: (await object.Body?.transformToString("utf8")) ?? "", contentType: object.ContentType };
    }

    async stop(): Promise<void> {
        this.dynamo.destroy();
        this.s3.destroy();
        await this.stopS3();
        await closeServer(this.dynaliteServer);
        fs.rmSync(this.s3Directory, { recursive: true, force: true });
    }
}
