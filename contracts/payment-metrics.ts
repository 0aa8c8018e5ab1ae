/**
 * The payment outcome metric, published through CloudWatch's embedded metric format (EMF): fields on the
 * request's log line that CloudWatch Logs turns into a metric, with no API call on the request path.
 * One value per `POST /transactions`: 1 when the region failed the payment (5xx), 0 otherwise. Its Average over
 * a minute is the region's payment failure share, a single standard-resolution metric with a statistic Route 53
 * accepts for a CloudWatch-alarm health check (no metric math, no percentiles).
 */

export const METRICS_NAMESPACE = "PaymentsDR";
export const PAYMENT_FAILED_METRIC = "PaymentFailed";
/** The one dimension: the region that answered. */
export const REGION_DIMENSION = "Region";

/** The route whose outcomes count as payments. */
export const PAYMENT_ROUTE_KEY = "POST /transactions";

/** Whether a status means the region, not the client, failed the payment. */
export function isRegionFailure(status: number): boolean {
    return status >= 500;
}

/** EMF fields publishing `values` (name → [unit, value]) in our namespace with the one `Region` dimension. */
function regionMetrics(region: string, values: Record<string, readonly [unit: string, value: number]>, atMs: number): Record<string, unknown> {
    return {
        _aws: {
            Timestamp: atMs,
            CloudWatchMetrics: [
                {
                    Namespace: METRICS_NAMESPACE,
                    Dimensions: [[REGION_DIMENSION]],
                    Metrics: Object.entries(values).map(([name, [unit]]) => ({ Name: name, Unit: unit })),
                },
            ],
        },
        [REGION_DIMENSION]: region,
        ...Object.fromEntries(Object.entries(values).map(([name, [, value]]) => [name, value])),
    };
}

/**
 * One tenant's Idempotency-Key accepted in two Regions with different bodies (eventual consistency only), counted
 * each time a read or retry sees it. Dimensioned by table, which is unique per stack; the regional alarm fires on any.
 */
export const CROSS_REGION_CONFLICT_METRIC = "CrossRegionConflicts";
export const TABLE_DIMENSION = "TableName";

/** Writes one EMF line (its own, not the request's) counting one observed conflict. */
export function countCrossRegionConflict(tableName: string, transactionId: string, regions: readonly string[], atMs: number = Date.now()): void {
    // Same shape as every other log line (level first, as the logger writes them), plus the EMF directive.
    const line = {
        level: "warn",
        timestamp: new Date(atMs).toISOString(),
        message: "cross-region idempotency conflict",
        _aws: {
            Timestamp: atMs,
            CloudWatchMetrics: [
                { Namespace: METRICS_NAMESPACE, Dimensions: [[TABLE_DIMENSION]], Metrics: [{ Name: CROSS_REGION_CONFLICT_METRIC, Unit: "Count" }] },
            ],
        },
        [TABLE_DIMENSION]: tableName,
        [CROSS_REGION_CONFLICT_METRIC]: 1,
        transactionId,
        regions: regions.join(","),
    };
    process.stdout.write(JSON.stringify(line) + "\n");
}

/** EMF fields for one payment request's outcome (merged into the request's log line). */
export function paymentOutcomeFields(region: string, status: number, atMs: number = Date.now()): Record<string, unknown> {
    return regionMetrics(region, { [PAYMENT_FAILED_METRIC]: ["Count", isRegionFailure(status) ? 1 : 0] }, atMs);
}

export const RECEIPTS_COMPLETED_METRIC = "ReceiptsCompleted";
export const COMPLETED_PENDING_AGE_METRIC = "CompletedPendingReceiptAgeSeconds";

/** EMF fields for one receipt-finisher batch: receipts it completed, and how long the oldest of them had been PENDING. */
export function receiptFinisherFields(region: string, completed: number, oldestAgeSeconds: number, atMs: number = Date.now()): Record<string, unknown> {
    return regionMetrics(region, { [RECEIPTS_COMPLETED_METRIC]: ["Count", completed], [COMPLETED_PENDING_AGE_METRIC]: ["Seconds", oldestAgeSeconds] }, atMs);
}
