/**
 * The fixed monthly cost of a synthesized stack: what its resources cost while no transaction flows, at AWS list
 * prices in us-east-1 (us-west-2 charges the same for these items). Usage (requests, storage, replication)
 * comes on top; docs/costs.md lists those unit prices. A month is 730 hours, as AWS's pricing pages count it.
 */

/** What the estimate needs of a recorded resource. */
export interface CostResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

export interface CostLine {
    readonly item: string;
    readonly quantity: number;
    /** USD per unit per month. */
    readonly unitPrice: number;
    readonly monthly: number;
    readonly source: string;
}

export const HOURS_PER_MONTH = 730;

/** List prices (USD), each with the page it comes from. */
export const PRICES = {
    kmsKey: { usd: 1.0, source: "https://aws.amazon.com/kms/pricing/ (per customer managed key per month; rotations add up to $2)" },
    hostedZone: { usd: 0.5, source: "https://aws.amazon.com/route53/pricing/ (per hosted zone per month, first 25)" },
    // An API Gateway domain is not an AWS endpoint in the same account, so its checks are priced as non-AWS ones.
    endpointCheck: { usd: 0.75, source: "https://aws.amazon.com/route53/pricing/ (health check, non-AWS endpoint)" },
    endpointCheckOption: { usd: 2.0, source: "https://aws.amazon.com/route53/pricing/ (each optional feature of a non-AWS endpoint check)" },
    healthCheckOfChecksOrAlarm: { usd: 0.5, source: "https://aws.amazon.com/route53/pricing/ (calculated or CloudWatch-alarm health check)" },
    alarmMetric: { usd: 0.1, source: "https://aws.amazon.com/cloudwatch/pricing/ (standard-resolution alarm, per metric)" },
    highResolutionAlarmMetric: { usd: 0.3, source: "https://aws.amazon.com/cloudwatch/pricing/ (high-resolution alarm, per metric)" },
    dashboard: { usd: 3.0, source: "https://aws.amazon.com/cloudwatch/pricing/ (per dashboard per month beyond the free 3)" },
    canaryRun: { usd: 0.0012, source: "https://aws.amazon.com/cloudwatch/pricing/ (Synthetics, per canary run)" },
    provisionedConcurrencyGbSecond: { usd: 0.0000041667, source: "https://aws.amazon.com/lambda/pricing/ (provisioned concurrency, x86, per GB-s)" },
    secret: { usd: 0.4, source: "https://aws.amazon.com/secrets-manager/pricing/ (per secret per month)" },
    fisActionMinute: { usd: 0.1, source: "https://aws.amazon.com/fis/pricing/ (per action-minute, every region but GovCloud)" },
} as const;

const round = (usd: number) => Math.round(usd * 100) / 100;

/** Route 53's optional features a health check uses: HTTPS, string matching, 10 s interval, latency graphs. */
function healthCheckOptions(inputs: Record<string, unknown>): number {
    const type = String(inputs.type ?? "");
    return (
        Number(type.startsWith("HTTPS")) +
        Number(type.endsWith("_STR_MATCH")) +
        Number(Number(inputs.requestInterval ?? 30) === 10) +
        Number(inputs.measureLatency === true)
    );
}

/** Metrics an alarm is billed for: one, or each metric (not expression) of its metric queries. */
function alarmMetrics(inputs: Record<string, unknown>): number {
    const queries = inputs.metricQueries;
    return Array.isArray(queries) ? Math.max(1, queries.filter((q) => (q as { metric?: unknown }).metric !== undefined).length) : 1;
}

/** Runs per month of a `rate(N minute[s]|hour[s])` schedule. */
export function runsPerMonth(expression: string): number {
    const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression.trim());
    if (!match) {
        return 0;
    }
    const minutes = Number(match[1]) * (match[2].startsWith("hour") ? 60 : 1);
    return (HOURS_PER_MONTH * 60) / minutes;
}

export function fixedMonthlyCosts(resources: readonly CostResource[]): CostLine[] {
    const lines: CostLine[] = [];
    const add = (item: string, quantity: number, price: { usd: number; source: string }) => {
        if (quantity > 0) {
            lines.push({ item, quantity, unitPrice: price.usd, monthly: round(quantity * price.usd), source: price.source });
        }
    };
    const ofType = (type: string) => resources.filter((r) => r.type === type);

    add("KMS customer managed keys", ofType("aws:kms/key:Key").length, PRICES.kmsKey);
    add("Route 53 hosted zones", ofType("aws:route53/zone:Zone").length, PRICES.hostedZone);
    const checks = ofType("aws:route53/healthCheck:HealthCheck");
    const endpointChecks = checks.filter((c) => !["CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL"].includes(String(c.inputs.type)));
    add("Route 53 endpoint health checks", endpointChecks.length, PRICES.endpointCheck);
    add(
        "Route 53 health-check options (HTTPS, 10 s interval, …)",
        endpointChecks.reduce((n, c) => n + healthCheckOptions(c.inputs), 0),
        PRICES.endpointCheckOption,
    );
    add("Route 53 calculated and alarm health checks", checks.length - endpointChecks.length, PRICES.healthCheckOfChecksOrAlarm);

    const alarms = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    const highResolution = (a: CostResource) => Number(a.inputs.period ?? 60) < 60;
    add(
        "CloudWatch alarm metrics",
        alarms.filter((a) => !highResolution(a)).reduce((n, a) => n + alarmMetrics(a.inputs), 0),
        PRICES.alarmMetric,
    );
    add(
        "CloudWatch high-resolution alarm metrics",
        alarms.filter(highResolution).reduce((n, a) => n + alarmMetrics(a.inputs), 0),
        PRICES.highResolutionAlarmMetric,
    );
    add("CloudWatch dashboards", ofType("aws:cloudwatch/dashboard:Dashboard").length, PRICES.dashboard);

    const canaryRuns = ofType("aws:synthetics/canary:Canary").reduce((n, c) => {
        const schedule = c.inputs.schedule as { expression?: string } | undefined;
        return n + runsPerMonth(schedule?.expression ?? "");
    }, 0);
    add("Synthetics canary runs", Math.round(canaryRuns), PRICES.canaryRun);

    const functions = ofType("aws:lambda/function:Function");
    const provisionedGbSeconds = ofType("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").reduce((n, pc) => {
        const fn = functions.find((f) => f.inputs.name === pc.inputs.functionName);
        const memoryGb = Number(fn?.inputs.memorySize ?? 128) / 1024;
        return n + Number(pc.inputs.provisionedConcurrentExecutions ?? 0) * memoryGb * HOURS_PER_MONTH * 3600;
    }, 0);
    add("Lambda provisioned concurrency (GB-s)", Math.round(provisionedGbSeconds), PRICES.provisionedConcurrencyGbSecond);
    add("Secrets Manager secrets", ofType("aws:secretsmanager/secret:Secret").length, PRICES.secret);
    return lines;
}

/** Minutes of an ISO 8601 duration as FIS takes it (`PT15M`, `PT1H30M`); 0 when it is not one. */
export function isoDurationMinutes(duration: string): number {
    const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration.trim());
    if (!match || duration.trim() === "PT") {
        return 0;
    }
    return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) + Math.round(Number(match[3] ?? 0) / 60);
}

/**
 * What running each FIS experiment template once costs (game days): FIS bills each action for the minutes it runs,
 * whatever it targets. The templates themselves cost nothing until an experiment starts; a stop condition that fires
 * ends the actions (and the bill) early, so these are upper bounds.
 */
export function gameDayCosts(resources: readonly CostResource[]): CostLine[] {
    return resources
        .filter((r) => r.type === "aws:fis/experimentTemplate:ExperimentTemplate")
        .map((t) => {
            const actions = (t.inputs.actions ?? []) as { parameters?: { key: string; value: string }[] }[];
            const minutes = actions.reduce((n, a) => n + isoDurationMinutes(a.parameters?.find((p) => p.key === "duration")?.value ?? ""), 0);
            const price = PRICES.fisActionMinute;
            return {
                item: `FIS experiment \`${t.name}\` (action-minutes)`,
                quantity: minutes,
                unitPrice: price.usd,
                monthly: round(minutes * price.usd),
                source: price.source,
            };
        });
}

export function totalMonthly(lines: readonly CostLine[]): number {
    return round(lines.reduce((sum, l) => sum + l.monthly, 0));
}

/** A Markdown table of the lines and their total (`what`: the fixed monthly cost, or one run of each game day). */
export function formatCostTable(stack: string, lines: readonly CostLine[], what: "month" | "game day" = "month"): string {
    const usd = (n: number) => `$${n.toFixed(2)}`;
    return [
        what === "month"
            ? `| ${stack}: fixed monthly cost | Quantity | Unit price | Per month |`
            : `| ${stack}: one run of each game day | Quantity | Unit price | Per run |`,
        "|---|---:|---:|---:|",
        ...lines.map(
            (l) => `| ${l.item} | ${l.quantity.toLocaleString("en-US")} | $${l.unitPrice >= 0.01 ? l.unitPrice.toFixed(2) : l.unitPrice} | ${usd(l.monthly)} |`,
        ),
        `| **Total** | | | **${usd(totalMonthly(lines))}** |`,
    ].join("\n");
}
