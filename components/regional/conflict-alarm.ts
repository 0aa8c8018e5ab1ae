import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../shared/alerting";
import { CROSS_REGION_CONFLICT_METRIC, METRICS_NAMESPACE, TABLE_DIMENSION } from "../../contracts/payment-metrics";

/**
 * Eventual consistency only: pages when any Region sees one tenant's Idempotency-Key accepted by both Regions
 * with different bodies (functions/transaction-processor/conflicts.ts). Each sighting is counted, so a conflict
 * nobody reads stays silent until a read or a retry finds it; the README says what that window is.
 */
export function crossRegionConflictAlarmSpec(tableName: pulumi.Input<string>): AlarmSpec {
    return {
        what: "cross-region-conflicts",
        description: "An Idempotency-Key was accepted in both Regions with different bodies: both versions are kept, an operator decides",
        namespace: METRICS_NAMESPACE,
        metricName: CROSS_REGION_CONFLICT_METRIC,
        dimensions: { [TABLE_DIMENSION]: tableName },
        statistic: "Sum",
        unit: "Count",
        threshold: 1,
        periodSeconds: 300,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
    };
}
