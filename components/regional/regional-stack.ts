import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkProviderRegion } from "../shared/provider-region";
import { requireValidArgs } from "../shared/component-args";
import { createAlertTopic, createEncryptionKey, eventRuleArn } from "../shared/alerting";
import { NamedLogGroup } from "../shared/log-groups";
import { PaymentSignalChild } from "../global/payment-signal";
import { createRegionalAlarms } from "./alarms";
import { createRegionalApi } from "./api";
import { createDocumentsBucket } from "./documents";
import { createProcessor } from "./processor";
import { RegionalStackArgs, regionalStackArgProblems, withRegionalDefaults } from "./regional-stack-args";
import { createReceiptFinisher } from "./receipt-finisher";
import { NameContext, names, RegionRole } from "../shared/naming";
import { createFailureQueue } from "../shared/failure-queue";

/**
 * Everything that lives inside one region: its customer-managed key, documents bucket, transaction-processor
 * Lambda (log group, role, dead-letter queue), HTTP API, alarm topic and regional alarms. Pass the region's
 * provider as `{ providers: { aws: provider } }`; every child inherits it through `parent`.
 */
export class RegionalStack extends pulumi.ComponentResource {
    /** `primary` or `secondary`. */
    public readonly role: RegionRole;
    /** The region everything in this stack lives in (its provider's, checked). */
    public readonly region: string;
    /** The region's customer-managed KMS key: every data store, log group, queue and topic here uses it. */
    public readonly keyArn: pulumi.Output<string>;
    /** The same key's id. */
    public readonly keyId: pulumi.Output<string>;
    /** The key's alias (`alias/transaction-encryption-<role>-<env>`). */
    public readonly keyAlias: pulumi.Output<string>;
    /** The documents (receipts) bucket: versioned, SSE-KMS with the region's key, no public access, TLS only. */
    public readonly bucketName: pulumi.Output<string>;
    /** The same bucket's ARN. */
    public readonly bucketArn: pulumi.Output<string>;
    /** The bucket's versioning resource: replication must wait for it. */
    public readonly bucketVersioning: aws.s3.BucketVersioning;
    /** ARN of the global table's replica in this region (built from the name: the table is created later). */
    public readonly tableReplicaArn: pulumi.Output<string>;
    /** The transaction processor behind the transaction routes. */
    public readonly functionName: pulumi.Output<string>;
    /** The same function's ARN. */
    public readonly functionArn: pulumi.Output<string>;
    /** The receipt finisher's on-failure queue (stream records it could not complete). */
    public readonly dlqArn: pulumi.Output<string>;
    /** The same queue's name. */
    public readonly dlqName: pulumi.Output<string>;
    /** The region's HTTP API. */
    public readonly apiId: pulumi.Output<string>;
    /** The API's default endpoint URL (`https://<id>.execute-api.<region>.amazonaws.com`). */
    public readonly apiEndpoint: pulumi.Output<string>;
    /** Host name of the API's default endpoint, e.g. `abc123.execute-api.us-east-1.amazonaws.com`. */
    public readonly apiHost: pulumi.Output<string>;
    /** The API's execution ARN, for `execute-api:Invoke` policies. */
    public readonly apiExecutionArn: pulumi.Output<string>;
    /** The API's `$default` stage (auto-deployed, throttled, access-logged). */
    public readonly stage: aws.apigatewayv2.Stage;
    /** The region's alarm topic (alarm actions must be in the alarm's region). */
    public readonly topicArn: pulumi.Output<string>;
    /** The account the provider deploys to. */
    public readonly accountId: pulumi.Output<string>;
    /** Every alarm this stack created (processor, API, queue, payment failures, pending receipts, conflicts). */
    public readonly alarmNames: pulumi.Output<string>[];
    /** The function Route 53 probes (its own role, reserved concurrency and route throttle). */
    public readonly healthFunctionName: pulumi.Output<string>;
    /** Secret: `/health/<token>`, the path Route 53's HTTPS check requests (components/regional/health-probe.ts). */
    public readonly healthProbePath: pulumi.Output<string>;
    /**
     * The alarm on this region's payment failure share: a Route 53 CloudWatch-alarm health check watches it, and the
     * region's calculated health check (GlobalLayer) is unhealthy while it is in alarm.
     */
    public readonly paymentFailureAlarmName: pulumi.Output<string>;
    /** The payment signal's alarms by child (components/global/payment-signal.ts): each is a child of the region's failover check. */
    public readonly paymentSignalAlarmNames: Record<PaymentSignalChild, pulumi.Output<string>>;
    /** Completes PENDING receipts; the GlobalLayer attaches it to this region's table stream. */
    public readonly finisherFunctionArn: pulumi.Output<string>;
    /** The FIS fault-configuration bucket the processor's extension reads, when `faultInjection` is on. */
    public readonly faultConfigBucketArn?: pulumi.Output<string>;
    /** Every log group this stack created, in the order it created them: what the log archive subscribes to. */
    public readonly logGroups: readonly NamedLogGroup[];

    constructor(name: string, args: RegionalStackArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad args stop the program before anything (this component included) is registered.
        const a = withRegionalDefaults(args);
        requireValidArgs(`RegionalStack "${name}"`, regionalStackArgProblems(a));
        // Shipped as payments-dr:index:RegionalStack (issue 22 moved it): the alias keeps existing stacks' resources.
        super("payments-dr:regional:RegionalStack", name, {}, { ...opts, aliases: [{ type: "payments-dr:index:RegionalStack" }, ...(opts?.aliases ?? [])] });
        // Its region must be its provider's: fails the deployment otherwise.
        checkProviderRegion(`RegionalStack "${name}"`, args.region, opts);
        const { role, region } = a;
        const isProd = a.protectData;
        const parent = { parent: this };
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: a.envLabel, suffix }));

        this.role = role;
        this.region = region;
        const identity = aws.getCallerIdentityOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent);
        this.accountId = identity.accountId;

        // --- Customer-managed key: every data store in this region is encrypted with it.
        const key = createEncryptionKey(
            `${name}-key`,
            {
                region,
                description: `payments-dr ${a.envLabel} ${role} (${region}): transactions, documents, logs, queues, topics`,
                deletionWindowDays: a.kmsDeletionWindowDays,
                accountId: identity.accountId,
                partition: partition.partition,
                // E.g. a ledger's clusters and RDS-managed master secret, encrypted with this key too.
                extraServices: a.keyExtraServices.length > 0 ? a.keyExtraServices : undefined,
            },
            // Retained with the data it encrypts: a prod stack removed from Pulumi leaves its key behind too.
            { parent: this, protect: isProd, retainOnDelete: isProd },
        );
        const alias = new aws.kms.Alias(`${name}-key-alias`, { name: nameOf((ctx) => names.kmsAlias(ctx, role)), targetKeyId: key.keyId }, parent);
        this.keyArn = key.arn;
        this.keyId = key.keyId;
        this.keyAlias = alias.name;

        // --- Documents bucket (regional-documents.ts).
        const { bucket, versioning } = createDocumentsBucket(name, { role, keyArn: key.arn, protectData: isProd, nameOf }, this);
        this.bucketVersioning = versioning;
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;

        // --- Dead-letter queue: the receipt finisher's on-failure destination (stream records it could not complete).
        const dlq = createFailureQueue(`${name}-dlq`, { queueName: nameOf((ctx) => names.processorDlq(ctx, role)), keyArn: key.arn }, parent);
        this.dlqArn = dlq.arn;
        this.dlqName = dlq.name;

        // --- Transaction processor (regional-processor.ts).
        this.tableReplicaArn = pulumi
            .all([partition.partition, identity.accountId, args.tableName])
            .apply(([p, accountId, table]) => `arn:${p}:dynamodb:${region}:${accountId}:table/${table}`);
        const processor = createProcessor(
            name,
            { a, keyArn: key.arn, bucket, tableReplicaArn: this.tableReplicaArn, accountId: identity.accountId, nameOf },
            this,
        );
        const fn = processor.fn;
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.faultConfigBucketArn = processor.faultConfigBucketArn;

        // What the receipt finisher and the health function share: this region's stores and key.
        const stores = {
            role,
            region,
            logRetentionDays: a.logRetentionDays,
            tableName: args.tableName,
            tableArn: this.tableReplicaArn,
            bucketName: bucket.bucket,
            bucketArn: bucket.arn,
            keyArn: key.arn,
            accountId: identity.accountId,
        };
        const finisher = createReceiptFinisher(
            name,
            {
                ...stores,
                functionName: nameOf((ctx) => names.finisherFunction(ctx, role)),
                roleName: nameOf((ctx) => names.finisherRole(ctx, role)),
                dlqArn: dlq.arn,
                fence: a.fence,
            },
            parent,
        );
        this.finisherFunctionArn = finisher.fn.arn;

        // --- HTTP API and health endpoints (regional-api.ts).
        const { api, stage, health, accessLogs } = createRegionalApi(name, { a, keyArn: key.arn, processor, stores, nameOf }, this);
        this.stage = stage;
        this.healthFunctionName = health.functionName;
        this.healthProbePath = health.probePath;
        this.apiId = api.id;
        this.apiEndpoint = api.apiEndpoint;
        this.apiHost = api.apiEndpoint.apply((endpoint) => endpoint.replace(/^https:\/\//, "").replace(/\/.*$/, ""));
        this.apiExecutionArn = api.executionArn;

        // --- Alarm topic (alarm actions must be a topic in the alarm's own region).
        const topic = createAlertTopic(
            `${name}-alerts`,
            {
                topicName: nameOf((ctx) => names.alertsTopic(ctx, role)),
                keyArn: key.arn,
                accountId: identity.accountId,
                alarmEmail: a.alarmEmail,
                eventRuleArns: pulumi
                    .all([a.alertEventRuleNames, identity.accountId, partition.partition])
                    .apply(([ruleNames, accountId, p]) => ruleNames.map((rule) => eventRuleArn(p, region, accountId, rule))),
            },
            parent,
        );
        this.topicArn = topic.arn;

        // --- Regional alarms: paging counts, and the payment signal the region's failover health check follows.
        const alarms = createRegionalAlarms(
            name,
            {
                role,
                region,
                functionName: fn.name,
                apiId: api.id,
                stageName: this.stage.name,
                dlqName: dlq.name,
                finisherName: finisher.fn.name,
                tableName: args.tableName,
                lambdaTimeoutSeconds: a.lambdaTimeoutSeconds,
                consistencyMode: a.consistencyMode,
                pendingReceiptAlarmMinutes: a.pendingReceiptAlarmMinutes,
                topicArn: topic.arn,
                nameOf,
            },
            parent,
        );
        this.alarmNames = alarms.alarmNames;
        this.paymentSignalAlarmNames = alarms.paymentSignalAlarmNames;
        this.paymentFailureAlarmName = alarms.paymentSignalAlarmNames.handler;
        this.logGroups = [processor.logGroup, finisher.logGroup, accessLogs, ...health.logGroups];

        this.registerOutputs({
            role,
            region,
            keyArn: this.keyArn,
            keyAlias: this.keyAlias,
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            tableReplicaArn: this.tableReplicaArn,
            functionName: this.functionName,
            functionArn: this.functionArn,
            dlqArn: this.dlqArn,
            apiId: this.apiId,
            apiEndpoint: this.apiEndpoint,
            topicArn: this.topicArn,
            healthFunctionName: this.healthFunctionName,
            paymentFailureAlarmName: this.paymentFailureAlarmName,
        });
    }
}
