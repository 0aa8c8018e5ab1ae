import { names, NameContext } from "../components/shared/naming";

/**
 * The takeover signal: a custom CloudWatch metric in the STANDBY (secondary) region and an alarm on it there.
 * `npm run failover` publishes 1, `npm run failback` publishes 0: PutMetricData is a regional data-plane call,
 * so the switch works while the primary region (and Route 53's control plane in us-east-1) is down. A Route 53
 * CloudWatch-alarm health check on the alarm is a child of the primary's failover health check, and the
 * primary's transaction processor reads the alarm to fence its writes. Dependency-free: the program, the
 * scripts and the tests share it.
 */

export const TAKEOVER_NAMESPACE = "PaymentsDR/Failover";
export const TAKEOVER_METRIC = "TakeoverRequested";
/** The metric's only dimension: the stack (environment label and random suffix), so stacks never share a signal. */
export const TAKEOVER_DIMENSION = "Stack";
/** Value published to take over (fail over to the secondary) and to release (fail back). */
export const TAKEOVER_SET = 1;
export const TAKEOVER_CLEAR = 0;

/**
 * Route 53 supports CloudWatch-alarm health checks on standard-resolution metrics only, with the Average,
 * Minimum, Maximum, Sum or SampleCount statistic (Route 53 API reference, AlarmIdentifier): 60-second
 * periods and Maximum, so one published 1 in a minute is enough.
 */
export const TAKEOVER_PERIOD_SECONDS = 60;
export const TAKEOVER_STATISTIC = "Maximum";

/**
 * The alarm keeps its state while no data arrives (`ignore`): the signal is latched by the last value
 * published, not by a publisher that must keep running.
 */
export const TAKEOVER_TREAT_MISSING_DATA = "ignore";

/**
 * What Route 53 assigns the health check while CloudWatch has too little data to evaluate the alarm.
 * `LastKnownStatus`: the status from the last time the data was sufficient, and healthy for a new check
 * (Route 53 API reference, HealthCheckConfig.InsufficientDataHealthStatus). So missing data never fails
 * over by itself (a new stack, or a quiet metric, stays on the primary), and never fails back by itself
 * either (a takeover holds until `npm run failback` publishes 0). `Unhealthy` would fail over on a gap in
 * the data; `Healthy` would end a takeover as soon as the published point ages out.
 */
export const TAKEOVER_INSUFFICIENT_DATA_STATUS = "LastKnownStatus";

/** The alarm state that means "take over": the primary is fenced while the alarm is in it. */
export const TAKEOVER_ALARM_STATE = "ALARM";

export function takeoverAlarmName(ctx: NameContext): string {
    return names.alarm(ctx, "takeover-signal");
}

export function takeoverDimensionValue(ctx: NameContext): string {
    return `${ctx.envLabel}-${ctx.suffix}`;
}

/** What the stack exports as `takeoverSignal`: everything the scripts need to set, clear and read it. */
export interface TakeoverSignalOutput {
    readonly region: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly alarmName: string;
    readonly alarmArn: string;
    readonly periodSeconds: number;
}

/** Where the takeover metric is published: what the takeover-switch function and the Region switch plan share. */
export interface SignalMetric {
    readonly region: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
}
