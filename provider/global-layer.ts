import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    GlobalLayer as CoreGlobalLayer,
    globalLayerArgProblems,
    ROUTE53_METRICS_REGION,
    type GlobalLayerArgs as CoreArgs,
    type RegionalStack as CoreRegionalStack,
    type RegionRole as CoreRole,
} from "../components";
import {
    Consistency,
    ConsistencyMode,
    DomainMode,
    Environment,
    FailoverRecordType,
    PaymentSignalPair,
    PaymentSignalValues,
    RegionalStackWiring,
    RegionPair,
    TakeoverSignal,
    WarmThroughput,
} from "./args";
import { enumProblem, requireValid, typeToken } from "./arg-checks";

/** The args of a GlobalLayer, for every Pulumi language: each region's stack arrives as its `wiring` output. */
export interface GlobalLayerArgs {
    /** `dev`, `staging` or `prod`: decides what `protectData` defaults to. */
    readonly environment: Environment;
    /** The environment part of every physical name (e.g. `prod`, `dev-alice`). */
    readonly envLabel: string;
    /** The stack's random name suffix, the one the RegionalStacks were given. */
    readonly nameSuffix: pulumi.Input<string>;
    /** Name of the global table, the one the RegionalStacks were given. */
    readonly tableName: pulumi.Input<string>;
    /** The primary region: the table's home. Must be the primary RegionalStack's region (checked). */
    readonly primaryRegion: string;
    /** The secondary region: the table's replica. Must be the secondary RegionalStack's region (checked). */
    readonly secondaryRegion: string;
    /** The primary RegionalStack's `wiring` output. */
    readonly primary: pulumi.Input<RegionalStackWiring>;
    /** The secondary RegionalStack's `wiring` output. */
    readonly secondary: pulumi.Input<RegionalStackWiring>;
    /** Secret: each RegionalStack's `healthProbePath` output (the path Route 53's HTTPS checks request). */
    readonly healthProbePaths: RegionPair;
    /** The table's multi-Region consistency: `strong` (MRSC, with a witness region) or `eventual`. Fixed when the table is created. */
    readonly consistency: Consistency;
    /** The domain of the failover zone (created here unless `hostedZoneId` names an existing one). */
    readonly domainName: string;
    /** The failover name's first label: clients call `<failoverRecordName>.<domainName>`. Defaults to `api`. */
    readonly failoverRecordName?: string;
    /** `custom-domain` (certificates and API custom domains, HTTPS on the failover name) or `dns-only` (CNAMEs only). Defaults to `custom-domain`. */
    readonly domainMode?: DomainMode;
    /** An existing hosted zone of `domainName` (taken as delegated). Defaults to a zone created here. */
    readonly hostedZoneId?: string;
    /** The zone created here is delegated from the parent domain, so ACM can validate through it. Defaults to false. */
    readonly zoneDelegated?: boolean;
    /** Protect the table and zone: `protect` and `retainOnDelete`, no `forceDestroy`. Defaults to true in prod. */
    readonly protectData?: boolean;
    /** DynamoDB deletion protection on the table and its replica. Defaults to `protectData`. */
    readonly deletionProtection?: boolean;
    /** The table's warm throughput at creation (DynamoDB raises it by itself later and refuses decreases). Defaults to DynamoDB's. */
    readonly warmThroughput?: WarmThroughput;
    /** Tags of the secondary's replica. Defaults to none. */
    readonly replicaTags?: Record<string, string>;
    /** Replicate documents back from the secondary to the primary too. Defaults to false. */
    readonly reverseReplication?: boolean;
    /** S3 Replication Time Control (a 15-minute SLA, billed per GB). Defaults to false. */
    readonly replicationTimeControl?: boolean;
    /** Route 53 health-check interval: 10 or 30 s. Defaults to 30. */
    readonly healthCheckIntervalSeconds?: number;
    /** Consecutive failed probes before a health check is unhealthy, 1 to 10. Defaults to 3. */
    readonly healthCheckFailureThreshold?: number;
    /** TTL of the failover CNAMEs, 1 to 60 s. Defaults to 60. */
    readonly failoverRecordTtlSeconds?: number;
    /** With custom domains: `alias` (A/AAAA) or `cname`. Defaults to `alias`. */
    readonly failoverRecordType?: FailoverRecordType;
    /** Who may assume the DR operator role (with MFA). Defaults to the account's principals tagged `payments-dr-operator=<envLabel>`. */
    readonly operatorPrincipalArn?: string;
    /** Email address subscribed to the Route 53 alarm topic in us-east-1 (when neither region is us-east-1). Defaults to no subscription. */
    readonly alarmEmail?: pulumi.Input<string>;
    /** Names of the EventBridge rules in us-east-1 that may publish to that topic. Defaults to none. */
    readonly route53AlertEventRuleNames?: pulumi.Input<string[]>;
    /** Deletion window of the us-east-1 topic's key, 7 to 30 days. Defaults to 30. */
    readonly kmsDeletionWindowDays?: number;
}

/** The members of a RegionalStack the GlobalLayer reads, rebuilt from the wiring (resources become stand-ins). */
type WiredStack = Pick<
    CoreRegionalStack,
    "role" | "region" | "accountId" | "keyArn" | "bucketName" | "bucketArn" | "functionName" | "finisherFunctionArn" | "dlqArn" | "apiId"
> &
    Pick<CoreRegionalStack, "apiHost" | "topicArn" | "healthProbePath" | "paymentSignalAlarmNames"> & {
        readonly stage: { readonly name: pulumi.Output<string> };
        readonly bucketVersioning: pulumi.Resource;
    };

/**
 * What spans regions: the DynamoDB global table, S3 replication between the documents buckets, the Route 53 zone
 * with a calculated health check and a failover record per region, cross-region alarms, the dashboard and the
 * DR operator role. It deploys through aws providers of its own, one per region (and one in us-east-1 for
 * Route 53's metrics), with the credentials of the environment Pulumi runs in.
 */
export class GlobalLayer extends pulumi.ComponentResource {
    /** The global table: the system of record. */
    public readonly tableName: pulumi.Output<string>;
    /** The table's ARN in the primary region. */
    public readonly tableArn: pulumi.Output<string>;
    /** Each region's table stream ARN. */
    public readonly tableStreamArns: pulumi.Output<RegionPair>;
    /** The failover zone. */
    public readonly zoneId: pulumi.Output<string>;
    /** The zone's name servers (delegate the domain to them). */
    public readonly nameServers: pulumi.Output<string[]>;
    /** The name clients call. */
    public readonly failoverFqdn: pulumi.Output<string>;
    /** Each region's HTTPS health check. */
    public readonly healthCheckIds: pulumi.Output<RegionPair>;
    /** Each region's payment-signal (calculated) health check. */
    public readonly paymentsHealthCheckIds: pulumi.Output<RegionPair>;
    /** Each region's payment-signal child health checks. */
    public readonly paymentSignalHealthCheckIds: pulumi.Output<PaymentSignalPair>;
    /** Each region's failover (calculated) health check, the one its failover record uses. */
    public readonly failoverHealthCheckIds: pulumi.Output<RegionPair>;
    /** What each region's HTTPS health check probes. */
    public readonly healthCheckTargets: pulumi.Output<RegionPair>;
    /** The Route 53 health-check alarm topic (us-east-1). */
    public readonly route53AlarmTopicArn: pulumi.Output<string>;
    /** The CloudWatch dashboard. */
    public readonly dashboardName: pulumi.Output<string>;
    /** The S3 replication role. */
    public readonly replicationRoleArn: pulumi.Output<string>;
    /** The DR operator role (what the failover scripts assume). */
    public readonly operatorRoleArn: pulumi.Output<string>;
    /** The same role's name. */
    public readonly operatorRoleName: pulumi.Output<string>;
    /** The takeover signal the DR scripts set, clear and read. */
    public readonly takeoverSignal: pulumi.Output<TakeoverSignal>;
    /** The takeover health check. */
    public readonly takeoverHealthCheckId: pulumi.Output<string>;
    /** The primary region's failover health check. */
    public readonly primaryFailoverHealthCheckId: pulumi.Output<string>;
    /** What the operator must know about this deployment (e.g. a DNS-only failover name). */
    public readonly notices: pulumi.Output<string[]>;

    constructor(name: string, args: GlobalLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        const component = `GlobalLayer "${name}"`;
        const regions: Record<CoreRole, string> = { primary: args.primaryRegion, secondary: args.secondaryRegion };
        requireValid(component, [
            enumProblem("environment", args.environment, Environment),
            enumProblem("consistency.mode", args.consistency?.mode, ConsistencyMode),
            args.domainMode === undefined ? undefined : enumProblem("domainMode", args.domainMode, DomainMode),
            args.failoverRecordType === undefined ? undefined : enumProblem("failoverRecordType", args.failoverRecordType, FailoverRecordType),
            args.consistency?.mode === ConsistencyMode.Strong && !args.consistency.witnessRegion
                ? "`consistency.witnessRegion` is missing: strong mode needs a witness region"
                : undefined,
        ]);
        // The layer's own checks, on the regions alone (no resource exists yet).
        const probe = (role: CoreRole) => ({ role, region: regions[role] }) as unknown as CoreRegionalStack;
        requireValid(
            component,
            globalLayerArgProblems(coreArgs(args, { primary: probe("primary"), secondary: probe("secondary") }, {} as CoreArgs["providers"])),
        );
        super(typeToken("GlobalLayer"), name, {}, opts);

        const provider = (key: string, region: string) => new aws.Provider(`${name}-${key}`, { region: region as aws.Region }, { parent: this });
        const providers = { primary: provider("primary", regions.primary), secondary: provider("secondary", regions.secondary) };
        const route53Role = (["primary", "secondary"] as const).find((role) => regions[role] === ROUTE53_METRICS_REGION);
        const route53 = route53Role ? providers[route53Role] : provider("route53", ROUTE53_METRICS_REGION);
        const stacks = {
            primary: wiredStack(component, "primary", regions.primary, args.primary, args.healthProbePaths.primary, providers.primary),
            secondary: wiredStack(component, "secondary", regions.secondary, args.secondary, args.healthProbePaths.secondary, providers.secondary),
        };
        const layer = new CoreGlobalLayer(name, coreArgs(args, stacks as unknown as CoreArgs["stacks"], { ...providers, route53 }), { parent: this });

        const pair = (values: Record<CoreRole, pulumi.Input<string>>) => pulumi.output({ primary: values.primary, secondary: values.secondary });
        const signals = (ids: CoreGlobalLayer["paymentSignalHealthCheckIds"][CoreRole]): PaymentSignalValues => ({
            handler: ids.handler,
            api5xx: ids["api-5xx"],
            lambdaErrors: ids["lambda-errors"],
            lambdaThrottles: ids["lambda-throttles"],
        });
        this.tableName = layer.tableName;
        this.tableArn = layer.tableArn;
        this.tableStreamArns = pair(layer.tableStreamArns);
        this.zoneId = layer.zoneId;
        this.nameServers = layer.nameServers;
        this.failoverFqdn = pulumi.output(layer.failoverFqdn);
        this.healthCheckIds = pair(layer.healthCheckIds);
        this.paymentsHealthCheckIds = pair(layer.paymentsHealthCheckIds);
        this.paymentSignalHealthCheckIds = pulumi.output({
            primary: signals(layer.paymentSignalHealthCheckIds.primary),
            secondary: signals(layer.paymentSignalHealthCheckIds.secondary),
        });
        this.failoverHealthCheckIds = pair(layer.failoverHealthCheckIds);
        this.healthCheckTargets = pair(layer.healthCheckTargets);
        this.route53AlarmTopicArn = layer.route53AlarmTopicArn;
        this.dashboardName = layer.dashboardName;
        this.replicationRoleArn = layer.replicationRoleArn;
        this.operatorRoleArn = layer.operatorRoleArn;
        this.operatorRoleName = layer.operatorRoleName;
        this.takeoverSignal = layer.takeoverSignal.apply((s) => ({ ...s, dimensions: { ...s.dimensions } }));
        this.takeoverHealthCheckId = layer.takeoverHealthCheckId;
        this.primaryFailoverHealthCheckId = layer.primaryFailoverHealthCheckId;
        this.notices = pulumi.output([...layer.notices]);
        this.registerOutputs({ tableArn: this.tableArn, failoverFqdn: this.failoverFqdn, operatorRoleArn: this.operatorRoleArn });
    }
}

/**
 * A RegionalStack as the GlobalLayer reads it, from the stack's wiring. The replication waits for the buckets'
 * versioning through the wiring itself (its values resolve once the RegionalStack is deployed), so the
 * `bucketVersioning` dependency becomes the region's provider, which orders nothing.
 */
function wiredStack(
    component: string,
    role: CoreRole,
    region: string,
    wiring: pulumi.Input<RegionalStackWiring>,
    healthProbePath: pulumi.Input<string>,
    provider: aws.Provider,
): WiredStack {
    // One check, so a wrong wiring fails the deployment with one message (every field derives from it).
    const w = pulumi.output(wiring).apply((x) => {
        if (x.region !== region) {
            throw new pulumi.RunError(`${component}: \`${role}\` is the wiring of a stack in ${x.region}, but \`${role}Region\` is ${region}`);
        }
        return x;
    });
    const field = (key: Exclude<keyof RegionalStackWiring, "paymentSignalAlarmNames">) => w.apply((x) => x[key]);
    const alarm = (key: keyof PaymentSignalValues) => w.apply((x) => x.paymentSignalAlarmNames[key]);
    return {
        role,
        region,
        accountId: field("accountId"),
        keyArn: field("keyArn"),
        bucketName: field("bucketName"),
        bucketArn: field("bucketArn"),
        functionName: field("functionName"),
        finisherFunctionArn: field("finisherFunctionArn"),
        dlqArn: field("dlqArn"),
        apiId: field("apiId"),
        apiHost: field("apiHost"),
        topicArn: field("topicArn"),
        stage: { name: field("stageName") },
        healthProbePath: pulumi.secret(healthProbePath),
        paymentSignalAlarmNames: {
            handler: alarm("handler"),
            "api-5xx": alarm("api5xx"),
            "lambda-errors": alarm("lambdaErrors"),
            "lambda-throttles": alarm("lambdaThrottles"),
        },
        bucketVersioning: provider,
    };
}

/** The TypeScript component's args: the same keys, less the wiring, which becomes `stacks` and `providers`. */
function coreArgs(args: GlobalLayerArgs, stacks: CoreArgs["stacks"], providers: CoreArgs["providers"]): CoreArgs {
    const consistency: CoreArgs["consistency"] =
        args.consistency.mode === ConsistencyMode.Strong ? { mode: "strong", witnessRegion: args.consistency.witnessRegion ?? "" } : { mode: "eventual" };
    return {
        environment: args.environment,
        envLabel: args.envLabel,
        nameSuffix: args.nameSuffix,
        tableName: args.tableName,
        stacks,
        providers,
        consistency,
        domainName: args.domainName,
        failoverRecordName: args.failoverRecordName,
        domainMode: args.domainMode,
        hostedZoneId: args.hostedZoneId,
        zoneDelegated: args.zoneDelegated,
        protectData: args.protectData,
        deletionProtection: args.deletionProtection,
        warmThroughput: args.warmThroughput ? { ...args.warmThroughput } : undefined,
        replicaTags: args.replicaTags,
        reverseReplication: args.reverseReplication,
        replicationTimeControl: args.replicationTimeControl,
        healthCheckIntervalSeconds: args.healthCheckIntervalSeconds,
        healthCheckFailureThreshold: args.healthCheckFailureThreshold,
        failoverRecordTtlSeconds: args.failoverRecordTtlSeconds,
        failoverRecordType: args.failoverRecordType,
        operatorPrincipalArn: args.operatorPrincipalArn,
        alarmEmail: args.alarmEmail,
        route53AlertEventRuleNames: args.route53AlertEventRuleNames,
        kmsDeletionWindowDays: args.kmsDeletionWindowDays,
    };
}
