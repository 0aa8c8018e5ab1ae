/**
 * Config of the optional game days (`gameDays`): AWS FIS experiment templates that pause the stack's DynamoDB and S3
 * replication toward the standby. Parsed here so `config.ts` only wires the key in; the reader is
 * `parseStackSettings`' own (same messages).
 */

export const GAME_DAY_CONFIG_KEYS = ["gameDays"] as const;

export interface GameDaySettings {
    /** Create the FIS experiment templates, their role and log groups (they cost nothing until an experiment runs). */
    readonly gameDays: boolean;
}

export function parseGameDays(read: { bool(key: string, fallback: boolean): boolean }): GameDaySettings {
    return { gameDays: read.bool("gameDays", false) };
}
