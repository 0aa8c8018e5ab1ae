import { DescribeAlarmsCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { publishSignal } from "../../functions/takeover-switch/publish";
import { TAKEOVER_ALARM_STATE, type TakeoverSignalOutput } from "../../contracts/takeover-signal";

/** The takeover alarm as DescribeAlarms reports it. */
export interface SignalState {
    /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
    readonly state: string;
    /** When the alarm last changed state. */
    readonly since?: Date;
    /** True while the primary is fenced and Route 53 treats it as unhealthy. */
    readonly set: boolean;
}

export async function readSignal(client: CloudWatchClient, signal: TakeoverSignalOutput): Promise<SignalState> {
    const result = await client.send(new DescribeAlarmsCommand({ AlarmNames: [signal.alarmName], AlarmTypes: ["MetricAlarm"] }));
    const alarm = result.MetricAlarms?.find((a) => a.AlarmName === signal.alarmName);
    if (alarm === undefined) {
        throw new Error(`takeover alarm ${signal.alarmName} not found in ${signal.region}: are the outputs from this account and stack?`);
    }
    const state = alarm.StateValue ?? "INSUFFICIENT_DATA";
    return { state, set: state === TAKEOVER_ALARM_STATE, ...(alarm.StateUpdatedTimestamp ? { since: alarm.StateUpdatedTimestamp } : {}) };
}

export interface WaitDeps {
    readonly now: () => number;
    readonly sleep: (ms: number) => Promise<void>;
}

/** How often the alarm is polled while waiting. */
export const SIGNAL_POLL_MS = 10_000;

/**
 * Waits until the alarm reflects the wanted value, republishing it once per metric period: the alarm takes
 * the maximum of each period, so a 1 and a 0 in the same minute read as 1 until a minute with only the 0.
 */
export async function setSignalAndWait(
    client: CloudWatchClient,
    signal: TakeoverSignalOutput,
    takeOver: boolean,
    timeoutMs: number,
    deps: WaitDeps,
): Promise<SignalState> {
    const deadline = deps.now() + timeoutMs;
    let lastPublished = -Infinity;
    for (;;) {
        if (deps.now() - lastPublished >= signal.periodSeconds * 1000) {
            await publishSignal(client, signal, takeOver, new Date(deps.now()));
            lastPublished = deps.now();
        }
        const state = await readSignal(client, signal);
        if (takeOver ? state.set : state.state === "OK") {
            return state;
        }
        if (deps.now() >= deadline) {
            throw new Error(
                `the takeover alarm ${signal.alarmName} is still ${state.state} after ${Math.round(timeoutMs / 1000)} s ` +
                    `(wanted ${takeOver ? TAKEOVER_ALARM_STATE : "OK"}); the value is published, re-run to keep waiting`,
            );
        }
        await deps.sleep(SIGNAL_POLL_MS);
    }
}
