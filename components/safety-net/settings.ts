/** The optional safety-net parts' settings, as the components take them (program/safety-net-config.ts parses them). */

/** AWS Backup settings; present only when `backup` is on. */
export interface BackupSettings {
    /** Days an hourly recovery point is kept. */
    readonly hourlyRetentionDays: number;
    /** Days a daily recovery point (and its copy in the other region) is kept. */
    readonly dailyRetentionDays: number;
    /** Lock the vaults (governance mode) so recovery points cannot be deleted before the shortest retention. Prod only. */
    readonly vaultLock: boolean;
    /** Back up the documents buckets too (AWS Backup bills every object under 128 KB as 128 KB: see the README's cost). */
    readonly documents: boolean;
}

/** Log archive settings; present only when `logArchive` is on. */
export interface LogArchiveSettings {
    /** Days an archived log object is kept before S3 deletes it. */
    readonly retentionDays: number;
}
