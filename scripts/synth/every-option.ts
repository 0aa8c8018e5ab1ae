import { readStackConfig } from "./stack-config";

/** prod with every optional component on: ledger, Region switch plan, game days, canaries (on top of prod's backup, log archive, reverse replication). */
export const EVERY_OPTION: Readonly<Record<string, string>> = {
    ledger: "aurora-global",
    regionSwitchPlan: "true",
    gameDays: "true",
    canarySchedule: "rate(5 minutes)",
    canaryTokenSecret: "payments-dr/canary-client",
    standbyProvisionedConcurrency: "100",
};

/** The committed prod stack's config with EVERY_OPTION set (fully qualified keys, as `pulumi up` hands them over). */
export function everyOptionConfig(): Record<string, string> {
    const config = { ...readStackConfig("prod") };
    for (const [key, value] of Object.entries(EVERY_OPTION)) {
        config[`payments-dr:${key}`] = value;
    }
    return config;
}
