import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { writeAuthority, type AuthorityTable } from "./authority";
import { publishSignal, type SignalMetric } from "./publish";

/**
 * takeover-switch: the ARC Region switch plan's custom action. Sets (`TAKEOVER_VALUE=1`) or clears (`0`) the
 * takeover authority and the takeover signal in the standby region, whichever region this copy runs in: set writes
 * the authority first (the primary is fenced before Route 53 moves), clear publishes the metric first. The value is fixed per function
 * (one pair of functions per workflow), so nothing in the invocation event can flip it.
 */

interface SwitchConfig {
    readonly signal: SignalMetric;
    readonly authority: AuthorityTable;
    readonly takeOver: boolean;
}

/** Reads `TAKEOVER_SIGNAL` (JSON: region, namespace, metricName, dimensions) and `TAKEOVER_VALUE` (1 or 0). */
export function readSwitchConfig(env: NodeJS.ProcessEnv): SwitchConfig {
    const value = env.TAKEOVER_VALUE;
    if (value !== "1" && value !== "0") {
        throw new Error(`environment variable TAKEOVER_VALUE must be 1 or 0, got ${JSON.stringify(value)}`);
    }
    let signal: SignalMetric;
    try {
        signal = JSON.parse(env.TAKEOVER_SIGNAL ?? "") as SignalMetric;
    } catch {
        throw new Error("environment variable TAKEOVER_SIGNAL must be the takeover signal as JSON");
    }
    if (
        typeof signal?.region !== "string" ||
        typeof signal.namespace !== "string" ||
        typeof signal.metricName !== "string" ||
        typeof signal.dimensions !== "object"
    ) {
        throw new Error("environment variable TAKEOVER_SIGNAL lacks region, namespace, metricName or dimensions");
    }
    let authority: AuthorityTable;
    try {
        authority = JSON.parse(env.TAKEOVER_AUTHORITY ?? "") as AuthorityTable;
    } catch {
        throw new Error("environment variable TAKEOVER_AUTHORITY must be the takeover authority as JSON");
    }
    if (typeof authority?.region !== "string" || typeof authority.tableName !== "string") {
        throw new Error("environment variable TAKEOVER_AUTHORITY lacks region or tableName");
    }
    return { signal, authority, takeOver: value === "1" };
}

let client: CloudWatchClient | undefined;
let dynamo: DynamoDBClient | undefined;

export async function handler(): Promise<{ readonly published: number; readonly region: string; readonly at: string }> {
    const { signal, authority, takeOver } = readSwitchConfig(process.env);
    client ??= new CloudWatchClient({ region: signal.region, maxAttempts: 5 });
    dynamo ??= new DynamoDBClient({ region: authority.region, maxAttempts: 5 });
    const at = new Date();
    if (takeOver) {
        await writeAuthority(dynamo, authority, true, at, "ARC Region switch plan");
    }
    await publishSignal(client, signal, takeOver, at);
    if (!takeOver) {
        await writeAuthority(dynamo, authority, false, at, "ARC Region switch plan");
    }
    // One JSON line for the plan execution's log: what was published, where, when.
    process.stdout.write(
        `${JSON.stringify({ level: "info", message: "takeover signal published", value: takeOver ? 1 : 0, region: signal.region, at: at.toISOString() })}\n`,
    );
    return { published: takeOver ? 1 : 0, region: signal.region, at: at.toISOString() };
}
