/**
 * Config of the optional game-day tooling: AWS FIS experiment templates (`gameDays`) that pause the stack's DynamoDB
 * and S3 replication toward the standby, and CloudWatch Synthetics canaries (`canarySchedule`) that run a customer's
 * journey through the failover name and each regional name. Parsed here so `config.ts` only wires the keys in; the
 * readers are `parseStackSettings`' own (same messages).
 */

export const GAME_DAY_CONFIG_KEYS = ["gameDays", "canarySchedule", "canaryTokenSecret"] as const;

export interface GameDaySettings {
    /** Create the FIS experiment templates, their role and log groups (they cost nothing until an experiment runs). */
    readonly gameDays: boolean;
    /** The canaries' Synthetics schedule (`rate(5 minutes)`); unset: no canaries. */
    readonly canarySchedule?: string;
    /**
     * jwt stacks: the name of the Secrets Manager secret (the same name in both regions) holding the canaries' OAuth
     * client credentials (`tokenUrl`, `clientId`, `clientSecret`, optional `scope` and `audience`).
     */
    readonly canaryTokenSecret?: string;
}

/** What Secrets Manager accepts in a secret name. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

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
    const tokenSecret = read.text("canaryTokenSecret");
    if (tokenSecret !== undefined && !SECRET_NAME.test(tokenSecret)) {
        read.add("canaryTokenSecret", tokenSecret, "must be a Secrets Manager secret name: 1 to 512 letters, digits and /_+=.@-");
        return { gameDays };
    }
    if (tokenSecret !== undefined && (schedule === undefined || apiAuthMode !== "jwt")) {
        read.add(
            "canaryTokenSecret",
            tokenSecret,
            schedule === undefined
                ? "is used only by canaries: set `payments-dr:canarySchedule` too, or remove it (`pulumi config rm canaryTokenSecret`)"
                : "is for jwt stacks: with `payments-dr:apiAuth` iam the canaries sign with their own role; remove it (`pulumi config rm canaryTokenSecret`)",
        );
        return { gameDays };
    }
    if (schedule === undefined) {
        return { gameDays };
    }
    if (!CANARY_RATE.test(schedule)) {
        read.add("canarySchedule", schedule, "must be empty (no canaries) or a Synthetics rate from rate(1 minute) to rate(1 hour), such as rate(5 minutes)");
        return { gameDays };
    }
    if (apiAuthMode === "jwt" && tokenSecret === undefined) {
        read.add(
            "canarySchedule",
            schedule,
            "needs `payments-dr:canaryTokenSecret` on a jwt stack: the name of a Secrets Manager secret, in both regions, with the canaries' OAuth client credentials (README, Synthetic canaries)",
        );
        return { gameDays };
    }
    return { gameDays, canarySchedule: schedule, ...(tokenSecret !== undefined ? { canaryTokenSecret: tokenSecret } : {}) };
}
