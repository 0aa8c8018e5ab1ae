/**
 * The transactions table's multi-Region consistency: `strong` (DynamoDB multi-Region strong consistency, MRSC:
 * two replicas and a witness, a write is acknowledged once a second Region has it, so RPO 0) or `eventual`
 * (multi-Region eventual consistency, MREC: asynchronous replication, last writer wins). Parsed from stack config
 * (`consistency`, `witnessRegion`); pure, so tests need no runtime.
 *
 * AWS facts relied on:
 * - An MRSC global table has three Regions (three replicas, or two replicas and a witness), all in one Region
 *   set: US us-east-1, us-east-2, us-west-2; EU eu-west-1, eu-west-2, eu-west-3, eu-central-1; AP
 *   ap-northeast-1, ap-northeast-2, ap-northeast-3; the witness differs from the replicas
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-globaltablewitness.html).
 * - MRSC tables support neither Time to Live, local secondary indexes nor transactions (TransactWriteItems,
 *   TransactGetItems), and a global table's consistency mode cannot be changed after it is created
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html).
 */

export const CONSISTENCY_MODES = ["strong", "eventual"] as const;
export type ConsistencyMode = (typeof CONSISTENCY_MODES)[number];

/** The Region sets an MRSC table may span (AWS lists no others). */
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
    US: ["us-east-1", "us-east-2", "us-west-2"],
    EU: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
    AP: ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
};

export type Consistency = { readonly mode: "eventual" } | { readonly mode: "strong"; readonly witnessRegion: string };

/** The config keys this module reads. */
export const CONSISTENCY_KEYS = ["consistency", "witnessRegion"] as const;

/** Said wherever a mode change could be attempted: AWS fixes the mode when the table is created. */
export const MODE_IS_FIXED =
    "a global table's consistency mode is fixed when the table is created (AWS cannot change it): on a deployed " +
    "stack, changing `consistency` needs a new table and a data migration (see the README's consistency section)";

interface ProblemSink {
    add(key: string, value: unknown, rule: string): void;
    push(problem: string): void;
}

export interface ConsistencyContext {
    readonly environment: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
}

/** The MRSC Region set holding `region`, if any. */
export function mrscRegionSetOf(region: string): string | undefined {
    return Object.keys(MRSC_REGION_SETS).find((set) => MRSC_REGION_SETS[set].includes(region));
}

function describeSets(): string {
    return Object.entries(MRSC_REGION_SETS)
        .map(([set, regions]) => `${set} ${regions.join(", ")}`)
        .join("; ");
}

/**
 * Reads `consistency` (prod defaults to strong, other environments to eventual) and, in strong mode,
 * `witnessRegion` (defaults to the one Region of the set the two replicas leave free, when there is exactly one).
 */
export function parseConsistency(text: (key: string) => string | undefined, sink: ProblemSink, namespace: string, context: ConsistencyContext): Consistency {
    const fallback: ConsistencyMode = context.environment === "prod" ? "strong" : "eventual";
    const modeText = text("consistency") ?? fallback;
    let mode: ConsistencyMode = fallback;
    if ((CONSISTENCY_MODES as readonly string[]).includes(modeText)) {
        mode = modeText as ConsistencyMode;
    } else {
        sink.add(
            "consistency",
            modeText,
            "must be strong (DynamoDB multi-Region strong consistency: RPO 0, a witness Region) or eventual " +
                `(asynchronous replication, conflicts detected and reported); ${MODE_IS_FIXED}`,
        );
    }
    const witnessText = text("witnessRegion");
    if (mode === "eventual") {
        if (witnessText !== undefined && modeText === "eventual") {
            sink.add("witnessRegion", witnessText, `applies only when \`${namespace}:consistency\` is strong; remove it`);
        }
        return { mode: "eventual" };
    }

    const { primaryRegion, secondaryRegion } = context;
    const set = mrscRegionSetOf(primaryRegion);
    if (set === undefined || mrscRegionSetOf(secondaryRegion) !== set) {
        sink.add(
            "consistency",
            "strong",
            `needs \`${namespace}:primaryRegion\` (${primaryRegion}) and \`${namespace}:secondaryRegion\` (${secondaryRegion}) ` +
                `in one multi-Region strong consistency Region set (${describeSets()}); choose two Regions of one set or ` +
                "set consistency to eventual",
        );
        return { mode: "strong", witnessRegion: witnessText ?? "" };
    }
    const free = MRSC_REGION_SETS[set].filter((region) => region !== primaryRegion && region !== secondaryRegion);
    if (witnessText === undefined) {
        if (free.length === 1) {
            return { mode: "strong", witnessRegion: free[0] };
        }
        sink.push(
            `\`${namespace}:witnessRegion\` is missing: \`${namespace}:consistency\` strong needs a witness Region from the ` +
                `${set} set other than ${primaryRegion} and ${secondaryRegion} (one of ${free.join(", ")}; ` +
                `pulumi config set witnessRegion ${free[0]}).`,
        );
        return { mode: "strong", witnessRegion: "" };
    }
    if (witnessText === primaryRegion || witnessText === secondaryRegion) {
        sink.add("witnessRegion", witnessText, `must differ from both replica Regions (${primaryRegion}, ${secondaryRegion}); use one of ${free.join(", ")}`);
    } else if (!free.includes(witnessText)) {
        sink.add(
            "witnessRegion",
            witnessText,
            `must be in the same multi-Region strong consistency Region set as the replicas (${set}): one of ${free.join(", ")}`,
        );
    }
    return { mode: "strong", witnessRegion: witnessText };
}

/** What the table would be created with, as far as MRSC cares. */
export interface TableShape {
    readonly ttlEnabled: boolean;
    readonly localSecondaryIndexes: number;
    /** Whether the transaction processor uses TransactWriteItems/TransactGetItems (it does not). */
    readonly usesTransactions: boolean;
}

/** Reasons AWS would refuse this table in strong mode (checked before the table is registered). */
export function strongTableProblems(table: TableShape): string[] {
    const problems: string[] = [];
    if (table.ttlEnabled) {
        problems.push("Time to Live is not supported on a multi-Region strong consistency table: remove the table's ttl");
    }
    if (table.localSecondaryIndexes > 0) {
        problems.push("local secondary indexes are not supported on a multi-Region strong consistency table: use a global secondary index");
    }
    if (table.usesTransactions) {
        problems.push("transactions (TransactWriteItems, TransactGetItems) are not supported on a multi-Region strong consistency table");
    }
    return problems;
}
