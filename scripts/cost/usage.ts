import { WRITE_UNITS_PER_WRITE, ITEM_MAX_BYTES, writesPerTransaction } from "../../program/capacity";
import { StackSettings } from "../../program/config";
import { failoverDns } from "../../components/global/failover-dns";
import { FINISHER_MEMORY_MB } from "../../components/regional/receipt-finisher";
import { FENCE_CACHE_SECONDS } from "../../program/takeover-objectives";
import { CostLine, HOURS_PER_MONTH } from "./estimate";

/**
 * What a sustained payment rate costs a month, item by item, at AWS list prices in us-east-1 (us-west-2 charges the
 * same for these items). Each quantity comes from the stack's settings and the handler's own constants: one
 * payment is one POST /transactions that creates a transaction (201). Pure: the script and the tests call it.
 */

export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** A price that drops past volume thresholds (per month): `upTo` is the tier's upper bound in units, the last is open. */
export interface TieredPrice {
    readonly tiers: readonly { readonly upTo: number; readonly usd: number }[];
    /** The unit the tiers count, e.g. "per million requests". */
    readonly unit: string;
    readonly source: string;
}

const million = 1e6;
const billion = 1e9;
const GB = 1024 ** 3;

/** Usage list prices (USD), each with the page it comes from. */
export const USAGE_PRICES = {
    httpApiRequests: {
        tiers: [
            { upTo: 300 * million, usd: 1.0 / million },
            { upTo: Infinity, usd: 0.9 / million },
        ],
        unit: "request",
        source: "https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs: $1.00 per million for the first 300 million a month, then $0.90)",
    },
    lambdaRequests: {
        tiers: [{ upTo: Infinity, usd: 0.2 / million }],
        unit: "request",
        source: "https://aws.amazon.com/lambda/pricing/ ($0.20 per million requests)",
    },
    lambdaArmGbSeconds: {
        tiers: [
            { upTo: 7.5 * billion, usd: 0.0000133334 },
            { upTo: 18.75 * billion, usd: 0.0000120001 },
            { upTo: Infinity, usd: 0.0000106667 },
        ],
        unit: "GB-s",
        source: "https://aws.amazon.com/lambda/pricing/ (Arm duration: $0.0000133334 per GB-s for the first 7.5 billion a month, then $0.0000120001, past 18.75 billion $0.0000106667)",
    },
    dynamoWriteUnits: {
        tiers: [{ upTo: Infinity, usd: 0.625 / million }],
        unit: "write request unit",
        source:
            "https://aws.amazon.com/dynamodb/pricing/on-demand/ ($0.625 per million write request units; replicated write request units of a global " +
            "table cost the same and are charged in every replica's region, index writes are ordinary write units: DynamoDB Developer Guide, " +
            "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/global-tables-billing.html)",
    },
    dynamoReadUnits: {
        tiers: [{ upTo: Infinity, usd: 0.125 / million }],
        unit: "read request unit",
        source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ ($0.125 per million read request units; a strongly consistent read of up to 4 KB is one)",
    },
    interRegionGb: {
        tiers: [{ upTo: Infinity, usd: 0.02 }],
        unit: "GB",
        source: "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer ($0.02 per GB between US Regions; DynamoDB and S3 replication pay it)",
    },
    s3Puts: {
        tiers: [{ upTo: Infinity, usd: 0.005 / 1000 }],
        unit: "PUT",
        source: "https://aws.amazon.com/s3/pricing/ (S3 Standard: $0.005 per 1,000 PUT requests; a replica's PUT is billed in its destination)",
    },
    s3RtcGb: {
        tiers: [{ upTo: Infinity, usd: 0.015 }],
        unit: "GB",
        source: "https://aws.amazon.com/s3/pricing/ (Replication Time Control: $0.015 per GB replicated)",
    },
    kmsRequests: {
        tiers: [{ upTo: Infinity, usd: 0.03 / 10_000 }],
        unit: "request",
        source: "https://aws.amazon.com/kms/pricing/ ($0.03 per 10,000 requests)",
    },
    lambdaLogsGb: {
        tiers: [
            { upTo: 10 * 1024, usd: 0.5 },
            { upTo: 30 * 1024, usd: 0.25 },
            { upTo: 50 * 1024, usd: 0.1 },
            { upTo: Infinity, usd: 0.05 },
        ],
        unit: "GB",
        source:
            "https://aws.amazon.com/cloudwatch/pricing/ (Lambda logs are vended logs: $0.50 per GB ingested for the first 10 TB a month, " +
            "$0.25 to 30 TB, $0.10 to 50 TB, then $0.05)",
    },
    logsGb: {
        tiers: [{ upTo: Infinity, usd: 0.5 }],
        unit: "GB",
        source: "https://aws.amazon.com/cloudwatch/pricing/ ($0.50 per GB of standard logs ingested: the API's access logs)",
    },
    cloudWatchApiRequests: {
        tiers: [{ upTo: Infinity, usd: 0.01 / 1000 }],
        unit: "request",
        source: "https://aws.amazon.com/cloudwatch/pricing/ (API requests: $0.01 per 1,000)",
    },
    cloudTrailDataEvents: {
        tiers: [{ upTo: Infinity, usd: 0.1 / 100_000 }],
        unit: "event",
        source:
            "https://aws.amazon.com/cloudtrail/pricing/ ($0.10 per 100,000 data events delivered; every delivery of a data event is charged, the first " +
            "included: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-manage-costs.html)",
    },
    route53Queries: {
        tiers: [
            { upTo: 1 * billion, usd: 0.4 / million },
            { upTo: Infinity, usd: 0.2 / million },
        ],
        unit: "query",
        source:
            "https://aws.amazon.com/route53/pricing/ (standard queries: $0.40 per million for the first billion a month, then $0.20; " +
            "queries to an alias of an API Gateway domain are free)",
    },
} as const satisfies Record<string, TieredPrice>;

/** The cost of `quantity` units this month under tiered `price`. */
export function tieredCost(quantity: number, price: TieredPrice): number {
    let cost = 0;
    let from = 0;
    for (const tier of price.tiers) {
        if (quantity <= from) {
            break;
        }
        cost += (Math.min(quantity, tier.upTo) - from) * tier.usd;
        from = tier.upTo;
    }
    return cost;
}

/**
 * `npm run bench:handler`'s POST 201 p50 (docs/testing.md, "Handler tests and benchmark"), against local emulators: real
 * DynamoDB (a strongly consistent write waits for a second Region) and S3 take longer; `--duration-ms` prices another
 * figure, e.g. the stack's `expectedDurationMs`.
 */
export const BENCH_CREATE_P50_MS = 10.7;
/** What the processor logs for one created payment (its access line with the caller and the payment-outcome metric), in bytes. */
export const PROCESSOR_LOG_BYTES_PER_PAYMENT = 700;
/** The API's access log line (components/regional/access-log-format.ts, the caller included) with typical values, in bytes. */
export const ACCESS_LOG_BYTES = 500;
/** Bytes CloudWatch Logs counts per log event besides the message (PutLogEvents' batch size rule). */
export const LOG_EVENT_OVERHEAD_BYTES = 26;
/**
 * Index writes per new transaction: the transaction's `createdAt-by-day` entry (day-index.ts; the STORED update never
 * touches it) and, in eventual mode, its version item's (indexed so reconciliation sees both versions after convergence).
 */
export function indexWritesPerTransaction(mode: "strong" | "eventual"): number {
    return mode === "eventual" ? 2 : 1;
}
/** The receipt finisher reads every new transaction once (a strongly consistent GetItem) to see whether it is still PENDING. */
export const FINISHER_READS_PER_TRANSACTION = 1;
/** Stream records per finisher invocation at a sustained rate: the mapping's batch size (global-layer.ts). */
export const FINISHER_BATCH_SIZE = 100;
/** Assumed, not measured: one finisher invocation reading a batch of 100 items that are already STORED. */
export const FINISHER_ASSUMED_BATCH_MS = 100;
/** A receipt object: the receipt JSON of a typical transaction (receipts.ts), in bytes. */
export const RECEIPT_BYTES = 300;
/**
 * CloudTrail data events one payment makes on the table and the documents bucket (cloudTrailDataEvents): each write
 * of it is its own API call (2 in strong mode, 3 in eventual), the finisher's GetItem and the receipt's PutObject. The
 * replicas' writes in the other Region (DynamoDB and S3 replication) are not counted: whether CloudTrail delivers them
 * as data events could not be checked here.
 */
export function dataEventsPerTransaction(s: Pick<StackSettings, "consistency">): number {
    return writesPerTransaction(s) + FINISHER_READS_PER_TRANSACTION + 1;
}
/** The failover name's record types a client resolves: A and AAAA. */
export const QUERIES_PER_RESOLUTION = 2;

export interface UsageOptions {
    /** Sustained payments (created transactions) per second. */
    readonly tps: number;
    /** Billed duration of one payment's invocation; Lambda rounds each invocation up to the next millisecond. */
    readonly durationMs?: number;
    /** Caching resolvers (with their clients) that query the failover name, each once per TTL. */
    readonly resolvers?: number;
}

export const DEFAULT_RESOLVERS = 1000;

export interface UsageEstimate {
    readonly tps: number;
    readonly paymentsPerMonth: number;
    readonly lines: readonly CostLine[];
    readonly monthly: number;
    readonly perMillionPayments: number;
    /** The assumptions behind the figures, printed under the table. */
    readonly assumptions: readonly string[];
}

const round = (usd: number) => Math.round(usd * 100) / 100;

/** The stack settings the usage cost depends on. */
export type UsageSettings = Pick<
    StackSettings,
    | "consistency"
    | "lambdaMemoryMb"
    | "replicationTimeControl"
    | "failoverRecordTtlSeconds"
    | "failoverRecordType"
    | "domainName"
    | "failoverRecordName"
    | "domainMode"
    | "hostedZoneId"
    | "zoneDelegated"
    | "cloudTrailDataEvents"
>;

export function usageCosts(s: UsageSettings, options: UsageOptions): UsageEstimate {
    const payments = options.tps * SECONDS_PER_MONTH;
    const durationMs = Math.ceil(options.durationMs ?? BENCH_CREATE_P50_MS);
    const resolvers = options.resolvers ?? DEFAULT_RESOLVERS;
    const lines: CostLine[] = [];
    const add = (item: string, quantity: number, price: TieredPrice) => {
        const monthly = tieredCost(quantity, price);
        lines.push({
            item,
            quantity: Math.round(quantity),
            unitPrice: quantity > 0 ? monthly / quantity : price.tiers[0].usd,
            monthly: round(monthly),
            source: price.source,
        });
    };
    const P = USAGE_PRICES;
    const regions = 2;

    add("API Gateway HTTP API requests", payments, P.httpApiRequests);
    add("Lambda requests (processor)", payments, P.lambdaRequests);
    add(
        `Lambda duration (processor, ${s.lambdaMemoryMb} MB × ${durationMs} ms, GB-s)`,
        payments * (s.lambdaMemoryMb / 1024) * (durationMs / 1000),
        P.lambdaArmGbSeconds,
    );

    const writes = writesPerTransaction(s) * WRITE_UNITS_PER_WRITE;
    add(`DynamoDB replicated writes (${writes} per payment × ${regions} Regions, ${s.consistency.mode})`, payments * writes * regions, P.dynamoWriteUnits);
    add(
        `DynamoDB index writes (${indexWritesPerTransaction(s.consistency.mode)} per payment × ${regions} Regions)`,
        payments * indexWritesPerTransaction(s.consistency.mode) * regions,
        P.dynamoWriteUnits,
    );
    add("DynamoDB reads (receipt finisher, 1 strongly consistent read per payment)", payments * FINISHER_READS_PER_TRANSACTION, P.dynamoReadUnits);
    add(`DynamoDB replication transfer (≤ ${ITEM_MAX_BYTES} B per write, GB)`, (payments * writesPerTransaction(s) * ITEM_MAX_BYTES) / GB, P.interRegionGb);

    const batches = payments / FINISHER_BATCH_SIZE;
    add(`Lambda requests (receipt finisher, ${FINISHER_BATCH_SIZE} payments per batch)`, batches, P.lambdaRequests);
    add(
        `Lambda duration (receipt finisher, ${FINISHER_MEMORY_MB} MB × ${FINISHER_ASSUMED_BATCH_MS} ms per batch, assumed; GB-s)`,
        batches * (FINISHER_MEMORY_MB / 1024) * (FINISHER_ASSUMED_BATCH_MS / 1000),
        P.lambdaArmGbSeconds,
    );

    add("S3 PUTs (receipt, and its replica in the other Region)", payments * 2, P.s3Puts);
    const receiptGb = (payments * RECEIPT_BYTES) / GB;
    add(`S3 replication transfer (${RECEIPT_BYTES} B per receipt, GB)`, receiptGb, P.interRegionGb);
    if (s.replicationTimeControl) {
        add("S3 Replication Time Control (GB)", receiptGb, P.s3RtcGb);
    }
    add("KMS requests (none per payment: S3 Bucket Keys, DynamoDB's cached table key)", 0, P.kmsRequests);

    add(
        `CloudWatch Logs, processor (${PROCESSOR_LOG_BYTES_PER_PAYMENT} + ${LOG_EVENT_OVERHEAD_BYTES} B per payment, GB)`,
        (payments * (PROCESSOR_LOG_BYTES_PER_PAYMENT + LOG_EVENT_OVERHEAD_BYTES)) / GB,
        P.lambdaLogsGb,
    );
    add(
        `CloudWatch Logs, API access log (${ACCESS_LOG_BYTES} + ${LOG_EVENT_OVERHEAD_BYTES} B per request, GB)`,
        (payments * (ACCESS_LOG_BYTES + LOG_EVENT_OVERHEAD_BYTES)) / GB,
        P.logsGb,
    );
    if (s.cloudTrailDataEvents) {
        add(
            `CloudTrail data events (${dataEventsPerTransaction(s)} per payment on the table and the documents bucket)`,
            payments * dataEventsPerTransaction(s),
            P.cloudTrailDataEvents,
        );
    }
    // Each processor environment reads the takeover alarm at most once per cache period while it takes payments.
    const environments = Math.max(1, Math.ceil(options.tps * (durationMs / 1000)));
    add(
        `CloudWatch DescribeAlarms (takeover fence: ${environments} environments, 1 per ${FENCE_CACHE_SECONDS} s each)`,
        (environments / FENCE_CACHE_SECONDS) * SECONDS_PER_MONTH,
        P.cloudWatchApiRequests,
    );

    const dns = failoverDns(s);
    if (dns.records === "alias") {
        add("Route 53 queries (alias records: free)", 0, P.route53Queries);
    } else {
        const perResolver = (QUERIES_PER_RESOLUTION * SECONDS_PER_MONTH) / s.failoverRecordTtlSeconds;
        add(
            `Route 53 queries (${resolvers.toLocaleString("en-US")} resolvers × A and AAAA every ${s.failoverRecordTtlSeconds} s TTL)`,
            Math.min(resolvers * perResolver, payments * QUERIES_PER_RESOLUTION),
            P.route53Queries,
        );
    }

    const monthly = round(lines.reduce((sum, l) => sum + l.monthly, 0));
    return {
        tps: options.tps,
        paymentsPerMonth: payments,
        lines,
        monthly,
        perMillionPayments: round((monthly / payments) * million),
        assumptions: [
            `a month is ${HOURS_PER_MONTH} hours: ${options.tps.toLocaleString("en-US")} payments/s is ${payments.toLocaleString("en-US")} payments`,
            `processor duration ${durationMs} ms per payment` +
                (options.durationMs === undefined
                    ? ` (\`npm run bench:handler\` POST 201 p50 ${BENCH_CREATE_P50_MS} ms, local emulators; \`--duration-ms\` prices another)`
                    : ""),
            `${resolvers.toLocaleString("en-US")} caching resolvers query the failover name (\`--resolvers\`)`,
            ...(s.consistency.mode === "strong"
                ? [`the witness (${s.consistency.witnessRegion}) is not priced: AWS's global-tables billing page does not mention it`]
                : []),
            "not included: storage (it grows every month), retries and replays, GET requests, health checks and canaries",
        ],
    };
}
