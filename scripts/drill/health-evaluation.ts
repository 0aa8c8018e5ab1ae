import type { HealthCheckObservation } from "@aws-sdk/client-route-53";

/** Route 53's health-check and failover maths: pure functions, no AWS calls. */

/**
 * Route 53 considers an endpoint healthy when MORE than 18% of its health checkers report it healthy,
 * and unhealthy at 18% or fewer ("How Amazon Route 53 determines whether a health check is healthy").
 */
export const HEALTHY_CHECKER_PERCENT = 18;

export type FailoverRole = "PRIMARY" | "SECONDARY";

/** A checker whose latest observation is not a success. */
export interface CheckerObservation {
    readonly checkerRegion: string;
    readonly ipAddress: string;
    readonly status: string;
    readonly checkedTime?: string;
}

export interface CheckerTally {
    /** Checkers that returned an observation. */
    readonly total: number;
    /** Observations whose status starts with "Success". */
    readonly healthy: number;
    /** Every other observation ("Failure: ..." or anything unexpected), for the report. */
    readonly notHealthy: readonly CheckerObservation[];
}

/** Counts checker observations; only a status starting with "Success" counts as healthy. */
export function tallyObservations(observations: readonly HealthCheckObservation[]): CheckerTally {
    let healthy = 0;
    const notHealthy: CheckerObservation[] = [];
    for (const obs of observations) {
        const status = (obs.StatusReport?.Status ?? "").trim();
        if (status.startsWith("Success")) {
            healthy++;
        } else {
            notHealthy.push({
                checkerRegion: obs.Region ?? "unknown",
                ipAddress: obs.IPAddress ?? "unknown",
                status: status === "" ? "(no status reported)" : status,
                ...(obs.StatusReport?.CheckedTime ? { checkedTime: obs.StatusReport.CheckedTime.toISOString() } : {}),
            });
        }
    }
    return { total: observations.length, healthy, notHealthy };
}

/** The 18% rule: healthy when healthy/total > 18%. Integer arithmetic, so exactly 18% is unhealthy. */
export function isHealthyByCheckers(healthy: number, total: number): boolean {
    return total > 0 && healthy * 100 > HEALTHY_CHECKER_PERCENT * total;
}

export interface HealthEvaluationInput {
    readonly disabled: boolean;
    readonly inverted: boolean;
    readonly healthy: number;
    readonly total: number;
}

export interface HealthEvaluation {
    /**
     * Status before inversion: what the checkers say, or `true` for a disabled check / a check with no
     * observations yet (Route 53 treats both as healthy).
     */
    readonly baseHealthy: boolean;
    /** Status Route 53 uses for routing: `baseHealthy`, flipped when the check is inverted. */
    readonly effectiveHealthy: boolean;
    /** Enabled check with no checker observations yet: Route 53 assumes healthy, but nothing confirms it. */
    readonly noData: boolean;
    /** One-line explanation, e.g. "16/16 checkers healthy (100% > 18%) → inverted → UNHEALTHY". */
    readonly explanation: string;
}

/**
 * Route 53's status for one health check:
 * - disabled → healthy (Route 53 stops checking and "considers the status ... to always be healthy");
 * - no observations yet → healthy (Route 53 treats a new health check as healthy until it has data);
 * - otherwise healthy iff more than 18% of checkers report healthy;
 * then `Inverted` flips the result. Disabled + inverted is therefore always unhealthy, which is the
 * documented way to force traffic away from a record.
 */
export function evaluateHealth(input: HealthEvaluationInput): HealthEvaluation {
    const { disabled, inverted, healthy, total } = input;
    let baseHealthy: boolean;
    let basis: string;
    let noData = false;
    if (disabled) {
        baseHealthy = true;
        basis = "disabled (Route 53 treats a disabled check as healthy)";
    } else if (total === 0) {
        baseHealthy = true;
        noData = true;
        basis = "no checker observations yet (Route 53 treats a new check as healthy)";
    } else {
        baseHealthy = isHealthyByCheckers(healthy, total);
        const percent = Math.round((healthy * 1000) / total) / 10;
        const cmp = baseHealthy ? ">" : "<=";
        basis = `${healthy}/${total} checkers healthy (${percent}% ${cmp} ${HEALTHY_CHECKER_PERCENT}%)`;
    }
    const effectiveHealthy = inverted ? !baseHealthy : baseHealthy;
    const verdict = effectiveHealthy ? "HEALTHY" : "UNHEALTHY";
    const explanation = inverted ? `${basis} → inverted → ${verdict}` : `${basis} → ${verdict}`;
    return { baseHealthy, effectiveHealthy, noData, explanation };
}

/**
 * Failover routing (Route 53 `ResourceRecordSet.Failover` semantics):
 * - PRIMARY healthy → PRIMARY, whatever the secondary's state;
 * - PRIMARY unhealthy, SECONDARY healthy → SECONDARY;
 * - both unhealthy → PRIMARY: "when the secondary resource record set is unhealthy, Route 53 responds
 *   to DNS queries with the applicable value from the primary ... regardless of the health of the primary".
 */
export function decideFailoverAnswer(primaryHealthy: boolean, secondaryHealthy: boolean): { answer: FailoverRole; reason: string } {
    if (primaryHealthy) {
        return { answer: "PRIMARY", reason: "primary healthy" };
    }
    if (secondaryHealthy) {
        return { answer: "SECONDARY", reason: "primary unhealthy, secondary healthy" };
    }
    return {
        answer: "PRIMARY",
        reason: "both unhealthy: Route 53 answers with the PRIMARY when the secondary is unhealthy too",
    };
}
