/**
 * `npm run failback -- (--stack <name> | --outputs <file.json>) [--since <ISO time>] [--max-replication-latency-ms <n>] [--accept-unknown] [--force --reason <text> [--confirm-stack <name>]] [--no-wait]`
 *
 * Hands traffic back to the primary once it is safe: the gates must pass (table replication toward the
 * primary drained, documents replicated back, reconciliation of the takeover window clean), then the takeover
 * metric is cleared in the standby region, then the takeover authority (the primary's fence), and the script
 * waits for the failover name to lead to the primary.
 * Exit codes: 0 failed back and confirmed; 1 signal cleared, failover name not following yet; 2 refused by a
 * gate (named), usage, credentials or AWS error.
 */
import { FAILBACK_ACTIONS } from "../components/takeover/dr-script-actions";
import { DrillUsageError } from "./drill/stack-outputs";
import { invocation } from "./dr/invocation";
import { COMMAND_DEADLINE_MS, worstCaseText } from "./dr/deadline";
import { describeDrError, parseTime, runDrScript, runMain, type DrCliDeps } from "./dr/cli";
import {
    DEFAULT_MAX_REPLICATION_LATENCY_MS,
    dynamodbReplicationGate,
    GATE_NAMES,
    GATE_PURPOSES,
    reconciliationGate,
    s3ReplicationGate,
    type GateResult,
} from "./dr/failback-gates";
import { failbackWindowStart, WINDOW_PERIOD_SECONDS } from "./dr/failback-window";
import { authorizeForce, FORCE_OPTIONS, FORCE_USAGE, stackNameOf } from "./dr/force";
import { StepLog } from "./dr/steps";
import { readAuthorityStep, switchAuthorityStep } from "./dr/authority-steps";
import { confirmSwitch, readSignalStep, switchSignalStep } from "./dr/switch-steps";
import { reconcileStack } from "./reconcile";

/** What this script calls (the DR operator role allows exactly these; tests compare). */
export const ACTIONS = FAILBACK_ACTIONS;

/**
 * The reconciliation stops this long before now: writes still arriving in the standby region are in flight
 * by nature; the dynamodb-replication and s3-replication gates cover what is in flight.
 */
export const RECONCILE_SETTLE_MS = 10_000;

export const USAGE = `Usage: ${invocation("failback")} (--stack <name> | --outputs <file.json>) [--since <ISO time>] [--max-replication-latency-ms <n>] [--accept-unknown] [--force --reason <text> [--confirm-stack <name>]] [--no-wait]

  --since <time>                    start of the window to reconcile (default: 5 minutes before the first payment the
                                    standby answered in the last 7 days, or before the takeover alarm fired if earlier)
  --accept-unknown                  let a gate pass whose data is missing (no replication datapoints), saying so
  --max-replication-latency-ms <n>  DynamoDB replication lag toward the primary allowed (default ${DEFAULT_MAX_REPLICATION_LATENCY_MS})
  --force                           skip the gates (${GATE_NAMES.join(", ")}) and fail back anyway
${FORCE_USAGE}
  --no-wait                         clear the signal and return without waiting for the failover name to follow

Exit codes: 0 failed back; 1 signal cleared, failover name not following yet; 2 refused by a gate, usage or AWS error.
${worstCaseText(COMMAND_DEADLINE_MS.failback)}
`;

export function main(argv: readonly string[], injected: Partial<DrCliDeps> = {}): Promise<number> {
    const extra = {
        since: { type: "string" as const },
        "max-replication-latency-ms": { type: "string" as const },
        ...FORCE_OPTIONS,
        "no-wait": { type: "boolean" as const },
        "accept-unknown": { type: "boolean" as const },
    };
    return runDrScript("failback", USAGE, COMMAND_DEADLINE_MS.failback, argv, extra, injected, async (options, outputs, clients, deps) => {
        const latencyText = options["max-replication-latency-ms"];
        const maxLatencyMs = typeof latencyText === "string" ? Number(latencyText) : DEFAULT_MAX_REPLICATION_LATENCY_MS;
        if (!Number.isInteger(maxLatencyMs) || maxLatencyMs < 1) {
            throw new DrillUsageError(`--max-replication-latency-ms must be a positive integer, got ${JSON.stringify(latencyText)}`);
        }
        // Before anything is read or changed: a forced failback is confirmed, and recorded, or nothing happens.
        const skipped = GATE_NAMES.map((g) => `gate ${g} (${GATE_PURPOSES[g]})`);
        await authorizeForce("failback", options, stackNameOf(options, outputs), skipped, deps);
        const log = new StepLog(deps.stdout, deps.now);
        log.line(`failback to the primary (${outputs.primaryRegion}) from the secondary (${outputs.secondaryRegion})`);
        const signal = await readSignalStep(log, outputs, clients);
        // With the alarm OK, the authority decides whether a takeover is still recorded (e.g. a 0 published by hand).
        if (signal.state === "OK" && !(await readAuthorityStep(log, outputs, clients)).set) {
            log.line("no takeover in force: Route 53 already sends traffic to the primary whenever its endpoint is healthy; nothing to clear");
            return 0;
        }
        const now = new Date(deps.now());
        let since: Date | undefined;
        let windowProblem: string | undefined;
        if (typeof options.since === "string") {
            since = parseTime("since", options.since);
        } else if (options.force !== true) {
            try {
                const start = await log.step(
                    `find the window start: the first payment ${outputs.secondaryRegion} answered (PaymentFailed samples, last 7 days) or the alarm, if earlier`,
                    () => failbackWindowStart(outputs, clients, signal, now),
                    (w) => `${w.since.toISOString()}: ${w.how}`,
                );
                since = start.since;
            } catch (error) {
                windowProblem = `unknown window start (${describeDrError(error)}); give --since <time of the first standby write>`;
            }
        }

        if (options.force === true) {
            const latest = new Date((signal.since?.getTime() ?? now.getTime()) - WINDOW_PERIOD_SECONDS * 1000).toISOString();
            const from = since?.toISOString() ?? `<the first write in ${outputs.secondaryRegion}, no later than ${latest}>`;
            log.line(
                `--force: skipping the gates — ${GATE_NAMES.map((g) => `${g} (${GATE_PURPOSES[g]})`).join("; ")}. ` +
                    `Writes made in ${outputs.secondaryRegion} since ${from} may be missing in ${outputs.primaryRegion}: ` +
                    `run \`npm run reconcile -- --since ${from}\` afterwards`,
            );
        } else {
            const acceptUnknown = options["accept-unknown"] === true;
            const show = (r: GateResult) =>
                `${r.passed ? "passed" : r.unknown && acceptUnknown ? "UNKNOWN, accepted (--accept-unknown)" : "REFUSED"}: ${r.detail}`;
            const results = [
                await log.step(
                    `gate dynamodb-replication (${GATE_PURPOSES["dynamodb-replication"]})`,
                    () => dynamodbReplicationGate(outputs, clients, now, maxLatencyMs),
                    show,
                ),
                await log.step(`gate s3-replication (${GATE_PURPOSES["s3-replication"]})`, () => s3ReplicationGate(outputs, clients, now), show),
                await log.step(
                    `gate reconciliation (transactions created since ${since?.toISOString() ?? "an unknown start"})`,
                    async (): Promise<GateResult> =>
                        since === undefined
                            ? { gate: "reconciliation", passed: false, detail: windowProblem! }
                            : reconciliationGate(() => reconcileStack(outputs, clients, since, new Date(now.getTime() - RECONCILE_SETTLE_MS))),
                    show,
                ),
            ];
            const refused = results.filter((r) => !r.passed && !(r.unknown && acceptUnknown));
            if (refused.length > 0) {
                deps.stderr(
                    `failback: refused by gate${refused.length === 1 ? "" : "s"} ${refused.map((r) => r.gate).join(", ")}: ` +
                        `${refused.map((r) => `${r.gate}: ${r.detail}`).join("; ")}. The takeover stays in force; fix and re-run, or --force to skip the gates.\n`,
                );
                return 2;
            }
        }
        await switchSignalStep(log, outputs, clients, false, deps);
        // The authority last: the primary stays fenced until Route 53 has been told to send clients back to it.
        await switchAuthorityStep(log, outputs, clients, false, "npm run failback", deps.now);
        log.line("the primary accepts writes again once its function instances re-read the authority (2 s cache)");
        return confirmSwitch(log, outputs, "primary", options["no-wait"] === true, deps, {
            done: "failback complete. Check: the takeover-signal alarm is OK, the primary's API 5xx/latency alarms stay quiet, `npm run reconcile` for the window stays clean",
            notYet: "signal cleared, but the failover name does not lead to the primary yet: its endpoint health check must pass too (`npm run drill:status`)",
        });
    });
}

if (require.main === module) {
    runMain("failback", main);
}
