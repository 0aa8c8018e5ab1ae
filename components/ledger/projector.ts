import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../shared/arn-partition";
import { createFailureQueue } from "../shared/failure-queue";
import { createAlarm } from "../shared/alerting";
import { REJECTED_RECORD_EVENT } from "../../contracts/ledger-schema";
import { dbUserArn, LEDGER_PROJECTOR_DB_USER, projectorPolicy } from "./iam";
import { ledgerNames } from "./naming";
import { createLedgerVpcFunction, LedgerFunctionPlacement } from "./vpc-function";
import { names, NameContext, RegionRole } from "../shared/naming";
import { NamedLogGroup } from "../shared/log-groups";

/** Namespace of the ledger's own metrics (from log metric filters). */
export const LEDGER_METRICS_NAMESPACE = "payments-dr/ledger";
/** The metric the rejected-records filter publishes (one per region). */
export const REJECTED_RECORDS_METRIC = "RejectedRecords";
/**
 * Stream batches: retried this often before the batch's position goes to the on-failure queue. Enough to ride
 * out a global failover (about a minute) at Lambda's backoff; a stream keeps records for 24 hours.
 */
export const PROJECTOR_MAX_RETRIES = 50;

export interface LedgerProjectorArgs extends LedgerFunctionPlacement {
    /** Region of each role: the projector may connect as its user on either cluster (whichever is the writer). */
    readonly regions: Readonly<Record<RegionRole, string>>;
    /** The region whose cluster config records as the writer (`ledgerWriterRole`): signed for first. */
    readonly writerRegion: string;
    readonly topicArn: pulumi.Input<string>;
    /** This region's stream of the transactions table. */
    readonly streamArn: pulumi.Input<string>;
    readonly clusterResourceIds: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    /** `AuroraGlobalDBRPOLag`'s threshold, reused for the projector's iterator age: both say how stale the ledger may be. */
    readonly lagAlarmMs: number;
    /** Resources the stream mapping waits for (the migration that creates the tables). */
    readonly startAfter: pulumi.Input<pulumi.Resource>[];
}

/**
 * The ledger projector of one region: a Lambda function in the ledger VPC consuming the region's stream of
 * the transactions table, its failure queue (the stream mapping's on-failure destination), log group, least-privilege
 * role, a metric filter counting rejected records, and its alarms. Pass the region's provider as
 * `{ providers: { aws } }`.
 */
export class LedgerProjector extends pulumi.ComponentResource {
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    public readonly failureQueueArn: pulumi.Output<string>;
    /** The projector's log group. */
    public readonly logGroups: readonly NamedLogGroup[];

    constructor(name: string, args: LedgerProjectorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments-dr:ledger:LedgerProjector", name, {}, opts);
        const { role, region, network } = args;
        const parent = { parent: this };
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: args.envLabel, suffix }));
        const peerRegion = Object.values(args.regions).find((r) => r !== args.writerRegion)!;

        const failures = createFailureQueue(
            `${name}-failures`,
            { queueName: nameOf((ctx) => ledgerNames.failureQueue(ctx, role)), keyArn: args.keyArn },
            parent,
        );
        this.failureQueueArn = failures.arn;

        const { fn, rolePolicy, logGroup, namedLogGroup } = createLedgerVpcFunction(
            name,
            {
                code: "ledger-projector",
                functionName: nameOf((ctx) => ledgerNames.projectorFunction(ctx, role)),
                roleName: nameOf((ctx) => ledgerNames.projectorRole(ctx, role)),
                description: `payments-dr ledger projector (${role}, ${region}): table stream to Aurora ledger_entries`,
                network,
                keyArn: args.keyArn,
                accountId: args.accountId,
                logRetentionDays: args.logRetentionDays,
                policy: ({ logGroupArn, subnetArns, securityGroupArn }) =>
                    pulumi
                        .all([args.accountId, args.streamArn, failures.arn, args.keyArn, args.clusterResourceIds.primary, args.clusterResourceIds.secondary])
                        .apply(([accountId, streamArn, failureQueueArn, keyArn, primaryId, secondaryId]) =>
                            projectorPolicy({
                                region,
                                accountId,
                                logGroupArn,
                                streamArn,
                                failureQueueArn,
                                keyArn,
                                subnetArns,
                                securityGroupArn,
                                dbUserArns: [
                                    // In the partition of the stack's own key.
                                    dbUserArn({
                                        partition: partitionOf(keyArn),
                                        region: args.regions.primary,
                                        accountId,
                                        clusterResourceId: primaryId,
                                        user: LEDGER_PROJECTOR_DB_USER,
                                    }),
                                    dbUserArn({
                                        partition: partitionOf(keyArn),
                                        region: args.regions.secondary,
                                        accountId,
                                        clusterResourceId: secondaryId,
                                        user: LEDGER_PROJECTOR_DB_USER,
                                    }),
                                ],
                            }),
                        ),
                environment: {
                    LEDGER_DB_HOST: args.writerEndpoint,
                    LEDGER_DB_PORT: String(args.port),
                    LEDGER_DB_NAME: args.databaseName,
                    LEDGER_DB_USER: LEDGER_PROJECTOR_DB_USER,
                    LEDGER_WRITER_REGION: args.writerRegion,
                    LEDGER_PEER_REGION: peerRegion,
                    APP_REGION: region,
                },
                memorySize: 512,
                timeout: 60,
            },
            this,
        );
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.logGroups = [namedLogGroup];

        new aws.lambda.EventSourceMapping(
            `${name}-stream`,
            {
                functionName: fn.arn,
                eventSourceArn: args.streamArn,
                // From the oldest record the stream holds: a projector created after the first writes misses none.
                startingPosition: "TRIM_HORIZON",
                batchSize: 100,
                maximumBatchingWindowInSeconds: 1,
                // Records of one item stay in order (one shard, one batch at a time per shard).
                parallelizationFactor: 1,
                functionResponseTypes: ["ReportBatchItemFailures"],
                bisectBatchOnFunctionError: true,
                maximumRetryAttempts: PROJECTOR_MAX_RETRIES,
                maximumRecordAgeInSeconds: -1,
                destinationConfig: { onFailure: { destinationArn: failures.arn } },
                // Only transaction items, only creations and updates: the table holds other items too.
                filterCriteria: {
                    filters: [{ pattern: JSON.stringify({ eventName: ["INSERT", "MODIFY"], dynamodb: { Keys: { sk: { S: ["TXN"] } } } }) }],
                },
            },
            { parent: this, dependsOn: [rolePolicy, ...args.startAfter] },
        );

        new aws.cloudwatch.LogMetricFilter(
            `${name}-rejected-records`,
            {
                logGroupName: logGroup.name,
                pattern: `"${REJECTED_RECORD_EVENT}"`,
                metricTransformation: { namespace: LEDGER_METRICS_NAMESPACE, name: REJECTED_RECORDS_METRIC, value: "1", defaultValue: "0", unit: "Count" },
            },
            parent,
        );

        const alarm = (what: string, description: string, spec: Omit<Parameters<typeof createAlarm>[1], "what" | "description">) =>
            createAlarm(
                `${name}-${what}`,
                { what, description: `${description} (${role}, ${region})`, ...spec },
                nameOf((ctx) => names.alarm(ctx, what, role)),
                args.topicArn,
                parent,
            );
        alarm("ledger-projector-errors", "Ledger projector invocations failing", {
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: fn.name },
            statistic: "Sum",
            unit: "Count",
            threshold: 1,
            periodSeconds: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
        });
        alarm("ledger-projector-iterator-age", `Ledger more than ${args.lagAlarmMs} ms behind the transactions table`, {
            namespace: "AWS/Lambda",
            metricName: "IteratorAge",
            dimensions: { FunctionName: fn.name },
            statistic: "Maximum",
            unit: "Milliseconds",
            threshold: args.lagAlarmMs,
            periodSeconds: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
        });
        alarm("ledger-projector-failures", "Stream batches the ledger projector gave up on (replay them from the queue's positions)", {
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: failures.name },
            statistic: "Maximum",
            unit: "Count",
            threshold: 1,
            periodSeconds: 300,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
        });
        alarm("ledger-rejected-records", "Transactions the ledger refused (malformed or conflicting; see ledger_rejects)", {
            namespace: LEDGER_METRICS_NAMESPACE,
            metricName: REJECTED_RECORDS_METRIC,
            dimensions: {},
            statistic: "Sum",
            threshold: 1,
            periodSeconds: 300,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
        });

        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn, failureQueueArn: this.failureQueueArn });
    }
}
