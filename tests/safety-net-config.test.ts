import { expect } from "chai";
import { parseStackSettings, RawConfig } from "../program/config";
import { problemsOf, VALID_CONFIG } from "./support/config-problems";

const DEV: RawConfig = VALID_CONFIG;
const PROD: RawConfig = { ...DEV, environment: "prod", targetTps: "1000", tableWarmWriteUnits: "4000" };

describe("safety-net config (backup, logArchive)", () => {
    it("is off in dev and on in prod by default, with the documented retentions and a vault lock only in prod", () => {
        const dev = parseStackSettings(DEV);
        expect(dev.backup).to.equal(undefined);
        expect(dev.logArchive).to.equal(undefined);
        const prod = parseStackSettings(PROD);
        expect(prod.backup).to.deep.equal({ hourlyRetentionDays: 2, dailyRetentionDays: 35, vaultLock: true, documents: true });
        expect(prod.logArchive).to.deep.equal({ retentionDays: 400 });
        expect(parseStackSettings({ ...PROD, backupDocuments: "false" }).backup?.documents).to.equal(false);
        expect(parseStackSettings({ ...DEV, backup: "true", logArchive: "true", logArchiveRetentionDays: "30" })).to.deep.include({
            backup: { hourlyRetentionDays: 2, dailyRetentionDays: 35, vaultLock: false, documents: true },
            logArchive: { retentionDays: 30 },
        });
    });

    const cases: Array<[string, RawConfig, string]> = [
        ["a backup switch that is not a boolean", { ...DEV, backup: "on" }, '`payments-dr:backup` is "on": must be true or false.'],
        [
            "a week-plus of hourly points",
            { ...DEV, backupHourlyRetentionDays: "8" },
            '`payments-dr:backupHourlyRetentionDays` is "8": must be an integer from 1 to 7 (days an hourly recovery point is kept).',
        ],
        [
            "daily points that die before the hourly ones",
            { ...DEV, backupHourlyRetentionDays: "3", backupDailyRetentionDays: "2" },
            '`payments-dr:backupDailyRetentionDays` is "2": must be at least `payments-dr:backupHourlyRetentionDays` (3): a daily point outlives the hourly ones.',
        ],
        [
            "prod without the log archive",
            { ...PROD, logArchive: "false" },
            '`payments-dr:logArchive` is "false": must be true in prod: a region\'s loss must not take its logs with it.',
        ],
        [
            "an archive retention beyond ten years",
            { ...DEV, logArchiveRetentionDays: "4000" },
            '`payments-dr:logArchiveRetentionDays` is "4000": must be an integer from 1 to 3653 (days archived logs are kept).',
        ],
    ];
    for (const [what, raw, message] of cases) {
        it(`refuses ${what}`, () => {
            expect(problemsOf(raw)).to.deep.equal([message]);
        });
    }
});
