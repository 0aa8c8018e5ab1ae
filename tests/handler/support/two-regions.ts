import { randomUUID } from "crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { EnvSandbox } from "./env-sandbox";
import { invoke, type HandlerResponse } from "./events";
import { handlerEnv } from "./fixture";
import { LocalAws } from "./local-aws";
import { LogCapture } from "./log-capture";

/**
 * Two simulated Regions: each its own DynamoDB (dynalite) and S3 (s3rver) with the same table and bucket names,
 * and `replicate()` standing in for global-table and S3 replication: it copies every item and object both ways,
 * and where both Regions hold one, the last writer wins, as in a global table (multi-Region eventual consistency).
 * Nothing replicates until `replicate()` is called, which is exactly the window a cross-region retry can hit.
 */

export const REGION_A = { name: "us-east-1", role: "primary" } as const;
export const REGION_B = { name: "us-west-2", role: "secondary" } as const;
export type SimulatedRegion = typeof REGION_A | typeof REGION_B;

type Item = Record<string, unknown>;

/** When an item was last written: DynamoDB keeps this privately; our items carry it in their own timestamps. */
function lastWritten(item: Item): string {
    return String(item.receiptStoredAt ?? item.createdAt ?? "");
}

export class TwoRegions {
    readonly env = new EnvSandbox();
    readonly logs = new LogCapture();
    readonly tableName = `transactions-${randomUUID().slice(0, 8)}`;
    readonly bucketName = `receipts-${randomUUID().slice(0, 8)}`;
    a!: LocalAws;
    b!: LocalAws;

    async start(): Promise<void> {
        this.logs.start();
        [this.a, this.b] = await Promise.all([LocalAws.start(), LocalAws.start()]);
        for (const aws of [this.a, this.b]) {
            await aws.createTable(this.tableName);
            await aws.createBucket(this.bucketName);
        }
    }

    async stop(): Promise<void> {
        this.logs.stop();
        this.env.restore();
        await Promise.all([this.a?.stop(), this.b?.stop()]);
    }

    servers(region: SimulatedRegion): LocalAws {
        return region === REGION_A ? this.a : this.b;
    }

    /** Runs one request in `region`: the function's environment as deployed there, pointed at that Region's servers. */
    async call(region: SimulatedRegion, event: APIGatewayProxyEventV2, extraEnv: Record<string, string | undefined> = {}): Promise<HandlerResponse> {
        this.env.set({
            ...handlerEnv(this.servers(region), this.tableName, this.bucketName),
            APP_REGION: region.name,
            REGION_ROLE: region.role,
            CONSISTENCY_MODE: "eventual",
            ...extraEnv,
        });
        return invoke(event);
    }

    /**
     * Replication, both ways. Items: copied where missing; where both Regions hold one, the later write wins
     * (`winner` forces a side, to test both outcomes). Objects: copied where missing (a key both Regions wrote
     * keeps each Region's own object here; versioned S3 buckets would keep both versions).
     */
    async replicate(winner?: SimulatedRegion): Promise<void> {
        const [itemsA, itemsB] = await Promise.all([this.a.scan(this.tableName), this.b.scan(this.tableName)]);
        const key = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;
        const inB = new Map(itemsB.map((item) => [key(item), item]));
        const inA = new Map(itemsA.map((item) => [key(item), item]));
        for (const [k, itemA] of inA) {
            const itemB = inB.get(k);
            if (itemB === undefined) {
                await this.b.putItem(this.tableName, itemA);
            } else if (JSON.stringify(itemA) !== JSON.stringify(itemB)) {
                const aWins = winner === undefined ? lastWritten(itemA) >= lastWritten(itemB) : winner === REGION_A;
                await (aWins ? this.b.putItem(this.tableName, itemA) : this.a.putItem(this.tableName, itemB));
            }
        }
        for (const [k, itemB] of inB) {
            if (!inA.has(k)) {
                await this.a.putItem(this.tableName, itemB);
            }
        }
        await this.replicateObjects(this.a, this.b);
        await this.replicateObjects(this.b, this.a);
    }

    private async replicateObjects(from: LocalAws, to: LocalAws): Promise<void> {
        const existing = new Set(await to.listKeys(this.bucketName));
        for (const key of await from.listKeys(this.bucketName)) {
            if (existing.has(key)) {
                continue;
            }
            const object = await from.s3.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
            const body = await object.Body!.transformToString("utf8");
            await to.s3.send(new PutObjectCommand({ Bucket: this.bucketName, Key: key, Body: body, ContentType: object.ContentType }));
        }
    }
}

/** Registers before/after hooks (call inside `describe`) for two simulated Regions. */
export function useTwoRegions(): TwoRegions {
    const regions = new TwoRegions();
    before(async () => regions.start());
    afterEach(() => regions.logs.clear());
    after(async () => regions.stop());
    return regions;
}
