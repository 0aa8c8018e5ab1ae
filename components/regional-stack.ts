import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkProviderRegion } from "./provider-region";
import { ApiAuth } from "./api-auth";
import { integerProblem, problemsOf, requireValidArgs, retentionProblem } from "./component-args";
import { Environment } from "./environment";
import { HTTP_API_INTEGRATION_TIMEOUT_S, LAMBDA_MEMORY_MAX_MB, LAMBDA_MEMORY_MIN_MB } from "./service-limits";
import { ConsistencyMode } from "./consistency";
import { functionArchive, LAMBDA_RUNTIME } from "./function-bundle";
import { createAlertTopic, createEncryptionKey } from "./alerting";
import { API_ROUTES, authEnvironment, authorizationScopesFor, authorizationTypeFor } from "./api-routes";
import { processorSecurityEnvironment, type ProcessorSecurityArgs } from "./processor-security";
import { accessLogFormat } from "./access-log-format";
import { keyOnlyBucketPolicy } from "./bucket-key-policy";
import { createHealthEndpoint } from "./health-endpoint";
import { createHealthProbeToken } from "./health-probe";
import { PaymentSignalChild } from "./payment-signal";
import { createRegionalAlarms } from "./regional-alarms";
import { fenceEnvironment, type FenceTarget } from "./takeover-authority-store";
import { BUCKET_TARGET_TAG } from "./game-day-iam";
import { createReceiptFinisher } from "./receipt-finisher";
import { eventRuleArn } from "./failover-events";
import { ArchivedLogGroup, collectLogGroups } from "./log-archive";
import { processorPolicy, serviceTrustPolicy, trustPolicyJson } from "./iam";
import { fitName, NAME_LIMITS, NameContext, names, RegionRole } from "./naming";
import { createFailureQueue } from "./failure-queue";
import { createFaultInjectionConfig } from "./fault-injection";
import { FIS_EXEC_WRAPPER, fisConfigLocation } from "./fault-injection-iam";

export interface RegionalStackArgs {
    /** `primary` or `secondary`: part of every name, and what `/health` reports. */
    readonly role: RegionRole;
    /** The region this stack deploys to. It must be the region of the provider passed as `providers.aws`: checked, the deployment fails otherwise. */
    readonly region: string;
    /** `dev`, `staging` or `prod`: the functions' `APP_ENV` (log fields and metrics). */
    readonly environment: Environment;
    /** The environment part of every physical name (e.g. `prod`, `dev-alice`). */
    readonly envLabel: string;
    /** The stack's random name suffix, created once per stack. */
    readonly nameSuffix: pulumi.Input<string>;
    /** Name of the global table; this region's replica has the same name. The table itself is created by the GlobalLayer. */
    readonly tableName: pulumi.Input<string>;
    /** How callers authenticate (JWT authorizer or SigV4) and where the tenant comes from: every transaction route requires it. */
    readonly apiAuth: ApiAuth;
    /** The transaction-id key, the id migration window and the per-merchant limit (components/processor-security.ts). */
    readonly processorSecurity: ProcessorSecurityArgs;
    /**
     * iam mode: tenant roles the program itself creates (the canaries'), role unique id to merchant id, added to
     * `apiAuth.tenantRoles`; their ids are only known once the roles exist.
     * @default - none
     */
    readonly programTenantRoles?: pulumi.Input<Record<string, string>>;
    /** The global table's consistency mode (the handler maps MRSC conflicts, or detects cross-region conflicts). Must match the GlobalLayer's. */
    readonly consistencyMode: ConsistencyMode;
    /** The stage's default throttle (requests per second and burst) for the transaction routes; `/health` has its own. */
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    /**
     * Protect the key, bucket and versions: `protect` and `retainOnDelete` on data stores, no `forceDestroy`, a year of
     * noncurrent document versions (30 days otherwise).
     * @default environment === "prod"
     */
    readonly protectData?: boolean;
    /**
     * The key's deletion window (7 to 30 days).
     * @default 30
     */
    readonly kmsDeletionWindowDays?: number;
    /**
     * Services besides this stack's own that may use the region's key (e.g. `rds`, `secretsmanager` for a ledger).
     * @default - none
     */
    readonly keyExtraServices?: readonly string[];
    /**
     * Retention of every log group in this region (a CloudWatch Logs retention value).
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * Memory of the transaction processor (512 to 10,240 MB).
     * @default 1024
     */
    readonly lambdaMemoryMb?: number;
    /**
     * Timeout of the transaction processor (1 to 30 s: the HTTP API stops waiting after 30 s).
     * @default 10
     */
    readonly lambdaTimeoutSeconds?: number;
    /**
     * Reserved concurrency of the transaction processor.
     * @default - the account's shared pool
     */
    readonly reservedConcurrency?: number;
    /**
     * Warm (provisioned) processor environments, kept in the secondary region only; above 0 both regions call the
     * processor through a `live` alias (parity).
     * @default 0
     */
    readonly standbyProvisionedConcurrency?: number;
    /**
     * Largest accepted amount, in minor units.
     * @default 100000000
     */
    readonly maxAmountMinor?: number;
    /**
     * Turn the default execute-api endpoint off (once custom domains serve the API).
     * @default false
     */
    readonly disableExecuteApiEndpoint?: boolean;
    /**
     * Email address subscribed to the region's alarm topic.
     * @default - no subscription
     */
    readonly alarmEmail?: pulumi.Input<string>;
    /**
     * Names of the EventBridge rules in this region that may publish to the alarm topic.
     * @default - none
     */
    readonly alertEventRuleNames?: pulumi.Input<readonly string[]>;
    /**
     * Minutes a receipt may stay PENDING before the receipt-pending alarm pages.
     * @default 5
     */
    readonly pendingReceiptAlarmMinutes?: number;
    /**
     * Let AWS FIS inject errors and latency into the transaction processor's invocations (game days): the FIS
     * extension as a layer, Lambda's wrapper variable and a fault-configuration bucket on the region's key. The
     * extension's wrapper then runs on every invocation.
     * @default false
     */
    readonly faultInjection?: boolean;
    /**
     * The takeover authority (a table in the standby region, components/takeover-authority.ts) that fences this
     * region's writes, the processor's and the receipt finisher's, while it says the standby has taken over.
     * @default - never fenced (the standby region)
     */
    readonly fence?: FenceTarget;
    /**
     * Secret: the last segment of the path Route 53's HTTPS check probes (`/health/<token>`, 32 of [a-z0-9]).
     * Give both regions the same one (the region-parity policy compares their stages).
     * @default - a token of its own
     */
    readonly healthProbeToken?: pulumi.Input<string>;
}

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
    /** Secret: `/health/<token>`, the path Route 53's HTTPS check requests (components/health-probe.ts). */
    public readonly healthProbePath: pulumi.Output<string>;
    /**
     * The alarm on this region's payment failure share: a Route 53 CloudWatch-alarm health check watches it, and the
     * region's calculated health check (GlobalLayer) is unhealthy while it is in alarm.
     */
    public readonly paymentFailureAlarmName: pulumi.Output<string>;
    /** The payment signal's alarms by child (components/payment-signal.ts): each is a child of the region's failover check. */
    public readonly paymentSignalAlarmNames: Record<PaymentSignalChild, pulumi.Output<string>>;
    /** Completes PENDING receipts; the GlobalLayer attaches it to this region's table stream. */
    public readonly finisherFunctionArn: pulumi.Output<string>;
    /** The FIS fault-configuration bucket the processor's extension reads, when `faultInjection` is on. */
    public readonly faultConfigBucketArn?: pulumi.Output<string>;
    /** Every log group created under this component (by it or by any child component): the log archive subscribes to each. */
    public readonly logGroups: ArchivedLogGroup[];

    constructor(name: string, args: RegionalStackArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad args stop the program before anything (this component included) is registered.
        const a = withRegionalDefaults(args);
        requireValidArgs(`RegionalStack "${name}"`, regionalStackArgProblems(a));
        const logGroups: ArchivedLogGroup[] = [];
        super("payments-dr:index:RegionalStack", name, {}, { ...opts, transformations: [...(opts?.transformations ?? []), collectLogGroups(logGroups)] });
        this.logGroups = logGroups;
        // Its region must be its provider's: fails the deployment otherwise.
        checkProviderRegion(`RegionalStack "${name}"`, args.region, opts);
        const { role, region } = a;
        const isProd = a.protectData;
        const warmStandby = a.standbyProvisionedConcurrency > 0;
        const parent = { parent: this };
        // Data stores outlive a mistaken `pulumi destroy` in prod.
        const dataOpts: pulumi.CustomResourceOptions = { parent: this, protect: isProd, retainOnDelete: isProd };
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

        // --- Documents bucket.
        // Tagged with its own name: what FIS game days select it by (the S3 pause targets buckets by tags only).
        const bucketName = nameOf((ctx) => names.documentsBucket(ctx, role));
        const bucket = new aws.s3.Bucket(
            `${name}-documents`,
            { bucket: bucketName, forceDestroy: !isProd, tags: { [BUCKET_TARGET_TAG]: bucketName } },
            dataOpts,
        );
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${name}-documents-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            parent,
        );
        new aws.s3.BucketOwnershipControls(`${name}-documents-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
        this.bucketVersioning = new aws.s3.BucketVersioning(
            `${name}-documents-versioning`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            parent,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-documents-encryption`,
            {
                bucket: bucket.id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
            },
            parent,
        );
        new aws.s3.BucketPolicy(
            `${name}-documents-tls-only`,
            // TLS only, and no upload that asks for another key or SSE-S3 (components/bucket-key-policy.ts).
            { bucket: bucket.id, policy: pulumi.all([bucket.arn, key.arn]).apply(([arn, keyArn]) => JSON.stringify(keyOnlyBucketPolicy(arn, keyArn))) },
            // S3 refuses policy changes while a new public-access block is still being applied.
            { parent: this, dependsOn: [publicAccessBlock] },
        );
        // Required by the original requirements; note it speeds up client uploads, not replication.
        new aws.s3.BucketAccelerateConfiguration(`${name}-documents-acceleration`, { bucket: bucket.id, status: "Enabled" }, parent);
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-documents-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: { prefix: "" },
                        noncurrentVersionExpiration: { noncurrentDays: isProd ? 365 : 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this, dependsOn: [this.bucketVersioning] },
        );
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;

        // --- Dead-letter queue: the receipt finisher's on-failure destination (stream records it could not complete).
        const dlq = createFailureQueue(`${name}-dlq`, { queueName: nameOf((ctx) => names.processorDlq(ctx, role)), keyArn: key.arn }, parent);
        this.dlqArn = dlq.arn;
        this.dlqName = dlq.name;

        // --- Transaction processor: log group first, so Lambda never creates an unencrypted one itself.
        const functionName = nameOf((ctx) => names.processorFunction(ctx, role));
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-processor-logs`,
            { name: functionName.apply(names.functionLogGroup), retentionInDays: a.logRetentionDays, kmsKeyId: key.arn },
            parent,
        );
        this.tableReplicaArn = pulumi
            .all([partition.partition, identity.accountId, args.tableName])
            .apply(([p, accountId, table]) => `arn:${p}:dynamodb:${region}:${accountId}:table/${table}`);
        const processorRole = new aws.iam.Role(
            `${name}-processor-role`,
            {
                name: nameOf((ctx) => names.processorRole(ctx, role)),
                description: `transaction-processor ${role} (${region}) execution role`,
                assumeRolePolicy: identity.accountId.apply((accountId) => trustPolicyJson(serviceTrustPolicy("lambda.amazonaws.com", accountId))),
            },
            parent,
        );
        // Game days: the FIS extension on the processor, reading fault configurations from this region's bucket.
        const faults = a.faultInjection
            ? createFaultInjectionConfig(
                  `${name}-fis-config`,
                  {
                      bucketName: nameOf((ctx) => fitName(`fis-config-${role}`, ctx, NAME_LIMITS.s3Bucket)),
                      keyArn: key.arn,
                      // Configurations expire after a day; prod still never force-deletes a bucket (policy pack).
                      forceDestroy: !isProd,
                  },
                  parent,
              )
            : undefined;
        this.faultConfigBucketArn = faults?.bucketArn;
        // Reading the authority is granted by the TakeoverAuthority component, which owns the table.
        const fence = args.fence;
        const processorRolePolicy = new aws.iam.RolePolicy(
            `${name}-processor-policy`,
            {
                role: processorRole.id,
                policy: pulumi
                    .all([this.tableReplicaArn, bucket.arn, key.arn, logGroup.arn, faults?.bucketArn])
                    .apply(([tableArn, bucketArn, keyArn, logGroupArn, faultConfigBucketArn]) =>
                        JSON.stringify(
                            processorPolicy({
                                region,
                                tableArn,
                                bucketArn,
                                keyArn,
                                logGroupArn,
                                ...(faultConfigBucketArn ? { faultConfigBucketArn } : {}),
                            }),
                        ),
                    ),
            },
            parent,
        );
        const fn = new aws.lambda.Function(
            `${name}-processor`,
            {
                name: functionName,
                description: `payments-dr transaction processor (${role}, ${region})`,
                role: processorRole.arn,
                runtime: LAMBDA_RUNTIME,
                architectures: ["arm64"],
                handler: "index.handler",
                code: functionArchive("transaction-processor"),
                memorySize: a.lambdaMemoryMb,
                timeout: a.lambdaTimeoutSeconds,
                reservedConcurrentExecutions: a.reservedConcurrency,
                // A warm standby needs a published version behind an alias (provisioned concurrency needs a qualifier).
                publish: warmStandby,
                kmsKeyArn: key.arn,
                layers: faults ? [faults.layerArn] : undefined,
                environment: {
                    // Lambda reserves AWS_* names (AWS_REGION is set by the runtime); ours are prefixed differently.
                    variables: {
                        TABLE_NAME: args.tableName,
                        BUCKET_NAME: bucket.bucket,
                        APP_REGION: region,
                        REGION_ROLE: role,
                        KMS_KEY_ID: key.arn,
                        APP_ENV: a.environment,
                        MAX_AMOUNT_MINOR: String(a.maxAmountMinor),
                        ...authEnvironment(a.apiAuth, a.programTenantRoles),
                        ...processorSecurityEnvironment(a.processorSecurity),
                        CONSISTENCY_MODE: a.consistencyMode,
                        // The takeover authority fences this region's writes (functions/transaction-processor/fence.ts).
                        ...(fence ? fenceEnvironment(fence) : {}),
                        // Game days: Lambda starts the runtime through the FIS extension (fault-injection-iam.ts).
                        ...(faults
                            ? { AWS_LAMBDA_EXEC_WRAPPER: FIS_EXEC_WRAPPER, AWS_FIS_CONFIGURATION_LOCATION: faults.bucketArn.apply(fisConfigLocation) }
                            : {}),
                    },
                },
                tracingConfig: { mode: "Active" },
                // No dead-letter target: API Gateway invokes synchronously, and Lambda only dead-letters asynchronous
                // invocations. What can fail without a client retry is the receipt finisher, whose queue is the DLQ.
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
            },
            { parent: this, dependsOn: [logGroup, processorRolePolicy] },
        );
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        // Both regions call the processor through the same alias (parity); only the standby keeps environments warm.
        const live = warmStandby
            ? new aws.lambda.Alias(`${name}-processor-live`, { name: "live", functionName: fn.name, functionVersion: fn.version }, parent)
            : undefined;
        if (live && role === "secondary") {
            new aws.lambda.ProvisionedConcurrencyConfig(
                `${name}-processor-warm`,
                { functionName: fn.name, qualifier: live.name, provisionedConcurrentExecutions: a.standbyProvisionedConcurrency },
                parent,
            );
        }

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
                fence,
            },
            parent,
        );
        this.finisherFunctionArn = finisher.arn;

        // --- HTTP API.
        const accessLogs = new aws.cloudwatch.LogGroup(
            `${name}-api-access-logs`,
            { name: nameOf((ctx) => names.accessLogGroup(ctx, role)), retentionInDays: a.logRetentionDays, kmsKeyId: key.arn },
            parent,
        );
        const api = new aws.apigatewayv2.Api(
            `${name}-api`,
            {
                name: nameOf((ctx) => names.httpApi(ctx, role)),
                protocolType: "HTTP",
                description: `payments-dr transactions API (${role}, ${region})`,
                disableExecuteApiEndpoint: a.disableExecuteApiEndpoint,
            },
            parent,
        );
        const integration = new aws.apigatewayv2.Integration(
            `${name}-processor-integration`,
            {
                apiId: api.id,
                integrationType: "AWS_PROXY",
                integrationMethod: "POST",
                integrationUri: live ? live.arn : fn.arn,
                payloadFormatVersion: "2.0",
                timeoutMilliseconds: Math.min(30_000, a.lambdaTimeoutSeconds * 1000),
            },
            parent,
        );
        // Authentication (see components/api-routes.ts): a JWT authorizer in jwt mode, SigV4 (AWS_IAM) in iam mode.
        const auth = a.apiAuth;
        const authorizer =
            auth.mode === "jwt"
                ? new aws.apigatewayv2.Authorizer(
                      `${name}-jwt-authorizer`,
                      {
                          apiId: api.id,
                          name: "transactions-jwt",
                          authorizerType: "JWT",
                          identitySources: ["$request.header.Authorization"],
                          jwtConfiguration: { issuer: auth.issuer, audiences: [...auth.audiences] },
                      },
                      parent,
                  )
                : undefined;
        for (const route of API_ROUTES) {
            const authorizationType = authorizationTypeFor(route, auth);
            new aws.apigatewayv2.Route(
                `${name}-route-${route.id}`,
                {
                    apiId: api.id,
                    routeKey: route.routeKey,
                    target: pulumi.interpolate`integrations/${integration.id}`,
                    authorizationType,
                    authorizerId: authorizationType === "JWT" ? authorizer?.id : undefined,
                    authorizationScopes: authorizationScopesFor(route, auth),
                },
                parent,
            );
        }
        const health = createHealthEndpoint(
            name,
            {
                ...stores,
                functionName: nameOf((ctx) => names.healthFunction(ctx, role)),
                roleName: nameOf((ctx) => names.healthRole(ctx, role)),
                publicFunctionName: nameOf((ctx) => names.healthPublicFunction(ctx, role)),
                publicRoleName: nameOf((ctx) => names.healthPublicRole(ctx, role)),
                apiId: api.id,
                apiExecutionArn: api.executionArn,
                probeToken: args.healthProbeToken ?? createHealthProbeToken(name, parent),
            },
            parent,
        );
        this.healthFunctionName = health.functionName;
        this.healthProbePath = health.probePath;
        this.stage = new aws.apigatewayv2.Stage(
            `${name}-stage`,
            {
                apiId: api.id,
                name: "$default",
                autoDeploy: true,
                defaultRouteSettings: {
                    throttlingRateLimit: a.throttle.rateLimit,
                    throttlingBurstLimit: a.throttle.burstLimit,
                    detailedMetricsEnabled: false,
                },
                // The health routes' own throttles: payment traffic at the stage limit cannot make them answer 429.
                routeSettings: health.routeSettings,
                accessLogSettings: {
                    destinationArn: accessLogs.arn,
                    // Who called, too (components/access-log-format.ts).
                    format: accessLogFormat(a.apiAuth),
                },
            },
            // API Gateway refuses route settings for a route that does not exist yet.
            { parent: this, dependsOn: health.routes },
        );
        new aws.lambda.Permission(
            `${name}-api-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: fn.name,
                qualifier: live?.name,
                principal: "apigateway.amazonaws.com",
                // This API only, any stage and route.
                sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
            },
            parent,
        );
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
                finisherName: finisher.name,
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

/** The args with every default applied. */
type ResolvedRegionalStackArgs = Required<Omit<RegionalStackArgs, "reservedConcurrency" | "alarmEmail" | "fence" | "healthProbeToken" | "programTenantRoles">> &
    Pick<RegionalStackArgs, "reservedConcurrency" | "alarmEmail" | "fence" | "healthProbeToken" | "programTenantRoles">;

function withRegionalDefaults(args: RegionalStackArgs): ResolvedRegionalStackArgs {
    return {
        ...args,
        protectData: args.protectData ?? args.environment === "prod",
        kmsDeletionWindowDays: args.kmsDeletionWindowDays ?? 30,
        keyExtraServices: args.keyExtraServices ?? [],
        logRetentionDays: args.logRetentionDays ?? 30,
        lambdaMemoryMb: args.lambdaMemoryMb ?? 1024,
        lambdaTimeoutSeconds: args.lambdaTimeoutSeconds ?? 10,
        standbyProvisionedConcurrency: args.standbyProvisionedConcurrency ?? 0,
        maxAmountMinor: args.maxAmountMinor ?? 100_000_000,
        disableExecuteApiEndpoint: args.disableExecuteApiEndpoint ?? false,
        alertEventRuleNames: args.alertEventRuleNames ?? [],
        pendingReceiptAlarmMinutes: args.pendingReceiptAlarmMinutes ?? 5,
        faultInjection: args.faultInjection ?? false,
    };
}

/** What AWS would refuse in these args, checked before anything is registered. */
export function regionalStackArgProblems(a: RegionalStackArgs): string[] {
    const max = Number.MAX_SAFE_INTEGER;
    return problemsOf([
        integerProblem("kmsDeletionWindowDays", a.kmsDeletionWindowDays ?? 30, 7, 30, "days"),
        retentionProblem("logRetentionDays", a.logRetentionDays ?? 30),
        integerProblem("lambdaMemoryMb", a.lambdaMemoryMb ?? 1024, LAMBDA_MEMORY_MIN_MB, LAMBDA_MEMORY_MAX_MB, "MB"),
        integerProblem("lambdaTimeoutSeconds", a.lambdaTimeoutSeconds ?? 10, 1, HTTP_API_INTEGRATION_TIMEOUT_S, "seconds"),
        a.reservedConcurrency === undefined ? undefined : integerProblem("reservedConcurrency", a.reservedConcurrency, 1, max),
        integerProblem("standbyProvisionedConcurrency", a.standbyProvisionedConcurrency ?? 0, 0, max),
        integerProblem("maxAmountMinor", a.maxAmountMinor ?? 100_000_000, 1, max, "minor units"),
        integerProblem("throttle.rateLimit", a.throttle.rateLimit, 1, max, "requests per second"),
        integerProblem("throttle.burstLimit", a.throttle.burstLimit, 1, max, "requests"),
        integerProblem("pendingReceiptAlarmMinutes", a.pendingReceiptAlarmMinutes ?? 5, 1, 1440, "minutes"),
        a.fence !== undefined && a.fence.region === a.region ? `\`fence.region\` is ${a.region}: the takeover authority lives in the other region` : undefined,
    ]);
}
