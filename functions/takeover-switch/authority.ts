import { GetItemCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AUTHORITY_CLEAR, AUTHORITY_ITEM_KEY, AUTHORITY_KEY_ATTRIBUTE, AUTHORITY_SET, type AuthorityItem } from "../../contracts/takeover-authority";

/** Where the authority lives (contracts/takeover-authority.ts): a table in the standby region. */
export interface AuthorityTable {
    readonly region: string;
    readonly tableName: string;
}

/** What the authority says; `never` when no takeover was ever recorded (no item: clear). */
export interface AuthorityState {
    readonly set: boolean;
    readonly changedAt?: string;
    readonly changedBy?: string;
}

const KEY = { [AUTHORITY_KEY_ATTRIBUTE]: { S: AUTHORITY_ITEM_KEY } };

/** A strongly consistent read of the item: the fence must never act on a stale copy of a change. */
export async function readAuthority(client: Pick<DynamoDBClient, "send">, table: AuthorityTable, abortSignal?: AbortSignal): Promise<AuthorityState> {
    const result = await client.send(new GetItemCommand({ TableName: table.tableName, Key: KEY, ConsistentRead: true }), { abortSignal });
    const item = result.Item;
    if (item === undefined) {
        return { set: false };
    }
    const state = item.state?.S;
    if (state !== AUTHORITY_SET && state !== AUTHORITY_CLEAR) {
        // Not a value the writers ever write: refuse to guess (the fence keeps its last known state).
        throw Object.assign(new Error(`takeover authority item has state ${JSON.stringify(state)}`), { name: "AuthorityUnreadable" });
    }
    return { set: state === AUTHORITY_SET, changedAt: item.changedAt?.S, changedBy: item.changedBy?.S };
}

/** Sets (takeover) or clears (failback) the authority. Only the operator and takeover-switch roles may. */
export async function writeAuthority(client: Pick<DynamoDBClient, "send">, table: AuthorityTable, takeOver: boolean, at: Date, by: string): Promise<void> {
    const item: AuthorityItem = { state: takeOver ? AUTHORITY_SET : AUTHORITY_CLEAR, changedAt: at.toISOString(), changedBy: by };
    await client.send(
        new PutItemCommand({
            TableName: table.tableName,
            Item: { ...KEY, state: { S: item.state }, changedAt: { S: item.changedAt }, changedBy: { S: item.changedBy } },
        }),
    );
}
