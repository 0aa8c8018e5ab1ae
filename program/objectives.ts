import * as pulumi from "@pulumi/pulumi";
import { StackSettings } from "./config";
import { failoverDns } from "../components/global/failover-dns";
import { isAuroraLedger } from "../components/ledger/settings";
import { LedgerRto, ledgerRpoObjective, ledgerRto } from "../components/ledger/objectives";
import { paymentSignalDetectionSeconds } from "../components/global/payment-signal";
import { DYNAMODB_REPLICATION_LATENCY_ALARM_MS } from "../components/global/replication-alarms";

/**
 * Recovery objectives computed from the stack's own settings (never hard-coded), and compared with the
 * targets in stack config. Pure: the program exports it, the offline preview prints it, tests check it.
 */

/** AWS: an HTTPS checker must connect within 4 s and get a status code within 2 s after connecting. */
export const HEALTH_CHECK_REQUEST_TIMEOUT_SECONDS = 4 + 2;
/**
 * Allowance for Route 53 to aggregate the checkers' reports (healthy while more than 18% report healthy) and
 * act on the new status. AWS publishes no figure for this step; 30 s is our conservative assumption.
 */
export const ROUTE53_AGGREGATION_ALLOWANCE_SECONDS = 30;
/**
 * The TTL clients get from an alias record. Route 53 ignores the TTL of an alias to an AWS resource and answers
 * with the resource's own ("If an alias record points to an AWS resource, you can't set the time to live (TTL);
 * Route 53 uses the default TTL for the resource": Route 53 Developer Guide, "Choosing between alias and
 * non-alias records", docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html).
 * AWS publishes no figure for API Gateway's regional domain names; we assume 60 s, the fixed alias TTL the
 * Route 53 FAQ gives for failover to ELB and S3 website endpoints.
 */
export const ALIAS_TARGET_TTL_SECONDS = 60;
/** S3 Replication Time Control: 99.99% of objects within 15 minutes (the SLA). */
export const S3_RTC_SLA_SECONDS = 15 * 60;

// One store's RPO line and one failover path (objective-types.ts: ledger-objectives.ts reads them without a cycle).
export type { FailoverPath, StoreObjective } from "../components/shared/objective-types";
import type { FailoverPath, StoreObjective } from "../components/shared/objective-types";

export interface RecoveryObjectives {
    /** /health path: failures in a row × interval, how long until the checkers call the region unhealthy. */
    readonly detectionSeconds: number;
    readonly checkTimeoutSeconds: number;
    readonly aggregationSeconds: number;
    /** The TTL clients cache the failover answer for: the CNAME's own, or the alias target's. */
    readonly dnsTtlSeconds: number;
    /** Where `dnsTtlSeconds` comes from. */
    readonly dnsTtlBasis: string;
    /** The /health path: detection + check timeout + aggregation + TTL. */
    readonly healthPath: FailoverPath;
    /** The payment-failure path: the payment signal's alarms (components/global/payment-signal.ts) + aggregation + TTL. */
    readonly paymentPath: FailoverPath;
    /** Worst-case time until clients resolve the secondary, across both paths. */
    readonly rtoSeconds: number;
    /** The /health path's target (`rtoTargetMinutes`): a region outage. */
    readonly rtoTargetSeconds: number;
    /** The payment path's target (`paymentRtoTargetMinutes`): payments failing while /health passes. */
    readonly paymentRtoTargetSeconds: number;
    readonly rpo: readonly StoreObjective[];
    /** The relational ledger's recovery time, when the stack has one (`ledger: aurora-global`). */
    readonly ledgerRto?: LedgerRto;
    /** Targets the settings make impossible; the offline preview fails on any. */
    readonly problems: readonly string[];
}

export function computeRecoveryObjectives(s: StackSettings): RecoveryObjectives {
    const detectionSeconds = s.healthCheckIntervalSeconds * s.healthCheckFailureThreshold;
    // Alias records (custom-domain mode, `failoverRecordType: alias`): the configured TTL does not reach clients.
    const alias = failoverDns(s).records === "alias";
    const dnsTtlSeconds = alias ? ALIAS_TARGET_TTL_SECONDS : s.failoverRecordTtlSeconds;
    const dnsTtlBasis = alias ? "alias target's TTL, set by AWS" : "the CNAMEs' TTL, `failoverRecordTtlSeconds`";
    const healthPath: FailoverPath = {
        detectionSeconds,
        rtoSeconds: detectionSeconds + HEALTH_CHECK_REQUEST_TIMEOUT_SECONDS + ROUTE53_AGGREGATION_ALLOWANCE_SECONDS + dnsTtlSeconds,
        basis: "GET /health: interval × failure threshold + check timeout",
    };
    // Payments failing while /health passes: one-minute alarms (Route 53 takes only standard-resolution metrics).
    const paymentDetection = paymentSignalDetectionSeconds();
    const paymentPath: FailoverPath = {
        detectionSeconds: paymentDetection,
        rtoSeconds: paymentDetection + ROUTE53_AGGREGATION_ALLOWANCE_SECONDS + dnsTtlSeconds,
        basis: "payment signal: 2 one-minute alarm periods + the period the failure starts in + CloudWatch's evaluation",
    };
    const rtoSeconds = Math.max(healthPath.rtoSeconds, paymentPath.rtoSeconds);
    const rtoTargetSeconds = s.rtoTargetMinutes * 60;
    const paymentRtoTargetSeconds = s.paymentRtoTargetMinutes * 60;
    const rpoTargetSeconds = s.rpoTargetMinutes * 60;

    const dynamodb: StoreObjective =
        s.consistency.mode === "strong"
            ? {
                  store: "DynamoDB global table (transactions, system of record)",
                  // MRSC: a write succeeds only once it is durable in a second Region (the replica or the witness),
                  // so losing any one Region loses no acknowledged transaction.
                  worstCaseSeconds: 0,
                  basis: `multi-Region strong consistency: a write is acknowledged once a second Region (replica or witness ${s.consistency.witnessRegion}) has it`,
                  watchedBy: "no replication lag to watch: a Region that cannot reach its write quorum refuses writes (503, payment-failures alarm)",
                  targetSeconds: rpoTargetSeconds,
              }
            : {
                  store: "DynamoDB global table (transactions, system of record)",
                  // Global tables replicate asynchronously, typically within a second; AWS states no upper bound, so
                  // the bound we can vouch for is the alarm that pages before the target is reached.
                  worstCaseSeconds: DYNAMODB_REPLICATION_LATENCY_ALARM_MS / 1000,
                  basis: "asynchronous replication, typically under 1 s; bounded operationally by the ReplicationLatency alarm",
                  watchedBy: `ReplicationLatency (TableName, ReceivingRegion) average >= ${DYNAMODB_REPLICATION_LATENCY_ALARM_MS} ms`,
                  targetSeconds: rpoTargetSeconds,
              };
    const s3: StoreObjective = s.replicationTimeControl
        ? {
              store: "S3 documents (receipts; re-creatable from the table)",
              worstCaseSeconds: S3_RTC_SLA_SECONDS,
              basis: "Replication Time Control SLA: 99.99% of objects within 15 minutes",
              watchedBy: "S3 ReplicationLatency maximum >= 900 s and OperationsFailedReplication >= 1",
          }
        : {
              store: "S3 documents (receipts; re-creatable from the table)",
              basis: "replication without RTC: most objects within minutes, no AWS bound",
              watchedBy: "S3 ReplicationLatency maximum >= 900 s and OperationsFailedReplication >= 1",
          };

    const problems: string[] = [];
    if (healthPath.rtoSeconds > rtoTargetSeconds) {
        problems.push(
            `worst-case failover is ${healthPath.rtoSeconds} s (${s.healthCheckIntervalSeconds} s × ${s.healthCheckFailureThreshold} checks + ` +
                `${HEALTH_CHECK_REQUEST_TIMEOUT_SECONDS} s check timeout + ${ROUTE53_AGGREGATION_ALLOWANCE_SECONDS} s aggregation + ` +
                `${dnsTtlSeconds} s ${alias ? "alias-target TTL, set by AWS" : "TTL"}), above \`payments-dr:rtoTargetMinutes\` ${s.rtoTargetMinutes} min: lower the ` +
                (alias
                    ? "interval or the failure threshold, or use `failoverRecordType: cname` (an alias record's TTL cannot be lowered)."
                    : "interval, the failure threshold or the TTL."),
        );
    }
    if (paymentPath.rtoSeconds > paymentRtoTargetSeconds) {
        problems.push(
            `worst-case failover on failing payments is ${paymentPath.rtoSeconds} s (${paymentDetection} s payment signal + ` +
                `${ROUTE53_AGGREGATION_ALLOWANCE_SECONDS} s aggregation + ${dnsTtlSeconds} s ${alias ? "alias-target TTL, set by AWS" : "TTL"}), above ` +
                `\`payments-dr:paymentRtoTargetMinutes\` ${s.paymentRtoTargetMinutes} min: the signal's one-minute alarms are the finest Route 53 accepts; raise the target` +
                (alias ? "." : " or lower the TTL."),
        );
    }
    if (s.consistency.mode === "eventual" && dynamodb.worstCaseSeconds! > rpoTargetSeconds) {
        problems.push(
            `the DynamoDB replication alarm fires at ${dynamodb.worstCaseSeconds} s, above \`payments-dr:rpoTargetMinutes\` ` +
                `${s.rpoTargetMinutes} min: the target would be missed before anyone is paged.`,
        );
    }
    return {
        detectionSeconds,
        checkTimeoutSeconds: HEALTH_CHECK_REQUEST_TIMEOUT_SECONDS,
        aggregationSeconds: ROUTE53_AGGREGATION_ALLOWANCE_SECONDS,
        dnsTtlSeconds,
        dnsTtlBasis,
        healthPath,
        paymentPath,
        rtoSeconds,
        rtoTargetSeconds,
        paymentRtoTargetSeconds,
        rpo: isAuroraLedger(s.ledger) ? [dynamodb, s3, ledgerRpoObjective(s.rpoTargetMinutes)] : [dynamodb, s3],
        ...(isAuroraLedger(s.ledger) ? { ledgerRto: ledgerRto() } : {}),
        problems,
    };
}

/** How a worst case compares with its target: OK, MISSED, UNBOUNDED (a target but no bound), or n/a (no target). */
export type ObjectiveStatus = "OK" | "MISSED" | "UNBOUNDED" | "n/a";

export function objectiveStatus(worstCaseSeconds: number | undefined, targetSeconds: number | undefined): ObjectiveStatus {
    if (targetSeconds === undefined) {
        return "n/a";
    }
    if (worstCaseSeconds === undefined) {
        return "UNBOUNDED";
    }
    return worstCaseSeconds <= targetSeconds ? "OK" : "MISSED";
}

/** Both failover paths within their targets: OK, else MISSED. */
export function rtoStatus(o: RecoveryObjectives): ObjectiveStatus {
    const health = objectiveStatus(o.healthPath.rtoSeconds, o.rtoTargetSeconds);
    const payment = objectiveStatus(o.paymentPath.rtoSeconds, o.paymentRtoTargetSeconds);
    return health === "OK" && payment === "OK" ? "OK" : "MISSED";
}

export function rpoStatus(store: StoreObjective): ObjectiveStatus {
    return objectiveStatus(store.worstCaseSeconds, store.targetSeconds);
}

/** The report the offline preview prints. */
export function formatRecoveryObjectives(o: RecoveryObjectives): string {
    const lines = [
        "Recovery objectives (computed from this stack's settings)",
        `  failure detection     ${o.detectionSeconds} s (interval × failure threshold) + ${o.checkTimeoutSeconds} s check timeout (/health path)`,
        `  payment detection     ${o.paymentPath.detectionSeconds} s (${o.paymentPath.basis})`,
        `  Route 53 aggregation  ${o.aggregationSeconds} s (allowance; AWS publishes no figure)`,
        `  DNS convergence       ${o.dnsTtlSeconds} s (${o.dnsTtlBasis})`,
        `  RTO /health path      ${o.healthPath.rtoSeconds} s   target ${o.rtoTargetSeconds} s   ${objectiveStatus(o.healthPath.rtoSeconds, o.rtoTargetSeconds)}`,
        `  RTO payment path      ${o.paymentPath.rtoSeconds} s   target ${o.paymentRtoTargetSeconds} s   ${objectiveStatus(o.paymentPath.rtoSeconds, o.paymentRtoTargetSeconds)}`,
        `  RTO (worst case)      ${o.rtoSeconds} s   ${rtoStatus(o)}`,
    ];
    for (const store of o.rpo) {
        const worst = store.worstCaseSeconds === undefined ? "unbounded" : `${store.worstCaseSeconds} s`;
        const target = store.targetSeconds === undefined ? "no target" : `target ${store.targetSeconds} s`;
        lines.push(`  RPO ${store.store}   ${worst}   ${target}   ${rpoStatus(store)}`);
        lines.push(`      ${store.basis}; watched by ${store.watchedBy}`);
    }
    if (o.ledgerRto) {
        lines.push(`  RTO ledger (Aurora)   ${o.ledgerRto.rtoSeconds} s (${o.ledgerRto.basis})`);
    }
    for (const problem of o.problems) {
        lines.push(`  PROBLEM: ${problem}`);
    }
    return lines.join("\n");
}

/**
 * Thrown by the program when the settings cannot meet the recovery targets, so that `pulumi preview` and
 * `pulumi up` refuse the stack, not only the offline preview. A `pulumi.RunError`: one clean message.
 */
export class RecoveryObjectivesError extends pulumi.RunError {
    constructor(
        readonly problems: readonly string[],
        stack: string,
    ) {
        super(
            `Stack ${stack} cannot meet its recovery objectives (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "RecoveryObjectivesError";
    }
}

/** The objectives of `s`, or a `RecoveryObjectivesError` when they miss a target. */
export function requireRecoveryObjectives(s: StackSettings): RecoveryObjectives {
    const objectives = computeRecoveryObjectives(s);
    if (objectives.problems.length > 0) {
        throw new RecoveryObjectivesError(objectives.problems, s.stack);
    }
    return objectives;
}

/** Client retries, the standby's cold start and Route 53's CloudWatch-alarm check polling: room before we give up. */
const DRAIN_MARGIN_MINUTES = 3;

/**
 * Minutes after which failing payments in the primary mean the failover did not happen (the game days' stop condition, components/resilience/game-day-stop-alarm.ts): the payment-failure path's
 * worst case (the payment signal, Route 53's aggregation and the TTL clients cache, from the stack's computed
 * objectives), plus a margin.
 */
export function failoverDrainMinutes(o: RecoveryObjectives): number {
    return Math.ceil(o.paymentPath.rtoSeconds / 60) + DRAIN_MARGIN_MINUTES;
}
