import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../shared/alerting";
import { finisherPolicy } from "./function-policies";
import { createRegionalFunction, RegionalFunction, regionalStoreEnvironment, RegionalStoreFunctionArgs } from "./function";
import { fenceEnvironment, type FenceTarget } from "../takeover/authority-store";

export const FINISHER_TIMEOUT_SECONDS = 60;
export const FINISHER_MEMORY_MB = 512;
/** Attempts of a failing batch before its records go to the on-failure queue (the DLQ, whose alarm pages). */
export const FINISHER_MAX_RETRY_ATTEMPTS = 10;
/** Records older than this go to the on-failure queue unprocessed (the stream keeps records 24 h). */
export const FINISHER_MAX_RECORD_AGE_SECONDS = 6 * 3600;

export interface ReceiptFinisherArgs extends RegionalStoreFunctionArgs {
    readonly dlqArn: pulumi.Input<string>;
    /**
     * The takeover authority that fences this region: while it is set, the finisher completes nothing, so its copy can
     * never win last-writer-wins over the version the standby answered 2xx for.
     * @default - never fenced (the standby region)
     */
    readonly fence?: FenceTarget;
}

/**
 * The receipt finisher (functions/receipt-finisher): its log group, role and function. Its event source mapping on
 * the table's stream is created by the GlobalLayer, which owns the table. Children are parented to the caller.
 */
export function createReceiptFinisher(name: string, a: ReceiptFinisherArgs, opts: { parent: pulumi.Resource }): RegionalFunction {
    return createRegionalFunction(
        name,
        {
            source: "receipt-finisher",
            id: "finisher",
            functionName: a.functionName,
            roleName: a.roleName,
            description: `payments-dr receipt finisher: completes PENDING receipts in ${a.region} from the table's stream`,
            roleDescription: `receipt finisher ${a.role} (${a.region}) execution role`,
            memoryMb: FINISHER_MEMORY_MB,
            timeoutSeconds: FINISHER_TIMEOUT_SECONDS,
            environment: { ...regionalStoreEnvironment(a), ...(a.fence ? fenceEnvironment(a.fence) : {}) },
            logRetentionDays: a.logRetentionDays,
            keyArn: a.keyArn,
            accountId: a.accountId,
            policy: (logGroupArn) =>
                pulumi
                    .all([a.tableArn, a.bucketArn, a.keyArn, a.dlqArn, logGroupArn])
                    .apply(([tableArn, bucketArn, keyArn, dlqArn, logs]) =>
                        JSON.stringify(finisherPolicy({ region: a.region, tableArn, bucketArn, keyArn, dlqArn, logGroupArn: logs })),
                    ),
        },
        opts,
    );
}

/**
 * A receipt PENDING too long: the finisher's stream iterator age (how long the records waiting for it, each a new
 * PENDING transaction, have been in the stream). It grows while the finisher keeps failing or falls behind.
 */
export function pendingReceiptAlarmSpec(functionName: pulumi.Input<string>, minutes: number): AlarmSpec {
    return {
        what: "receipt-pending",
        description: `A receipt has stayed PENDING for ${minutes} min: the receipt finisher is failing or behind (its records then reach the DLQ)`,
        namespace: "AWS/Lambda",
        metricName: "IteratorAge",
        dimensions: { FunctionName: functionName },
        statistic: "Maximum",
        unit: "Milliseconds",
        threshold: minutes * 60_000,
        periodSeconds: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
    };
}

/** The mapping's filter: INSERTs of PENDING transactions written in `region` (replicated items and updates never invoke it). */
export function finisherFilterPattern(region: string): string {
    return JSON.stringify({
        eventName: ["INSERT"],
        dynamodb: { NewImage: { sk: { S: ["TXN"] }, receiptStatus: { S: ["PENDING"] }, region: { S: [region] } } },
    });
}
