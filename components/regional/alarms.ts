import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, createAlarm } from "../shared/alerting";
import { crossRegionConflictAlarmSpec } from "./conflict-alarm";
import { ConsistencyMode } from "../global/consistency";
import { NameContext, names, RegionRole } from "../shared/naming";
import { PAYMENT_SIGNAL_CHILDREN, PaymentSignalChild, paymentSignalAlarmSpecs } from "../global/payment-signal";
import { pendingReceiptAlarmSpec } from "./receipt-finisher";

/** What a RegionalStack's alarms watch and where they notify. */
export interface RegionalAlarmsArgs {
    readonly role: RegionRole;
    readonly region: string;
    readonly functionName: pulumi.Input<string>;
    readonly apiId: pulumi.Input<string>;
    readonly stageName: pulumi.Input<string>;
    readonly dlqName: pulumi.Input<string>;
    readonly finisherName: pulumi.Input<string>;
    readonly tableName: pulumi.Input<string>;
    readonly lambdaTimeoutSeconds: number;
    readonly consistencyMode: ConsistencyMode;
    readonly pendingReceiptAlarmMinutes: number;
    readonly topicArn: pulumi.Input<string>;
    readonly nameOf: (f: (ctx: NameContext) => string) => pulumi.Output<string>;
}

export interface RegionalAlarms {
    /** Every alarm created here. */
    readonly alarmNames: pulumi.Output<string>[];
    /** The payment signal's alarms, by child (components/global/payment-signal.ts). */
    readonly paymentSignalAlarmNames: Record<PaymentSignalChild, pulumi.Output<string>>;
}

/** The paging alarms of one region (counts: someone should look) and its payment signal (shares: Route 53 acts). */
export function regionalAlarmSpecs(
    a: Omit<RegionalAlarmsArgs, "topicArn" | "nameOf" | "pendingReceiptAlarmMinutes" | "finisherName" | "stageName">,
): AlarmSpec[] {
    const timeoutMs = a.lambdaTimeoutSeconds * 1000;
    return [
        {
            what: "lambda-errors",
            description: "Transaction processor invocations failing",
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: a.functionName },
            statistic: "Sum",
            unit: "Count",
            threshold: 1,
            periodSeconds: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
        },
        {
            what: "lambda-throttles",
            description: "Transaction processor throttled: concurrency exhausted",
            namespace: "AWS/Lambda",
            metricName: "Throttles",
            dimensions: { FunctionName: a.functionName },
            statistic: "Sum",
            unit: "Count",
            threshold: 1,
            periodSeconds: 60,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
        },
        {
            what: "lambda-duration",
            description: `Transaction processor p99 duration above 80% of its ${a.lambdaTimeoutSeconds} s timeout`,
            namespace: "AWS/Lambda",
            metricName: "Duration",
            dimensions: { FunctionName: a.functionName },
            extendedStatistic: "p99",
            unit: "Milliseconds",
            threshold: Math.round(timeoutMs * 0.8),
            periodSeconds: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
        },
        {
            what: "api-5xx",
            description: "Transactions API answering 5xx",
            namespace: "AWS/ApiGateway",
            metricName: "5xx",
            dimensions: { ApiId: a.apiId },
            statistic: "Sum",
            unit: "Count",
            threshold: 5,
            periodSeconds: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
        },
        {
            what: "api-latency",
            description: "Transactions API p99 latency above 1 s (the sub-second target)",
            namespace: "AWS/ApiGateway",
            metricName: "Latency",
            dimensions: { ApiId: a.apiId },
            extendedStatistic: "p99",
            unit: "Milliseconds",
            threshold: 1000,
            periodSeconds: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
        },
        {
            what: "dlq-messages",
            description: "Stream records the receipt finisher could not complete (receipts still PENDING): see the runbook",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: a.dlqName },
            statistic: "Maximum",
            unit: "Count",
            threshold: 1,
            periodSeconds: 300,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
        },
        // Eventual consistency: one key accepted in both Regions with different bodies (components/regional/conflict-alarm.ts).
        ...(a.consistencyMode === "eventual" ? [crossRegionConflictAlarmSpec(a.tableName)] : []),
    ];
}

/**
 * Creates the region's alarms under `parent` (the RegionalStack), with the logical names they shipped with:
 * `<name>-<what>`, `<name>-payment-failures` (the handler's signal alarm) and `<name>-receipt-pending`.
 */
export function createRegionalAlarms(name: string, a: RegionalAlarmsArgs, opts: { parent: pulumi.Resource }): RegionalAlarms {
    const { role, region } = a;
    const alarm = (logicalName: string, spec: AlarmSpec) =>
        createAlarm(
            logicalName,
            spec,
            a.nameOf((ctx) => names.alarm(ctx, spec.what, role)),
            a.topicArn,
            opts,
        ).name;
    const alarmNames = regionalAlarmSpecs(a).map((spec) => alarm(`${name}-${spec.what}`, { ...spec, description: `${spec.description} (${role}, ${region})` }));
    const signal = paymentSignalAlarmSpecs({ role, region, functionName: a.functionName, apiId: a.apiId, stageName: a.stageName });
    const paymentSignalAlarmNames = {} as Record<PaymentSignalChild, pulumi.Output<string>>;
    for (const child of PAYMENT_SIGNAL_CHILDREN) {
        const logicalName = child === "handler" ? `${name}-payment-failures` : `${name}-${signal[child].what}`;
        paymentSignalAlarmNames[child] = alarm(logicalName, signal[child]);
    }
    alarmNames.push(
        ...PAYMENT_SIGNAL_CHILDREN.map((child) => paymentSignalAlarmNames[child]),
        alarm(`${name}-receipt-pending`, pendingReceiptAlarmSpec(a.finisherName, a.pendingReceiptAlarmMinutes)),
    );
    return { alarmNames, paymentSignalAlarmNames };
}
