import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * What the fence decides when it cannot read the takeover authority (issue 21 item 4), and the region's own
 * last-known state that makes a new instance decide like the warm ones:
 * - after it has seen a takeover, an instance stays fenced until a successful read says the takeover is over:
 *   no timeout ever lifts the fence;
 * - an instance that saw no takeover keeps accepting writes while the authority is unreadable, unless the region's
 *   last-known state (written by any instance that read a change) is newer and says fenced;
 * - a new instance that has read nothing uses the region's last-known state, and refuses writes when there is none.
 * The one window left open: a partition that begins while no takeover is set. The primary keeps accepting writes
 * until it reads the authority again, even if the standby takes over meanwhile (README "Fencing").
 */

export type FenceSource = "read" | "cache" | "held" | "regional" | "unknown";

export interface FenceState {
    readonly fenced: boolean;
    /**
     * Where the answer came from: a fresh read of the authority, the cache, this instance's last read held
     * while reads fail, the region's last-known state, or nothing at all (refuse).
     */
    readonly source: FenceSource;
}

/** One successful read of the authority: the state, and when the read began. */
export interface Observation {
    readonly fenced: boolean;
    readonly atMs: number;
}

export function decideWhenUnreadable(lastRead: Observation | undefined, regional: Observation | undefined): FenceState {
    if (lastRead?.fenced === true) {
        return { fenced: true, source: "held" };
    }
    if (regional !== undefined && (lastRead === undefined || regional.atMs > lastRead.atMs)) {
        return { fenced: regional.fenced, source: "regional" };
    }
    return lastRead === undefined ? { fenced: true, source: "unknown" } : { fenced: false, source: "held" };
}

/** The region's last-known fence state: one item in the region's own table, beside (never among) the transactions. */
export function regionalFenceKey(region: string): { readonly pk: { S: string }; readonly sk: { S: string } } {
    return { pk: { S: `FENCE#${region}` }, sk: { S: "FENCE" } };
}

/** Reads and records the region's last-known state; failures are the caller's to tolerate. */
export class RegionalFenceMemory {
    constructor(
        private readonly client: Pick<DynamoDBClient, "send">,
        private readonly tableName: string,
        private readonly region: string,
    ) {}

    async read(abortSignal?: AbortSignal): Promise<Observation | undefined> {
        const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: regionalFenceKey(this.region), ConsistentRead: true }), {
            abortSignal,
        });
        const fenced = result.Item?.fenced?.BOOL;
        const atMs = Number(result.Item?.observedAtMs?.N);
        return fenced === undefined || !Number.isFinite(atMs) ? undefined : { fenced, atMs };
    }

    /**
     * Records an observation unless a newer one is already there (instances race; the newest read wins). UpdateItem,
     * not PutItem: the receipt finisher's role may update items but not put them (components/shared/iam.ts).
     */
    async record(observation: Observation, abortSignal?: AbortSignal): Promise<void> {
        try {
            await this.client.send(
                new UpdateItemCommand({
                    TableName: this.tableName,
                    Key: regionalFenceKey(this.region),
                    UpdateExpression: "SET fenced = :fenced, observedAtMs = :at, observedAt = :iso",
                    ConditionExpression: "attribute_not_exists(pk) OR observedAtMs < :at",
                    ExpressionAttributeValues: {
                        ":fenced": { BOOL: observation.fenced },
                        ":at": { N: String(observation.atMs) },
                        ":iso": { S: new Date(observation.atMs).toISOString() },
                    },
                }),
                { abortSignal },
            );
        } catch (error) {
            if ((error as { name?: string }).name !== "ConditionalCheckFailedException") {
                throw error;
            }
        }
    }
}
