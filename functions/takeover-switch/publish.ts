import { PutMetricDataCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { type SignalMetric, TAKEOVER_CLEAR, TAKEOVER_SET } from "../../contracts/takeover-signal";

/** Where the takeover signal lives: the metric in the standby region (contracts/takeover-signal.ts). */
export type { SignalMetric };

/**
 * Publishes the takeover value (1 take over, 0 release) in the standby region: a regional data-plane call.
 * Shared by `npm run failover`/`failback` and the ARC Region switch custom-action function.
 */
export async function publishSignal(client: Pick<CloudWatchClient, "send">, signal: SignalMetric, takeOver: boolean, at: Date): Promise<void> {
    await client.send(
        new PutMetricDataCommand({
            Namespace: signal.namespace,
            MetricData: [
                {
                    MetricName: signal.metricName,
                    Dimensions: Object.entries(signal.dimensions).map(([Name, Value]) => ({ Name, Value })),
                    Value: takeOver ? TAKEOVER_SET : TAKEOVER_CLEAR,
                    Unit: "Count",
                    Timestamp: at,
                    // Standard resolution: Route 53 does not support alarms on high-resolution metrics.
                    StorageResolution: 60,
                },
            ],
        }),
    );
}
