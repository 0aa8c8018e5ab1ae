import { CostLine, HOURS_PER_MONTH } from "./estimate";
import { SECONDS_PER_MONTH, tieredCost, USAGE_PRICES } from "./usage";

/**
 * A documented trade-off, not a change: what an Application Load Balancer in front of the processor would cost
 * instead of the HTTP API at the same sustained rate. An ALB bills per hour and per LCU-hour, an LCU-hour being the
 * largest of four dimensions; at a sustained high rate the processed bytes dominate. us-east-1 list prices.
 */
export const ALB_PRICES = {
    hour: { usd: 0.0225, source: "https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer: $0.0225 per hour)" },
    lcuHour: { usd: 0.008, source: "https://aws.amazon.com/elasticloadbalancing/pricing/ ($0.008 per LCU-hour)" },
} as const;

/** One LCU per hour covers each of these (Elastic Load Balancing pricing page), whichever the load uses most of. */
export const LCU = {
    newConnectionsPerSecond: 25,
    activeConnectionsPerMinute: 3000,
    /** Processed bytes for Lambda targets (1 GB for instance and IP targets). */
    lambdaGbPerHour: 0.4,
    ruleEvaluationsPerSecond: 1000,
} as const;

/** Assumptions, printed with the figures. */
export const ALB_ASSUMPTIONS = {
    /** Request and response of one payment with their headers, as the ALB counts processed bytes. */
    bytesPerRequest: 2048,
    /** Clients keep connections alive: one new TLS connection per this many requests. */
    requestsPerConnection: 100,
    /** How long a kept-alive connection lives. */
    connectionSeconds: 60,
    /** One ALB per region: the standby's idles at the hourly price. */
    albs: 2,
} as const;

export interface AlbComparison {
    readonly lines: readonly CostLine[];
    readonly monthly: number;
    /** What the HTTP API requests cost at the same rate. */
    readonly httpApiMonthly: number;
    readonly lcus: number;
}

const round = (usd: number) => Math.round(usd * 100) / 100;

export function albInsteadOfHttpApi(tps: number): AlbComparison {
    const a = ALB_ASSUMPTIONS;
    const newConnections = tps / a.requestsPerConnection;
    const lcus = Math.max(
        newConnections / LCU.newConnectionsPerSecond,
        (newConnections * a.connectionSeconds) / LCU.activeConnectionsPerMinute,
        (tps * a.bytesPerRequest * 3600) / 1024 ** 3 / LCU.lambdaGbPerHour,
        // The listener's rules stay within the 10 free rule evaluations per request.
        0,
    );
    const line = (item: string, quantity: number, price: { usd: number; source: string }): CostLine => ({
        item,
        quantity: Math.round(quantity),
        unitPrice: price.usd,
        monthly: round(quantity * price.usd),
        source: price.source,
    });
    const lines = [
        line(`ALB hours (${a.albs} load balancers, one per region)`, a.albs * HOURS_PER_MONTH, ALB_PRICES.hour),
        line(`ALB LCU-hours (${Math.ceil(lcus)} LCUs, processed bytes for Lambda targets)`, Math.ceil(lcus) * HOURS_PER_MONTH, ALB_PRICES.lcuHour),
    ];
    return {
        lines,
        monthly: round(lines.reduce((sum, l) => sum + l.monthly, 0)),
        httpApiMonthly: round(tieredCost(tps * SECONDS_PER_MONTH, USAGE_PRICES.httpApiRequests)),
        lcus,
    };
}
