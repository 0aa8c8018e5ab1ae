import { Synthesis } from "../../scripts/synth/synthesize";
import { stackWith } from "./stacks";

/** prod with every optional component on: ledger, Region switch plan, game days, canaries (on top of prod's backup, log archive, reverse replication). */
export const EVERY_OPTION: Readonly<Record<string, string>> = {
    ledger: "aurora-global",
    regionSwitchPlan: "true",
    gameDays: "true",
    canarySchedule: "rate(5 minutes)",
    canaryTokenSecret: "payments-dr/canary-client",
    standbyProvisionedConcurrency: "100",
};

let cached: Promise<Synthesis> | undefined;

/** Synthesized once per test process, like the committed stacks. */
export function everyOptionStack(): Promise<Synthesis> {
    cached ??= stackWith("prod", EVERY_OPTION);
    return cached;
}
