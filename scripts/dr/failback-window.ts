import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { METRICS_NAMESPACE, PAYMENT_FAILED_METRIC, REGION_DIMENSION } from "../../contracts/payment-metrics";
import type { RegionalClients } from "./clients";
import type { DrOutputs } from "./outputs";
import type { SignalState } from "./takeover";

/**
 * Where failback's reconciliation window starts when `--since` is not given: at the earlier of the first payment the
 * standby answered and the takeover alarm's ALARM, less one metric period. A fixed margin before the alarm misses
 * the writes of an earlier automatic Route 53 failover (the primary's health check failing before anyone signalled).
 * The standby's payments come from the handler's `PaymentFailed` metric (one sample per `POST /transactions`, 0 or 1,
 * dimension `Region`): its SampleCount counts requests, whatever their outcome.
 */

/** How far back the standby's first payment is looked for (5-minute data is kept 63 days). */
export const WINDOW_LOOKBACK_MS = 7 * 24 * 3600_000;
/** The metric's period, and the margin before the first sample: a request may have begun anywhere in its period. */
export const WINDOW_PERIOD_SECONDS = 300;

export interface WindowStart {
    readonly since: Date;
    /** In words, for the step log. */
    readonly how: string;
}

/** The first period in the lookback in which the standby answered a payment, if any. */
export async function firstStandbyPayment(outputs: DrOutputs, clients: RegionalClients, now: Date): Promise<Date | undefined> {
    const standby = outputs.secondaryRegion;
    let nextToken: string | undefined;
    do {
        const page = await clients.cloudwatch(standby).send(
            new GetMetricDataCommand({
                MetricDataQueries: [
                    {
                        Id: "payments",
                        MetricStat: {
                            Metric: {
                                Namespace: METRICS_NAMESPACE,
                                MetricName: PAYMENT_FAILED_METRIC,
                                Dimensions: [{ Name: REGION_DIMENSION, Value: standby }],
                            },
                            Period: WINDOW_PERIOD_SECONDS,
                            Stat: "SampleCount",
                        },
                    },
                ],
                StartTime: new Date(now.getTime() - WINDOW_LOOKBACK_MS),
                EndTime: now,
                ScanBy: "TimestampAscending",
                NextToken: nextToken,
            }),
        );
        const result = page.MetricDataResults?.[0];
        const index = (result?.Values ?? []).findIndex((value) => value > 0);
        if (index >= 0 && result?.Timestamps?.[index] !== undefined) {
            return result.Timestamps[index];
        }
        nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return undefined;
}

/** The default window start; throws (an AWS error) when the standby's metrics cannot be read. */
export async function failbackWindowStart(outputs: DrOutputs, clients: RegionalClients, signal: SignalState, now: Date): Promise<WindowStart> {
    const firstPayment = await firstStandbyPayment(outputs, clients, now);
    const candidates: Array<{ at: Date; what: string }> = [];
    if (firstPayment !== undefined) {
        candidates.push({ at: firstPayment, what: `the first payment ${outputs.secondaryRegion} answered (${firstPayment.toISOString()})` });
    }
    if (signal.since !== undefined) {
        candidates.push({ at: signal.since, what: `the takeover alarm's ALARM (${signal.since.toISOString()})` });
    }
    if (candidates.length === 0) {
        const since = new Date(now.getTime() - WINDOW_LOOKBACK_MS);
        return { since, how: `no standby payment and no alarm time known: the whole lookback (${WINDOW_LOOKBACK_MS / 86_400_000} days)` };
    }
    const earliest = candidates.reduce((a, b) => (b.at.getTime() < a.at.getTime() ? b : a));
    return { since: new Date(earliest.at.getTime() - WINDOW_PERIOD_SECONDS * 1000), how: `${WINDOW_PERIOD_SECONDS / 60} min before ${earliest.what}` };
}
