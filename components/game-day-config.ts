/**
 * Config of the optional game-day tooling: AWS FIS experiment templates (`gameDays`) that pause the stack's DynamoDB
 * and S3 replication toward the standby, and CloudWatch Synthetics canaries (`canarySchedule`) that run a customer's
 * journey through the failover name and each regional name. Parsed here so `config.ts` only wires the keys in; the
 * readers are `parseStackSettings`' own (same messages).
 */

export const GAME_DAY_CONFIG_KEYS = ["gameDays", "canarySchedule"] as const;

export interface GameDaySettings {
    /** Create the FIS experiment templates, their role and log groups (they cost nothing until an experiment runs). */
    readonly gameDays: boolean;
    /** The canaries' Synthetics schedule (`rate(5 minutes)`); unset: no canaries. */
    readonly canarySchedule?: string;
}

/**
 * Synthetics runs a canary from once a minute to once an hour (`rate(0 …)`, "run once", is not a schedule).
 * Only rate expressions: the cost estimate prices runs from them.
 */
const CANARY_RATE = /^rate\((1 minute|([2-9]|[1-5]\d|60) minutes|1 hour)\)$/;

export function parseGameDays(
    read: {
        bool(key: string, fallback: boolean): boolean;
        text(key: string): string | undefined;
        add(key: string, value: unknown, rule: string): void;
    },
    apiAuthMode: "iam" | "jwt" | undefined,
): GameDaySettings {
    const gameDays = read.bool("gameDays", false);
    const schedule = read.text("canarySchedule");
    if (schedule === undefined) {
        return { gameDays };
    }
    if (!CANARY_RATE.test(schedule)) {
        read.add("canarySchedule", schedule, "must be empty (no canaries) or a Synthetics rate from rate(1 minute) to rate(1 hour), such as rate(5 minutes)");
        return { gameDays };
    }
    if (apiAuthMode === "jwt") {
        read.add(
            "canarySchedule",
            schedule,
            "needs `payments-dr:apiAuth` iam: the canaries sign their requests as an IAM tenant; with jwt they would need a token from `jwtIssuer`, and the stack has no client credentials for one (README, Synthetic canaries)",
        );
        return { gameDays };
    }
    return { gameDays, canarySchedule: schedule };
}
