import { readAuthority, writeAuthority, type AuthorityState } from "../../functions/takeover-switch/authority";
import type { RegionalClients } from "./clients";
import type { DrOutputs } from "./outputs";
import type { StepLog } from "./steps";

/**
 * The takeover authority's steps (contracts/takeover-authority.ts): read it, and set or clear it with the DR
 * operator role, in the standby region only. The authority is what fences the primary's writes; the metric that
 * follows it moves Route 53.
 */

function describe(state: AuthorityState): string {
    const change = state.changedAt ? ` since ${state.changedAt}${state.changedBy ? ` (${state.changedBy})` : ""}` : "";
    return `${state.set ? "set — the primary is fenced" : "clear"}${change}`;
}

export async function readAuthorityStep(log: StepLog, outputs: DrOutputs, clients: RegionalClients): Promise<AuthorityState> {
    const table = outputs.takeoverAuthority;
    return log.step(
        `read the takeover authority (table ${table.tableName}, ${table.region})`,
        () => readAuthority(clients.dynamodb(table.region), table),
        describe,
    );
}

/** Writes the authority, then reads it back (strongly consistent) to confirm what the fence will read. */
export async function switchAuthorityStep(
    log: StepLog,
    outputs: DrOutputs,
    clients: RegionalClients,
    takeOver: boolean,
    by: string,
    now: () => number,
): Promise<AuthorityState> {
    const table = outputs.takeoverAuthority;
    const fenced = outputs.takeoverObjectives?.fencedSeconds;
    return log.step(
        `${takeOver ? "set" : "clear"} the takeover authority: PutItem ${table.tableName} state=${takeOver ? "set" : "clear"} in ${table.region}` +
            (takeOver && fenced !== undefined ? ` (the primary refuses writes within ${fenced} s)` : ""),
        async () => {
            const client = clients.dynamodb(table.region);
            await writeAuthority(client, table, takeOver, new Date(now()), by);
            const state = await readAuthority(client, table);
            if (state.set !== takeOver) {
                throw new Error(`the takeover authority reads ${state.set ? "set" : "clear"} right after it was written ${takeOver ? "set" : "clear"}`);
            }
            return state;
        },
        describe,
    );
}
