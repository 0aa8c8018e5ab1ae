import * as pulumi from "@pulumi/pulumi";
import { attachFaultInjection, RegionalStack as CoreRegionalStack, regionalStackArgProblems, type RegionalStackArgs as CoreArgs } from "../components";
import { ApiAuth, ConsistencyMode, Environment, Fence, PaymentSignalValues, ProcessorSecurity, RegionalStackWiring, RegionRole, Throttle } from "./args";
import { apiAuthOf, apiAuthProblems, enumProblem, requireValid, typeToken } from "./arg-checks";

/** The args of a RegionalStack, for every Pulumi language (the TypeScript component's args in schema shapes). */
export interface RegionalStackArgs {
    /** `primary` or `secondary`: part of every name, and what `/health` reports. */
    readonly role: RegionRole;
    /** The region this stack deploys to: it must be the region of the aws provider passed in the resource options (checked, the deployment fails otherwise). */
    readonly region: string;
    /** `dev`, `staging` or `prod`: the functions' `APP_ENV` (log fields and metrics). */
    readonly environment: Environment;
    /** The environment part of every physical name (e.g. `prod`, `dev-alice`). */
    readonly envLabel: string;
    /** The stack's random name suffix, created once per stack (e.g. six lowercase letters and digits). */
    readonly nameSuffix: pulumi.Input<string>;
    /** Name of the global table; this region's replica has the same name. The GlobalLayer creates the table. */
    readonly tableName: pulumi.Input<string>;
    /** How callers authenticate (JWT authorizer or SigV4) and where the tenant comes from: every transaction route requires it. */
    readonly apiAuth: ApiAuth;
    /** The transaction-id key, the id migration window and the per-merchant limit. */
    readonly processorSecurity: ProcessorSecurity;
    /** iam mode: tenant roles the program itself creates, role unique id to merchant id, added to `apiAuth.tenantRoles`. Defaults to none. */
    readonly programTenantRoles?: pulumi.Input<Record<string, string>>;
    /** The global table's consistency mode; must match the GlobalLayer's `consistency.mode`. */
    readonly consistencyMode: ConsistencyMode;
    /** The stage's default throttle for the transaction routes; `/health` has its own. */
    readonly throttle: Throttle;
    /** Protect the key, bucket and versions (`protect`, `retainOnDelete`, no `forceDestroy`, a year of noncurrent versions). Defaults to true in prod. */
    readonly protectData?: boolean;
    /** The key's deletion window, 7 to 30 days. Defaults to 30. */
    readonly kmsDeletionWindowDays?: number;
    /** Services besides this stack's own that may use the region's key (e.g. `rds`, `secretsmanager`). Defaults to none. */
    readonly keyExtraServices?: string[];
    /** Retention of every log group in this region, a CloudWatch Logs retention value. Defaults to 30. */
    readonly logRetentionDays?: number;
    /** Memory of the transaction processor, 512 to 10,240 MB. Defaults to 1024. */
    readonly lambdaMemoryMb?: number;
    /** Timeout of the transaction processor, 1 to 30 s (the HTTP API stops waiting after 30 s). Defaults to 10. */
    readonly lambdaTimeoutSeconds?: number;
    /** Reserved concurrency of the transaction processor. Defaults to the account's shared pool. */
    readonly reservedConcurrency?: number;
    /** Warm (provisioned) processor environments, kept in the secondary region only. Defaults to 0. */
    readonly standbyProvisionedConcurrency?: number;
    /** Largest accepted amount, in minor units. Defaults to 100000000. */
    readonly maxAmountMinor?: number;
    /** Turn the default execute-api endpoint off (once custom domains serve the API). Defaults to false. */
    readonly disableExecuteApiEndpoint?: boolean;
    /** Email address subscribed to the region's alarm topic. Defaults to no subscription. */
    readonly alarmEmail?: pulumi.Input<string>;
    /** Names of the EventBridge rules in this region that may publish to the alarm topic. Defaults to none. */
    readonly alertEventRuleNames?: pulumi.Input<string[]>;
    /** Minutes a receipt may stay PENDING before the receipt-pending alarm pages. Defaults to 5. */
    readonly pendingReceiptAlarmMinutes?: number;
    /** Let AWS FIS inject errors and latency into the transaction processor's invocations (game days). Defaults to false. */
    readonly faultInjection?: boolean;
    /** The takeover authority (a table in the standby region) that fences this region's writes, the processor's and the receipt finisher's, while it says the standby has taken over. Defaults to never fenced (the standby region). */
    readonly fence?: Fence;
    /** Secret: the last segment of the path Route 53's HTTPS check probes (32 of [a-z0-9]); give both regions the same one. Defaults to a token of its own. */
    readonly healthProbeToken?: pulumi.Input<string>;
}

/**
 * Everything that lives inside one region: its customer-managed key, documents bucket, transaction processor,
 * HTTP API, alarm topic and regional alarms. Pass the region's aws provider in the resource options
 * (`providers`); pass `wiring` and `healthProbePath` to the GlobalLayer.
 */
export class RegionalStack extends pulumi.ComponentResource {
    /** `primary` or `secondary`. */
    public readonly role: pulumi.Output<RegionRole>;
    /** The region everything in this stack lives in. */
    public readonly region: pulumi.Output<string>;
    /** The region's customer-managed KMS key: every data store, log group, queue and topic here uses it. */
    public readonly keyArn: pulumi.Output<string>;
    /** The same key's id. */
    public readonly keyId: pulumi.Output<string>;
    /** The key's alias. */
    public readonly keyAlias: pulumi.Output<string>;
    /** The documents (receipts) bucket: versioned, SSE-KMS with the region's key, no public access, TLS only. */
    public readonly bucketName: pulumi.Output<string>;
    /** The same bucket's ARN. */
    public readonly bucketArn: pulumi.Output<string>;
    /** The id of the bucket's versioning resource. */
    public readonly bucketVersioningId: pulumi.Output<string>;
    /** ARN of the global table's replica in this region. */
    public readonly tableReplicaArn: pulumi.Output<string>;
    /** The transaction processor behind the transaction routes. */
    public readonly functionName: pulumi.Output<string>;
    /** The same function's ARN. */
    public readonly functionArn: pulumi.Output<string>;
    /** The receipt finisher's on-failure queue. */
    public readonly dlqArn: pulumi.Output<string>;
    /** The same queue's name. */
    public readonly dlqName: pulumi.Output<string>;
    /** The region's HTTP API. */
    public readonly apiId: pulumi.Output<string>;
    /** The API's default endpoint URL. */
    public readonly apiEndpoint: pulumi.Output<string>;
    /** Host name of the API's default endpoint. */
    public readonly apiHost: pulumi.Output<string>;
    /** The API's execution ARN, for `execute-api:Invoke` policies. */
    public readonly apiExecutionArn: pulumi.Output<string>;
    /** The name of the API's `$default` stage. */
    public readonly stageName: pulumi.Output<string>;
    /** The region's alarm topic. */
    public readonly topicArn: pulumi.Output<string>;
    /** The account the provider deploys to. */
    public readonly accountId: pulumi.Output<string>;
    /** Every alarm this stack created. */
    public readonly alarmNames: pulumi.Output<string[]>;
    /** The function Route 53 probes. */
    public readonly healthFunctionName: pulumi.Output<string>;
    /** Secret: `/health/<token>`, the path Route 53's HTTPS check requests; pass it to the GlobalLayer's `healthProbePaths`. */
    public readonly healthProbePath: pulumi.Output<string>;
    /** The alarm on this region's payment failure share. */
    public readonly paymentFailureAlarmName: pulumi.Output<string>;
    /** The payment signal's alarm names, by child. */
    public readonly paymentSignalAlarmNames: pulumi.Output<PaymentSignalValues>;
    /** Completes PENDING receipts; the GlobalLayer attaches it to this region's table stream. */
    public readonly finisherFunctionArn: pulumi.Output<string>;
    /** The FIS fault-configuration bucket, when `faultInjection` is on. */
    public readonly faultConfigBucketArn?: pulumi.Output<string>;
    /** The names of every log group under this stack (archive them with a subscription of your own). */
    public readonly logGroupNames: pulumi.Output<string[]>;
    /** What the GlobalLayer needs from this stack: pass it as the GlobalLayer's `primary` or `secondary`. */
    public readonly wiring: pulumi.Output<RegionalStackWiring>;

    constructor(name: string, args: RegionalStackArgs, opts?: pulumi.ComponentResourceOptions) {
        const component = `RegionalStack "${name}"`;
        const enumProblems = [
            enumProblem("role", args.role, RegionRole),
            enumProblem("environment", args.environment, Environment),
            enumProblem("consistencyMode", args.consistencyMode, ConsistencyMode),
            ...apiAuthProblems(args.apiAuth),
        ];
        requireValid(component, enumProblems);
        const core = coreArgs(args);
        requireValid(component, regionalStackArgProblems(core));
        super(typeToken("RegionalStack"), name, {}, opts);

        // The TypeScript component does the work; the same name keeps its children's logical names.
        // Its region check reads the aws provider from the options it is given: pass the caller's on.
        const stack = new CoreRegionalStack(name, core, { parent: this, providers: opts?.providers, provider: opts?.provider });
        this.role = pulumi.output(args.role);
        this.region = pulumi.output(stack.region);
        this.keyArn = stack.keyArn;
        this.keyId = stack.keyId;
        this.keyAlias = stack.keyAlias;
        this.bucketName = stack.bucketName;
        this.bucketArn = stack.bucketArn;
        this.bucketVersioningId = stack.bucketVersioning.id;
        this.tableReplicaArn = stack.tableReplicaArn;
        this.functionName = stack.functionName;
        this.functionArn = stack.functionArn;
        this.dlqArn = stack.dlqArn;
        this.dlqName = stack.dlqName;
        this.apiId = stack.apiId;
        this.apiEndpoint = stack.apiEndpoint;
        this.apiHost = stack.apiHost;
        this.apiExecutionArn = stack.apiExecutionArn;
        this.stageName = stack.stage.name;
        this.topicArn = stack.topicArn;
        this.accountId = stack.accountId;
        this.alarmNames = pulumi.all(stack.alarmNames);
        this.healthFunctionName = stack.healthFunctionName;
        this.healthProbePath = stack.healthProbePath;
        this.paymentFailureAlarmName = stack.paymentFailureAlarmName;
        const signals = stack.paymentSignalAlarmNames;
        this.paymentSignalAlarmNames = pulumi.output({
            handler: signals.handler,
            api5xx: signals["api-5xx"],
            lambdaErrors: signals["lambda-errors"],
            lambdaThrottles: signals["lambda-throttles"],
        });
        this.finisherFunctionArn = stack.finisherFunctionArn;
        this.faultConfigBucketArn = stack.faultConfigBucketArn;
        this.logGroupNames = pulumi.all(stack.logGroups.map((g) => g.logGroup.name));
        // No secret in here (the probe path travels apart): a secret would mask every value the GlobalLayer derives.
        this.wiring = pulumi.output({
            region: stack.region,
            accountId: stack.accountId,
            keyArn: stack.keyArn,
            bucketName: stack.bucketName,
            bucketArn: stack.bucketArn,
            functionName: stack.functionName,
            finisherFunctionArn: stack.finisherFunctionArn,
            dlqArn: stack.dlqArn,
            apiId: stack.apiId,
            stageName: stack.stage.name,
            apiHost: stack.apiHost,
            topicArn: stack.topicArn,
            paymentSignalAlarmNames: this.paymentSignalAlarmNames,
        });
        this.registerOutputs({ wiring: this.wiring, keyArn: this.keyArn, apiEndpoint: this.apiEndpoint, healthProbePath: this.healthProbePath });
    }
}

/** The TypeScript component's args (enums checked by the caller). */
function coreArgs(args: RegionalStackArgs): CoreArgs {
    return {
        ...args,
        apiAuth: apiAuthOf(args.apiAuth),
        processorSecurity: { ...args.processorSecurity },
        throttle: { ...args.throttle },
        fence: args.fence ? { ...args.fence } : undefined,
        // The TypeScript component takes the optional part itself (its core imports no optional part).
        faultInjection: args.faultInjection ? attachFaultInjection : undefined,
    };
}
