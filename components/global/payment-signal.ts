import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../shared/alerting";
import {
    PAYMENT_FAILURE_EVALUATION_PERIODS,
    PAYMENT_FAILURE_PERIOD_SECONDS,
    PAYMENT_FAILURE_SHARE_THRESHOLD,
    paymentFailureAlarmSpec,
} from "../regional/payment-alarm";
import { RegionRole } from "../shared/naming";

/**
 * The payment signal: what turns a region's CALCULATED health check unhealthy when most payment requests fail, for
 * any reason. The handler's own metric (PaymentsDR/PaymentFailed) exists only when handler code ran; throttling, an
 * init failure, a timeout, an integration error or FIS `preventExecution` write nothing there. So each region has
 * four alarms, each a child of its calculated check (Route 53 takes one single-metric alarm with a standard statistic
 * per check, no metric math, no percentiles: Route 53 API reference, AlarmIdentifier,
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html):
 *
 * - `handler`: the handler's 0/1 PaymentFailed, Average = the share of payments it answered 5xx (a fault it caught).
 * - `api-5xx`: AWS/ApiGateway `5xx` of the region's HTTP API stage, published for every request whatever the function
 *   does. API Gateway answers 500 when Lambda rejects the invocation (throttling) and 502 when the function fails or
 *   times out (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html); 4xx and stage throttling
 *   (429) count in `4xx`, never here, and dilute the share (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html).
 * - `lambda-errors`, `lambda-throttles`: AWS/Lambda `Errors` (function errors: exceptions, timeouts, init and runtime
 *   errors) and `Throttles` of the processor. Lambda publishes them as 0/1 per invocation request ("binary indicators",
 *   https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), so the Average is the failing share.
 *
 * Every alarm: Average ≥ 0.5 in each of 2 one-minute periods. A share, not a count: a 429 storm or a burst of client
 * errors at 10,000 TPS never moves traffic; half the payments failing for 2 minutes does.
 */

/** The four children, in the order the calculated check lists them. */
export const PAYMENT_SIGNAL_CHILDREN = ["handler", "api-5xx", "lambda-errors", "lambda-throttles"] as const;
export type PaymentSignalChild = (typeof PAYMENT_SIGNAL_CHILDREN)[number];

/**
 * Every signal alarm treats a period without data as not breaching. For the AWS metrics no data means no request
 * reached the API or the function (they publish a point per request whatever the outcome), i.e. an idle region,
 * which must stay healthy. For the handler metric no data is also what a dead handler looks like: the AWS children
 * see that case. (CloudWatch User Guide, "Configuring how CloudWatch alarms treat missing data",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data)
 */
export const PAYMENT_SIGNAL_TREAT_MISSING_DATA = "notBreaching";

/**
 * What Route 53 makes of a signal alarm in INSUFFICIENT_DATA. With `notBreaching` the alarm is in that state only
 * right after it is created or while CloudWatch cannot evaluate it. `LastKnownStatus` keeps the status it last had
 * ("For new health checks that have no last known status, the default status for the health check is healthy":
 * Route 53 API reference, HealthCheckConfig, https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html):
 * a new region starts healthy, and a region whose payments were failing does not turn healthy, and take traffic
 * back, because CloudWatch went quiet (`Healthy` would do that; `Unhealthy` would fail a healthy region over).
 */
export const PAYMENT_SIGNAL_INSUFFICIENT_DATA_STATUS = "LastKnownStatus";

/** CloudWatch evaluates an alarm after its period closes; our allowance for that (AWS publishes no figure). */
export const SIGNAL_EVALUATION_ALLOWANCE_SECONDS = 60;

/**
 * Worst-case seconds from the moment payments start failing until a signal alarm is in ALARM: the period the
 * failure starts in may not breach (it started late in it), then every evaluation period must, then CloudWatch
 * evaluates. 2 × 60 s + 60 s + 60 s = 240 s.
 */
export function paymentSignalDetectionSeconds(): number {
    return (PAYMENT_FAILURE_EVALUATION_PERIODS + 1) * PAYMENT_FAILURE_PERIOD_SECONDS + SIGNAL_EVALUATION_ALLOWANCE_SECONDS;
}

/** What a region's signal alarms watch. */
export interface PaymentSignalTargets {
    readonly role: RegionRole;
    readonly region: string;
    /** The transaction processor (FunctionName aggregates all its versions and aliases). */
    readonly functionName: pulumi.Input<string>;
    /** The HTTP API and its stage (`$default`). */
    readonly apiId: pulumi.Input<string>;
    readonly stageName: pulumi.Input<string>;
}

function shareAlarm(what: string, description: string, namespace: string, metricName: string, dimensions: AlarmSpec["dimensions"]): AlarmSpec {
    return {
        what,
        description,
        namespace,
        metricName,
        dimensions,
        statistic: "Average",
        unit: "Count",
        threshold: PAYMENT_FAILURE_SHARE_THRESHOLD,
        periodSeconds: PAYMENT_FAILURE_PERIOD_SECONDS,
        evaluationPeriods: PAYMENT_FAILURE_EVALUATION_PERIODS,
        datapointsToAlarm: PAYMENT_FAILURE_EVALUATION_PERIODS,
        treatMissingData: PAYMENT_SIGNAL_TREAT_MISSING_DATA,
    };
}

/** The region's four signal alarms, by child. The handler's keeps its shipped name (`payment-failures`). */
export function paymentSignalAlarmSpecs(t: PaymentSignalTargets): Record<PaymentSignalChild, AlarmSpec> {
    const where = `${t.role} region (${t.region})`;
    const share = `${PAYMENT_FAILURE_SHARE_THRESHOLD * 100}%`;
    const minutes = `${PAYMENT_FAILURE_EVALUATION_PERIODS} minutes; Route 53 fails the region's health check`;
    return {
        handler: { ...paymentFailureAlarmSpec(t.role, t.region), treatMissingData: PAYMENT_SIGNAL_TREAT_MISSING_DATA },
        "api-5xx": shareAlarm(
            "payments-api-5xx",
            `Requests failing in the ${where}: at least ${share} of the API's requests answered 5xx (any cause: throttling, init failure, timeout, integration error) for ${minutes}`,
            "AWS/ApiGateway",
            "5xx",
            { ApiId: t.apiId, Stage: t.stageName },
        ),
        "lambda-errors": shareAlarm(
            "payments-lambda-errors",
            `Transaction processor failing in the ${where}: at least ${share} of invocations end in a function error (exception, timeout, init failure) for ${minutes}`,
            "AWS/Lambda",
            "Errors",
            { FunctionName: t.functionName },
        ),
        "lambda-throttles": shareAlarm(
            "payments-lambda-throttles",
            `Transaction processor throttled in the ${where}: at least ${share} of invocation requests rejected for concurrency for ${minutes}`,
            "AWS/Lambda",
            "Throttles",
            { FunctionName: t.functionName },
        ),
    };
}

export interface PaymentHealthChecksArgs {
    readonly role: RegionRole;
    readonly region: string;
    readonly envLabel: string;
    /** The region's signal alarm names, by child (RegionalStack `paymentSignalAlarmNames`). */
    readonly alarmNames: Readonly<Record<PaymentSignalChild, pulumi.Input<string>>>;
}

/**
 * One CloudWatch-alarm health check per signal alarm, children of the region's calculated check. The handler's keeps
 * its shipped logical name (`<name>-<role>-payments-health`).
 */
export function createPaymentHealthChecks(
    name: string,
    a: PaymentHealthChecksArgs,
    opts: pulumi.CustomResourceOptions,
): Record<PaymentSignalChild, aws.route53.HealthCheck> {
    const checks = {} as Record<PaymentSignalChild, aws.route53.HealthCheck>;
    for (const child of PAYMENT_SIGNAL_CHILDREN) {
        const suffix = child === "handler" ? "" : `-${child}`;
        checks[child] = new aws.route53.HealthCheck(
            `${name}-${a.role}-payments${suffix}-health`,
            {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: a.alarmNames[child],
                cloudwatchAlarmRegion: a.region,
                insufficientDataHealthStatus: PAYMENT_SIGNAL_INSUFFICIENT_DATA_STATUS,
                tags: { Name: `payments-dr-${a.envLabel}-${a.role}-payments${suffix}` },
            },
            opts,
        );
    }
    return checks;
}
