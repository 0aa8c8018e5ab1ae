import { TAKEOVER_PERIOD_SECONDS } from "../../contracts/takeover-signal";
import type { RegionalClients } from "./clients";
import type { DrCliDeps } from "./cli";
import type { DrOutputs } from "./outputs";
import type { StepLog } from "./steps";
import { readSignal, setSignalAndWait, type SignalState } from "./takeover";
import { waitForAnswer } from "./who-answers";

/**
 * The steps failover and failback share: read the signal, set or clear it and wait for the alarm, then wait
 * until the failover name leads to the wanted region. Only the standby region's CloudWatch is called.
 */

/** Used when the outputs carry no `takeoverObjectives`. */
const FALLBACK_CLIENTS_SECONDS = 210;

export function expectedClientsSeconds(outputs: DrOutputs): number {
    return outputs.takeoverObjectives?.clientsSeconds ?? FALLBACK_CLIENTS_SECONDS;
}

export async function readSignalStep(log: StepLog, outputs: DrOutputs, clients: RegionalClients): Promise<SignalState> {
    const signal = outputs.takeoverSignal;
    return log.step(
        `read the takeover signal (alarm ${signal.alarmName}, ${signal.region})`,
        () => readSignal(clients.cloudwatch(signal.region), signal),
        (s) => `${s.state}${s.since ? ` since ${s.since.toISOString()}` : ""}${s.set ? " — takeover in force" : ""}`,
    );
}

export async function switchSignalStep(log: StepLog, outputs: DrOutputs, clients: RegionalClients, takeOver: boolean, deps: DrCliDeps): Promise<SignalState> {
    const signal = outputs.takeoverSignal;
    const expected = outputs.takeoverObjectives?.alarmSeconds;
    // Three periods: the alarm takes the maximum of each minute, so a quick flip may need one more period.
    const timeoutMs = 3 * TAKEOVER_PERIOD_SECONDS * 1000;
    return log.step(
        `${takeOver ? "set" : "clear"} the takeover signal: PutMetricData ${signal.namespace}/${signal.metricName}=${takeOver ? 1 : 0} in ${signal.region}, ` +
            `wait for ${takeOver ? "ALARM" : "OK"}${expected ? ` (expected within ${expected} s)` : ""}`,
        () => setSignalAndWait(clients.cloudwatch(signal.region), signal, takeOver, timeoutMs, deps),
        (s) => `alarm ${s.state}`,
    );
}

/** Waits for the failover name to lead to `role`; false (with a warning) when it does not in time. */
export async function waitForRegionStep(log: StepLog, outputs: DrOutputs, role: "primary" | "secondary", deps: DrCliDeps): Promise<boolean> {
    const region = role === "primary" ? outputs.primaryRegion : outputs.secondaryRegion;
    // Twice the expected time: the figures are allowances, not AWS guarantees.
    const timeoutMs = 2 * expectedClientsSeconds(outputs) * 1000;
    const result = await log.step(
        `wait until ${outputs.failoverDnsName} leads to the ${role} (${region}); expected within ${expectedClientsSeconds(outputs)} s`,
        () => waitForAnswer(outputs, role, timeoutMs, { probe: deps.probe, now: deps.now, sleep: deps.sleep }),
        (r) => (r.reached ? `reached: ${r.how}` : `NOT YET after ${Math.round(timeoutMs / 1000)} s: ${r.how}`),
    );
    return result.reached;
}

/**
 * The last step of a switch: unless `--no-wait`, wait for the failover name to lead to `role` and say what to
 * check. Returns the exit code: 0 confirmed (or not waited for), 1 not yet.
 */
export async function confirmSwitch(
    log: StepLog,
    outputs: DrOutputs,
    role: "primary" | "secondary",
    noWait: boolean,
    deps: DrCliDeps,
    messages: { readonly done: string; readonly notYet: string },
): Promise<0 | 1> {
    if (noWait) {
        log.line("--no-wait: not waiting for DNS; check with `npm run drill:status` once Route 53's API answers");
        return 0;
    }
    const reached = await waitForRegionStep(log, outputs, role, deps);
    log.line(reached ? messages.done : messages.notYet);
    return reached ? 0 : 1;
}
