import { BackupSettings, LogArchiveSettings } from "../components/safety-net/settings";

/**
 * Config of the optional safety-net parts: AWS Backup (`backup`) and the cross-region log archive (`logArchive`).
 * Parsed here so `config.ts` only wires the keys in; the readers are `parseStackSettings`' own (same messages).
 */

export interface SafetyNetSettings {
    readonly backup?: BackupSettings;
    readonly logArchive?: LogArchiveSettings;
}

export const SAFETY_NET_CONFIG_KEYS = [
    "backup",
    "backupHourlyRetentionDays",
    "backupDailyRetentionDays",
    "backupDocuments",
    "logArchive",
    "logArchiveRetentionDays",
] as const;

/** The readers `parseStackSettings` uses: they record a problem and return the fallback on a bad value. */
export interface ConfigReaders {
    bool(key: string, fallback: boolean): boolean;
    integer(key: string, fallback: number | undefined, min: number, max: number, rule: string): number | undefined;
    add(key: string, value: unknown, rule: string): void;
}

/** Hourly points are for "undo the last hours"; a week of them is plenty (168 points per resource and region). */
export const BACKUP_HOURLY_RETENTION_MAX_DAYS = 7;
/** AWS Backup's longest retention, 100 years. */
export const BACKUP_RETENTION_MAX_DAYS = 36500;
/** 13 months: a year of logs (PCI DSS 10.5.1 asks for 12 months) plus a month of margin. */
export const LOG_ARCHIVE_DEFAULT_RETENTION_DAYS = 400;
export const LOG_ARCHIVE_MAX_RETENTION_DAYS = 3653;

export function parseSafetyNet(read: ConfigReaders, isProd: boolean): SafetyNetSettings {
    const backupOn = read.bool("backup", isProd);
    const hourlyRetentionDays = read.integer(
        "backupHourlyRetentionDays",
        2,
        1,
        BACKUP_HOURLY_RETENTION_MAX_DAYS,
        `must be an integer from 1 to ${BACKUP_HOURLY_RETENTION_MAX_DAYS} (days an hourly recovery point is kept)`,
    )!;
    const dailyRetentionDays = read.integer(
        "backupDailyRetentionDays",
        35,
        1,
        BACKUP_RETENTION_MAX_DAYS,
        `must be an integer from 1 to ${BACKUP_RETENTION_MAX_DAYS} (days a daily recovery point and its cross-region copy are kept)`,
    )!;
    if (dailyRetentionDays < hourlyRetentionDays) {
        read.add(
            "backupDailyRetentionDays",
            String(dailyRetentionDays),
            `must be at least \`payments-dr:backupHourlyRetentionDays\` (${hourlyRetentionDays}): a daily point outlives the hourly ones`,
        );
    }

    const documents = read.bool("backupDocuments", true);

    const archiveOn = read.bool("logArchive", isProd);
    if (isProd && !archiveOn) {
        read.add("logArchive", "false", "must be true in prod: a region's loss must not take its logs with it");
    }
    const retentionDays = read.integer(
        "logArchiveRetentionDays",
        LOG_ARCHIVE_DEFAULT_RETENTION_DAYS,
        1,
        LOG_ARCHIVE_MAX_RETENTION_DAYS,
        `must be an integer from 1 to ${LOG_ARCHIVE_MAX_RETENTION_DAYS} (days archived logs are kept)`,
    )!;

    return {
        backup: backupOn ? { hourlyRetentionDays, dailyRetentionDays, vaultLock: isProd, documents } : undefined,
        logArchive: archiveOn ? { retentionDays } : undefined,
    };
}
