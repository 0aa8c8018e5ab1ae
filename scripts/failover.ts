/**
 * `npm run failover -- (--stack <name> | --outputs <file.json>) --to secondary [--no-wait]`
 *
 * Standby-initiated failover: records the takeover in the standby region's takeover authority (PutItem; the primary
 * is fenced from then on), publishes the takeover metric there (PutMetricData), waits for the takeover alarm, then
 * for the failover name to lead to the standby. Regional data-plane calls only.
 * Calls nothing in the primary region and nothing in Route 53's control plane, so it works while both are
 * down. Exit codes: 0 takeover in force and confirmed; 1 in force, but the failover name does not lead to
 * the standby yet; 2 usage, credentials or AWS error (the signal may not be set).
 */
import { FAILOVER_ACTIONS } from "../components/takeover/dr-script-actions";
import { DrillUsageError } from "./drill/stack-outputs";
import { invocation } from "./dr/invocation";
import { COMMAND_DEADLINE_MS, worstCaseText } from "./dr/deadline";
import { runDrScript, runMain, type DrCliDeps } from "./dr/cli";
import { StepLog } from "./dr/steps";
import { readAuthorityStep, switchAuthorityStep } from "./dr/authority-steps";
import { confirmSwitch, readSignalStep, switchSignalStep } from "./dr/switch-steps";

/** What this script calls (the DR operator role allows exactly these; tests compare). */
export const ACTIONS = FAILOVER_ACTIONS;

export const USAGE = `Usage: ${invocation("failover")} (--stack <name> | --outputs <file.json>) --to secondary [--no-wait]

  --to secondary      the region that takes over (the standby; failing back is \`npm run failback\`)
  --no-wait           set the signal and return without waiting for the failover name to follow
  --stack / --outputs where the stack outputs come from; during an outage use a file saved beforehand
                      with \`pulumi stack output --json --stack <name> > outputs.json\`

Calls only DynamoDB (GetItem, PutItem on the takeover authority) and CloudWatch (DescribeAlarms, PutMetricData) in
the standby region, with the DR operator role.
Exit codes: 0 takeover confirmed; 1 signal set, failover name not following yet; 2 usage or AWS error.
${worstCaseText(COMMAND_DEADLINE_MS.failover)}
`;

export function main(argv: readonly string[], injected: Partial<DrCliDeps> = {}): Promise<number> {
    const extra = { to: { type: "string" as const }, "no-wait": { type: "boolean" as const } };
    return runDrScript("failover", USAGE, COMMAND_DEADLINE_MS.failover, argv, extra, injected, async (options, outputs, clients, deps) => {
        if (options.to === "primary") {
            throw new DrillUsageError("--to primary is a failback: run `npm run failback -- --stack <name>`, which checks replication first", {
                showUsage: true,
            });
        }
        if (options.to !== "secondary") {
            throw new DrillUsageError("--to secondary is required (the standby region takes over)", { showUsage: true });
        }
        const log = new StepLog(deps.stdout, deps.now);
        log.line(`failover to the secondary (${outputs.secondaryRegion}); the primary (${outputs.primaryRegion}) is not contacted`);
        await readSignalStep(log, outputs, clients);
        const before = await readAuthorityStep(log, outputs, clients);
        if (before.set) {
            log.line("the takeover is already recorded; recording and publishing it again is harmless");
        }
        // The authority first: the primary is fenced before Route 53 starts sending clients to the standby.
        await switchAuthorityStep(log, outputs, clients, true, "npm run failover", deps.now);
        const fenced = outputs.takeoverObjectives ? ` (within ${outputs.takeoverObjectives.fencedSeconds} s of the authority)` : "";
        log.line(`the primary now refuses writes with 503 REGION_FENCED${fenced}, wherever it still runs`);
        await switchSignalStep(log, outputs, clients, true, deps);
        return confirmSwitch(log, outputs, "secondary", options["no-wait"] === true, deps, {
            done: "takeover complete. Check: the takeover-signal alarm is in ALARM, the secondary's API 5xx/latency alarms stay quiet, POSTs through the failover name succeed",
            notYet:
                "takeover signalled, but the failover name does not lead to the secondary yet: resolvers may hold the old answer for the TTL; " +
                "re-run with --no-wait to re-check the signal, or use `npm run drill:status`",
        });
    });
}

if (require.main === module) {
    runMain("failover", main);
}
