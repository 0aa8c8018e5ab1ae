import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DAY_INDEX_NAME, DAY_INDEX_PROJECTION, DAY_SHARD_ATTRIBUTE, CREATED_AT_ATTRIBUTE } from "../functions/transaction-processor/day-index";
import { DRILL_STATUS_ACTIONS } from "./drill-actions";
import { OPERATOR_SCRIPT_ACTIONS } from "./dr-script-actions";
import { AlarmSpec, createAlarm, createAlertTopic, createEncryptionKey } from "./alerting";
import { integerProblem, problemsOf, requireValidArgs } from "./component-args";
import { Consistency, strongTableProblems } from "./consistency";
import { ConsistencyGuard } from "./consistency-guard";
import { DomainMode, Environment, HEALTH_CHECK_INTERVALS } from "./config";
import { operatorTrustPolicy } from "./operator-trust";
import { operatorPolicy, ReplicationDirection, replicationPolicy, serviceTrustPolicy, trustPolicyJson } from "./iam";
import { NameContext, names, REGION_ROLES, RegionRole } from "./naming";
import { haltUnlessDelegated, nameServerLookup, requireDelegationTo } from "./delegation";
import { FAILOVER_RECORD_TYPES, failoverDns, FailoverRecordType, httpsFailoverFqdn } from "./failover-dns";
import { createFailoverRecords } from "./failover-record";
import { eventRuleArn } from "./failover-events";
import { dashboardBody } from "./dashboard";
import { RegionalDomain } from "./regional-domain";
import { documentReplicationAlarmSpecs, tableAlarmSpecs } from "./replication-alarms";
import { standbyTakingPaymentsAlarmSpec } from "./payment-alarm";
import { createPaymentHealthChecks, PAYMENT_SIGNAL_CHILDREN, PaymentSignalChild } from "./payment-signal";
import { FINISHER_MAX_RECORD_AGE_SECONDS, FINISHER_MAX_RETRY_ATTEMPTS, finisherFilterPattern } from "./receipt-finisher";
import { RegionalStack } from "./regional-stack";
import { ROUTE53_METRICS_REGION } from "./regions";
import { createTakeoverSignal } from "./takeover-health-check";
import { TABLE_STREAM_VIEW_TYPE, tableStreamArns } from "./table-streams";
import {
    takeoverAlarmName,
    takeoverDimensionValue,
    TakeoverSignalOutput,
    TAKEOVER_METRIC,
    TAKEOVER_NAMESPACE,
    TAKEOVER_PERIOD_SECONDS,
    TAKEOVER_DIMENSION,
} from "./takeover-signal";

export interface GlobalLayerArgs {
    /** `dev`, `staging` or `prod`: decides what `protectData` defaults to. */
    readonly environment: Environment;
    /** The environment part of every physical name (e.g. `prod`, `dev-alice`). */
    readonly envLabel: string;
    /** The stack's random name suffix, created once per stack. */
    readonly nameSuffix: pulumi.Input<string>;
    /** Name of the global table (the RegionalStacks already scoped their roles to it). */
    readonly tableName: pulumi.Input<string>;
    /** Both regions' stacks: the table's home is the primary's region, its replica the secondary's. */
    readonly stacks: Readonly<Record<RegionRole, RegionalStack>>;
    /** Each region's provider, plus one for us-east-1 where Route 53 publishes health-check metrics. */
    readonly providers: Readonly<Record<RegionRole | "route53", aws.Provider>>;
    /** The table's multi-Region consistency: `strong` (MRSC, with a witness region) or `eventual`. Fixed when the table is created. */
    readonly consistency: Consistency;
    /** The domain of the failover zone (created here unless `hostedZoneId` names an existing one). */
    readonly domainName: string;
    /**
     * The failover name's first label: clients call `<failoverRecordName>.<domainName>`.
     * @default "api"
     */
    readonly failoverRecordName?: string;
    /**
     * `custom-domain` (certificates and API custom domains, HTTPS on the failover name) or `dns-only` (CNAMEs only).
     * @default "custom-domain"
     */
    readonly domainMode?: DomainMode;
    /**
     * An existing hosted zone of `domainName` (taken as delegated).
     * @default - a zone is created
     */
    readonly hostedZoneId?: string;
    /**
     * The zone created here is delegated from the parent domain, so ACM can validate through it.
     * @default false
     */
    readonly zoneDelegated?: boolean;
    /**
     * Protect the table and zone: `protect` and `retainOnDelete`, no `forceDestroy`.
     * @default environment === "prod"
     */
    readonly protectData?: boolean;
    /**
     * DynamoDB deletion protection on the table and its replica.
     * @default protectData
     */
    readonly deletionProtection?: boolean;
    /**
     * The table's warm throughput at creation (DynamoDB raises it by itself later and refuses decreases).
     * @default - DynamoDB's default
     */
    readonly warmThroughput?: { readonly writeUnitsPerSecond: number; readonly readUnitsPerSecond?: number };
    /**
     * Tags of the secondary's replica: the providers' default tags do not reach it.
     * @default - none
     */
    readonly replicaTags?: Readonly<Record<string, string>>;
    /**
     * Replicate documents back from the secondary to the primary too.
     * @default false
     */
    readonly reverseReplication?: boolean;
    /**
     * S3 Replication Time Control (a 15-minute SLA, billed per GB).
     * @default false
     */
    readonly replicationTimeControl?: boolean;
    /**
     * Route 53 health-check interval: 10 or 30 s.
     * @default 30
     */
    readonly healthCheckIntervalSeconds?: number;
    /**
     * Consecutive failed probes before a health check is unhealthy (1 to 10).
     * @default 3
     */
    readonly healthCheckFailureThreshold?: number;
    /**
     * TTL of the failover CNAMEs, 1-60 s (alias records take their target's TTL).
     * @default 60
     */
    readonly failoverRecordTtlSeconds?: number;
    /**
     * With custom domains: `alias` (A/AAAA, the target's TTL) or `cname` (`failoverRecordTtlSeconds`). Note: switch a
     * deployed stack with `npm run failover-records`, not `pulumi up` (failover-record.ts).
     * @default "alias"
     */
    readonly failoverRecordType?: FailoverRecordType;
    /**
     * Who may assume the DR operator role (with MFA, signed in within the hour).
     * @default - the account's principals tagged `payments-dr-operator=<envLabel>` (components/operator-trust.ts)
     */
    readonly operatorPrincipalArn?: string;
    /**
     * Email address subscribed to the Route 53 alarm topic in us-east-1 (when neither region is us-east-1).
     * @default - no subscription
     */
    readonly alarmEmail?: pulumi.Input<string>;
    /**
     * Names of the EventBridge rules in us-east-1 that may publish to that topic.
     * @default - none
     */
    readonly route53AlertEventRuleNames?: pulumi.Input<readonly string[]>;
    /**
     * Deletion window of the us-east-1 topic's key (7 to 30 days).
     * @default 30
     */
    readonly kmsDeletionWindowDays?: number;
    /**
     * Resources the table waits for besides the layer's own ConsistencyGuard.
     * @default - none
     */
    readonly tableDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Ids of the S3 replication rules: alarms use them as the `RuleId` dimension, so they are fixed here. */
export const REPLICATION_RULE_IDS: Readonly<Record<RegionRole, string>> = {
    primary: "documents-primary-to-secondary",
    secondary: "documents-secondary-to-primary",
};

/**
 * What spans regions: the DynamoDB global table (home in the primary region, a replica in the secondary), S3
 * replication between the documents buckets, the Route 53 zone with a health check and a failover record per
 * region (and regional custom domains in custom-domain mode), cross-region alarms, the dashboard and the DR
 * operator role. Resources pass `{ parent: this, provider }` explicitly: this component spans regions.
 */
export class GlobalLayer extends pulumi.ComponentResource {
    /** The global table: the system of record, replicated to the secondary region. */
    public readonly tableName: pulumi.Output<string>;
    /** The table's ARN in the primary region (the replica's ARN differs only in its region). */
    public readonly tableArn: pulumi.Output<string>;
    /** Each region's stream of the table (the home table's and the replica's): what the ledger projectors read. */
    public readonly tableStreamArns: Record<RegionRole, pulumi.Output<string>>;
    /** The hosted zone holding the failover records (created here, or `hostedZoneId`). */
    public readonly zoneId: pulumi.Output<string>;
    /** The zone's name servers: delegate `domainName` to them. */
    public readonly nameServers: pulumi.Output<string[]>;
    /** The name clients call: the HTTPS name once custom domains serve, else the DNS-only name. */
    public readonly failoverFqdn: string;
    /** Each region's HTTPS check of `GET /health` (the one `failoverDrill` inverts). */
    public readonly healthCheckIds: Record<RegionRole, pulumi.Output<string>>;
    /** Each region's CloudWatch-alarm check on the handler's payment failure share. */
    public readonly paymentsHealthCheckIds: Record<RegionRole, pulumi.Output<string>>;
    /** Each region's payment-signal checks by child (handler, API 5xx, Lambda errors, Lambda throttles). */
    public readonly paymentSignalHealthCheckIds: Record<RegionRole, Record<PaymentSignalChild, pulumi.Output<string>>>;
    /** Each region's CALCULATED check (all children healthy), the one its failover record uses. */
    public readonly failoverHealthCheckIds: Record<RegionRole, pulumi.Output<string>>;
    /** What each region's health check probes. */
    public readonly healthCheckTargets: Record<RegionRole, pulumi.Output<string>>;
    /** The topic of the Route 53 health-check alarms, in us-east-1. */
    public readonly route53AlarmTopicArn: pulumi.Output<string>;
    /** The CloudWatch dashboard showing both regions side by side. */
    public readonly dashboardName: pulumi.Output<string>;
    /** The role S3 replication assumes (least privilege on the two buckets and keys). */
    public readonly replicationRoleArn: pulumi.Output<string>;
    /** The DR operator role (MFA): exactly the calls of the failover, failback, reconcile and drill:status scripts. */
    public readonly operatorRoleArn: pulumi.Output<string>;
    /** The takeover signal in the standby region (what `npm run failover`/`failback` set and clear). */
    public readonly takeoverSignal: pulumi.Output<TakeoverSignalOutput>;
    /** The Route 53 health check that follows the takeover alarm (a child of the primary's failover check). */
    public readonly takeoverHealthCheckId: pulumi.Output<string>;
    /** The DR operator role's name (the ARC Region switch plan, created in index.ts, adds its policy to it). */
    public readonly operatorRoleName: pulumi.Output<string>;
    /** The primary's CALCULATED check (endpoint healthy and no takeover), the one its failover record uses. */
    public readonly primaryFailoverHealthCheckId: pulumi.Output<string>;
    /** Things the operator must know about this stack (e.g. a DNS-only failover name). */
    public readonly notices: string[];

    constructor(name: string, args: GlobalLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad args stop the program before anything (this component included) is registered.
        const a = withGlobalDefaults(args);
        requireValidArgs(`GlobalLayer "${name}"`, globalLayerArgProblems(a));
        super("payments-dr:index:GlobalLayer", name, {}, opts);
        const { stacks, providers } = a;
        const isProd = a.protectData;
        const inRegion = (role: RegionRole | "route53", extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({
            parent: this,
            provider: providers[role],
            ...extra,
        });
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: a.envLabel, suffix }));
        const accountId = stacks.primary.accountId;
        this.notices = [];

        // --- DynamoDB global table (version 2019.11.21: a table with replicas), the system of record.
        // `strong`: multi-Region strong consistency (MRSC), the replica and a witness in one Region set (validated
        // in components/consistency.ts); a write is acknowledged once a second Region has it, so RPO 0. The mode is
        // fixed when the table is created. `eventual`: asynchronous replication, last writer wins.
        const { consistency } = a;
        const strong = consistency.mode === "strong";
        // TTL is for eventual mode only (MRSC refuses it); transactions never get an expiresAt either way.
        const ttl = strong ? undefined : { attributeName: "expiresAt", enabled: true };
        const mrscProblems = strong ? strongTableProblems({ ttlEnabled: ttl !== undefined, localSecondaryIndexes: 0, usesTransactions: false }) : [];
        if (mrscProblems.length > 0) {
            throw new pulumi.RunError(`the transactions table cannot be multi-Region strongly consistent: ${mrscProblems.join("; ")}`);
        }
        // Every program composing this layer gets the guard: a `consistency` change on a deployed table fails with our
        // message before any step of the table. It shipped as a resource of index.ts at the stack's root: the alias
        // keeps that one.
        const guard = new ConsistencyGuard(
            `${name}-consistency-guard`,
            { consistency: consistency.mode, tableName: args.tableName },
            { parent: this, aliases: [{ name: "consistency-guard", parent: pulumi.rootStackResource }] },
        );
        const table = new aws.dynamodb.Table(
            `${name}-transactions-table`,
            {
                name: args.tableName,
                billingMode: "PAY_PER_REQUEST",
                hashKey: "pk",
                rangeKey: "sk",
                attributes: [
                    { name: "pk", type: "S" },
                    { name: "sk", type: "S" },
                    { name: DAY_SHARD_ATTRIBUTE, type: "S" },
                    { name: CREATED_AT_ATTRIBUTE, type: "S" },
                ],
                // Transactions by creation time, for the reconciliation report (day-index.ts: why sharded, why a GSI).
                globalSecondaryIndexes: [
                    {
                        name: DAY_INDEX_NAME,
                        hashKey: DAY_SHARD_ATTRIBUTE,
                        rangeKey: CREATED_AT_ATTRIBUTE,
                        projectionType: "INCLUDE",
                        nonKeyAttributes: [...DAY_INDEX_PROJECTION],
                    },
                ],
                // Replicas require streams with both images.
                streamEnabled: true,
                streamViewType: TABLE_STREAM_VIEW_TYPE,
                ttl,
                pointInTimeRecovery: { enabled: true },
                serverSideEncryption: { enabled: true, kmsKeyArn: stacks.primary.keyArn },
                // Replicas inherit neither PITR nor the key: each gets its own, from its own region.
                replicas: [
                    {
                        regionName: stacks.secondary.region,
                        kmsKeyArn: stacks.secondary.keyArn,
                        pointInTimeRecovery: true,
                        // Not propagated: the table's tags are the primary region's (RegionRole: primary). The
                        // replica gets its own region's tags below.
                        propagateTags: false,
                        deletionProtectionEnabled: a.deletionProtection,
                        consistencyMode: strong ? "STRONG" : undefined,
                    },
                ],
                // The third Region of an MRSC table: it takes part in the write quorum and holds no readable replica.
                globalTableWitness: consistency.mode === "strong" ? { regionName: consistency.witnessRegion } : undefined,
                deletionProtectionEnabled: a.deletionProtection,
                warmThroughput: a.warmThroughput,
            },
            inRegion("primary", {
                dependsOn: [guard, ...(args.tableDependsOn ?? [])],
                protect: isProd,
                retainOnDelete: isProd,
                // DynamoDB raises warm throughput by itself as traffic grows and refuses any decrease: once the
                // table exists, a lower declared value would fail every update. Config sets it at creation only
                // (raise it later with `aws dynamodb update-table --warm-throughput`; see README, "Drift").
                ignoreChanges: ["warmThroughput"],
                // AWS cannot change a global table's consistency mode: a change shows as a replacement, which prod's
                // `protect` refuses and which elsewhere fails creating the same table name before anything is deleted.
                replaceOnChanges: ["replicas[*].consistencyMode", "globalTableWitness"],
            }),
        );
        this.tableName = table.name;
        const replicaArn = table.replicas.apply((replicas) => replicas?.find((r) => r.regionName === stacks.secondary.region)?.arn ?? "");
        for (const [key, value] of Object.entries(a.replicaTags)) {
            new aws.dynamodb.Tag(`${name}-replica-tag-${key.toLowerCase()}`, { resourceArn: replicaArn, key, value }, inRegion("secondary"));
        }
        this.tableArn = table.arn;
        // Read in each region; a missing stream stops the program (table-streams.ts).
        const streamArns = tableStreamArns(name, table, { primary: stacks.primary.region, secondary: stacks.secondary.region }, this);
        this.tableStreamArns = streamArns;

        // --- Receipt finishers: each region's finisher reads its own replica's stream (only PENDING items written
        // there pass the filter). Records it keeps failing go to the region's DLQ, which is what makes that queue real.
        for (const role of REGION_ROLES) {
            new aws.lambda.EventSourceMapping(
                `${name}-${role}-receipt-finisher-stream`,
                {
                    eventSourceArn: streamArns[role],
                    functionName: stacks[role].finisherFunctionArn,
                    startingPosition: "LATEST",
                    batchSize: 100,
                    maximumBatchingWindowInSeconds: 1,
                    bisectBatchOnFunctionError: true,
                    maximumRetryAttempts: FINISHER_MAX_RETRY_ATTEMPTS,
                    maximumRecordAgeInSeconds: FINISHER_MAX_RECORD_AGE_SECONDS,
                    functionResponseTypes: ["ReportBatchItemFailures"],
                    filterCriteria: { filters: [{ pattern: finisherFilterPattern(stacks[role].region) }] },
                    destinationConfig: { onFailure: { destinationArn: stacks[role].dlqArn } },
                },
                inRegion(role),
            );
        }

        // --- S3 replication, primary → secondary (and back, when configured).
        const directions: Array<[RegionRole, RegionRole]> = a.reverseReplication
            ? [
                  ["primary", "secondary"],
                  ["secondary", "primary"],
              ]
            : [["primary", "secondary"]];
        const replicationRole = new aws.iam.Role(
            `${name}-replication-role`,
            {
                name: nameOf(names.replicationRole),
                description: "S3 replication of the documents buckets between the DR regions",
                assumeRolePolicy: accountId.apply((id) => trustPolicyJson(serviceTrustPolicy("s3.amazonaws.com", id))),
            },
            inRegion("primary"),
        );
        const replicationRolePolicy = new aws.iam.RolePolicy(
            `${name}-replication-policy`,
            {
                role: replicationRole.id,
                policy: pulumi
                    .all([stacks.primary.bucketArn, stacks.primary.keyArn, stacks.secondary.bucketArn, stacks.secondary.keyArn])
                    .apply(([primaryBucket, primaryKey, secondaryBucket, secondaryKey]) => {
                        const ends = {
                            primary: { region: stacks.primary.region, bucket: primaryBucket, key: primaryKey },
                            secondary: { region: stacks.secondary.region, bucket: secondaryBucket, key: secondaryKey },
                        };
                        const resolved: ReplicationDirection[] = directions.map(([from, to]) => ({
                            sourceRegion: ends[from].region,
                            sourceBucketArn: ends[from].bucket,
                            sourceKeyArn: ends[from].key,
                            destinationRegion: ends[to].region,
                            destinationBucketArn: ends[to].bucket,
                            destinationKeyArn: ends[to].key,
                        }));
                        return JSON.stringify(replicationPolicy(resolved));
                    }),
            },
            inRegion("primary"),
        );
        for (const [from, to] of directions) {
            const rtc = a.replicationTimeControl;
            new aws.s3.BucketReplicationConfig(
                `${name}-replication-${from}-to-${to}`,
                {
                    bucket: stacks[from].bucketName,
                    role: replicationRole.arn,
                    rules: [
                        {
                            id: REPLICATION_RULE_IDS[from],
                            status: "Enabled",
                            // A filter selects the V2 schema, which RTC requires; V2 needs priority and delete-marker settings.
                            priority: 1,
                            filter: { prefix: "" },
                            deleteMarkerReplication: { status: "Enabled" },
                            sourceSelectionCriteria: {
                                sseKmsEncryptedObjects: { status: "Enabled" },
                                replicaModifications: { status: "Enabled" },
                            },
                            destination: {
                                bucket: stacks[to].bucketArn,
                                storageClass: "STANDARD",
                                encryptionConfiguration: { replicaKmsKeyId: stacks[to].keyArn },
                                // Metrics always (the replication alarms need them); RTC only where the stack pays for it.
                                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
                                replicationTime: rtc ? { status: "Enabled", time: { minutes: 15 } } : undefined,
                            },
                        },
                    ],
                },
                // Both buckets must be versioned first, and the role able to act.
                inRegion(from, { dependsOn: [stacks.primary.bucketVersioning, stacks.secondary.bucketVersioning, replicationRolePolicy] }),
            );
        }
        this.replicationRoleArn = replicationRole.arn;

        // --- Route 53: zone, per-region health checks, failover records.
        let zoneId: pulumi.Output<string>;
        // The zone id the certificates' validation records use: for a zone created here, only once public DNS is
        // seen to delegate the domain to it (a ZoneNotDelegatedError otherwise, instead of a validation that hangs).
        let delegatedZoneId: pulumi.Output<string>;
        if (a.hostedZoneId) {
            const existing = aws.route53.getZoneOutput({ zoneId: a.hostedZoneId }, { parent: this, provider: providers.route53 });
            zoneId = pulumi.output(a.hostedZoneId);
            delegatedZoneId = zoneId;
            this.nameServers = existing.nameServers;
        } else {
            const zone = new aws.route53.Zone(
                `${name}-zone`,
                { name: a.domainName, comment: `payments-dr ${a.envLabel} failover zone`, forceDestroy: !isProd },
                inRegion("route53", { protect: isProd, retainOnDelete: isProd }),
            );
            zoneId = zone.zoneId;
            this.nameServers = zone.nameServers;
            // The public-DNS query is a side effect: it starts here, not inside an output callback, which only compares.
            const published = nameServerLookup()(a.domainName);
            published.catch(() => undefined); // reported where the comparison awaits it
            delegatedZoneId = pulumi
                .all([zone.zoneId, zone.nameServers])
                .apply(([id, servers]) => haltUnlessDelegated(requireDelegationTo(a.domainName, servers, published), id));
        }
        this.zoneId = zoneId;

        // ACM validates through the zone: a zone this stack has just created answers nobody until the parent
        // domain delegates to it, and the certificate validation would wait until it times out.
        const failover = failoverDns(a);
        const httpsFqdn = httpsFailoverFqdn(a);
        const customDomains = failover.servesHttps;
        this.failoverFqdn = failover.name;
        const domains = {} as Record<RegionRole, RegionalDomain>;
        if (customDomains) {
            for (const role of REGION_ROLES) {
                domains[role] = new RegionalDomain(
                    `${name}-${role}-domain`,
                    {
                        role,
                        region: stacks[role].region,
                        failoverFqdn: httpsFqdn,
                        regionalFqdn: `${role}.${httpsFqdn}`,
                        zoneId: delegatedZoneId,
                        apiId: stacks[role].apiId,
                        stageName: stacks[role].stage.name,
                        // ACM's record for the failover name is the same in both regions: the primary owns it.
                        sharedFailoverValidation: role === "primary" ? undefined : domains.primary.failoverValidation,
                    },
                    { parent: this, providers: { aws: providers[role] } },
                );
            }
        } else if (a.domainMode === "custom-domain") {
            this.notices.push(
                `custom-domain mode is pending: delegate ${a.domainName} to the new zone's name servers (output ` +
                    "`nameServers`), then `pulumi config set zoneDelegated true && pulumi up` to add the certificates, " +
                    `custom domains and ${httpsFqdn}. Until then the failover name is the DNS-only ${failover.name}, ` +
                    "which HTTPS clients cannot call.",
            );
        } else {
            this.notices.push(
                `domainMode is dns-only: ${failover.name} is a DNS-only failover name (CNAMEs to each region's ` +
                    "execute-api host). It resolves and fails over, but HTTPS clients cannot call it: the certificate and " +
                    "Host do not match. Use the regional API endpoints, or a delegated zone with domainMode custom-domain.",
            );
        }

        this.healthCheckIds = {} as Record<RegionRole, pulumi.Output<string>>;
        this.healthCheckTargets = {} as Record<RegionRole, pulumi.Output<string>>;
        this.paymentsHealthCheckIds = {} as Record<RegionRole, pulumi.Output<string>>;
        this.paymentSignalHealthCheckIds = {} as Record<RegionRole, Record<PaymentSignalChild, pulumi.Output<string>>>;
        this.failoverHealthCheckIds = {} as Record<RegionRole, pulumi.Output<string>>;
        const healthChecks = {} as Record<RegionRole, aws.route53.HealthCheck>;
        // What must all be healthy for a region to keep its traffic: the children of its calculated health check.
        // Add a condition by appending a health check id to a region's list before the calculated checks are built.
        const failoverChildren = {} as Record<RegionRole, pulumi.Input<string>[]>;
        for (const role of REGION_ROLES) {
            // Probe the region's own name, so a check tells which region is healthy, not which one DNS prefers.
            const target = customDomains ? pulumi.output(domains[role].regionalFqdn) : stacks[role].apiHost;
            healthChecks[role] = new aws.route53.HealthCheck(
                `${name}-${role}-health`,
                {
                    type: "HTTPS",
                    fqdn: target,
                    port: 443,
                    // The secret probe route: nobody else can reach or exhaust it (components/health-probe.ts).
                    resourcePath: stacks[role].healthProbePath,
                    enableSni: true,
                    requestInterval: a.healthCheckIntervalSeconds,
                    failureThreshold: a.healthCheckFailureThreshold,
                    measureLatency: true,
                    // Explicit, so `pulumi up` undoes a check inverted by hand (the switch is the takeover signal).
                    invertHealthcheck: false,
                    tags: { Name: `payments-dr-${a.envLabel}-${role}` },
                },
                // After the table (a first deploy must not fail over to a region with no data yet) and, in
                // custom-domain mode, after the regional name exists, so checks do not start by failing.
                inRegion("route53", { dependsOn: customDomains ? [table, domains[role]] : [table] }),
            );
            // Payments failing while /health still passes (a fault the probes do not reach): one child per alarm of
            // the region's payment signal, in its own region (components/payment-signal.ts).
            const payments = createPaymentHealthChecks(
                name,
                { role, region: stacks[role].region, envLabel: a.envLabel, alarmNames: stacks[role].paymentSignalAlarmNames },
                inRegion("route53"),
            );
            this.healthCheckIds[role] = healthChecks[role].id;
            this.healthCheckTargets[role] = target;
            this.paymentsHealthCheckIds[role] = payments.handler.id;
            this.paymentSignalHealthCheckIds[role] = Object.fromEntries(PAYMENT_SIGNAL_CHILDREN.map((c) => [c, payments[c].id])) as Record<
                PaymentSignalChild,
                pulumi.Output<string>
            >;
            failoverChildren[role] = [healthChecks[role].id, ...PAYMENT_SIGNAL_CHILDREN.map((c) => payments[c].id)];
        }
        // --- The takeover signal, in the standby region: `npm run failover` sets it with a data-plane call there.
        const takeoverName = nameOf(takeoverAlarmName);
        const takeover = createTakeoverSignal(`${name}-takeover-signal`, {
            region: stacks.secondary.region,
            alarmName: takeoverName,
            dimensionValue: nameOf(takeoverDimensionValue),
            topicArn: stacks.secondary.topicArn,
            envLabel: a.envLabel,
            standby: inRegion("secondary"),
            route53: inRegion("route53"),
        });
        this.takeoverHealthCheckId = takeover.healthCheck.id;
        this.takeoverSignal = pulumi
            .all([takeover.alarm.name, takeover.alarm.arn, nameOf(takeoverDimensionValue)])
            .apply(([alarmName, alarmArn, dimension]): TakeoverSignalOutput => ({
                region: stacks.secondary.region,
                namespace: TAKEOVER_NAMESPACE,
                metricName: TAKEOVER_METRIC,
                dimensions: { [TAKEOVER_DIMENSION]: dimension },
                alarmName,
                alarmArn,
                periodSeconds: TAKEOVER_PERIOD_SECONDS,
            }));
        // The primary keeps its traffic only while no takeover is signalled, besides its own conditions.
        failoverChildren.primary.push(takeover.healthCheck.id);

        const failoverChecks = {} as Record<RegionRole, aws.route53.HealthCheck>;
        for (const role of REGION_ROLES) {
            const children = failoverChildren[role];
            failoverChecks[role] = new aws.route53.HealthCheck(
                `${name}-${role}-failover-health`,
                {
                    type: "CALCULATED",
                    childHealthchecks: children,
                    // Healthy only while every child is: the endpoint answers /health and no payment signal alarms.
                    childHealthThreshold: children.length,
                    tags: { Name: `payments-dr-${a.envLabel}-${role}-failover` },
                },
                inRegion("route53"),
            );
            this.failoverHealthCheckIds[role] = failoverChecks[role].id;
        }
        this.primaryFailoverHealthCheckId = failoverChecks.primary.id;

        for (const role of REGION_ROLES) {
            createFailoverRecords(
                name,
                {
                    zoneId,
                    dns: failover,
                    role,
                    region: stacks[role].region,
                    healthCheckId: failoverChecks[role].id,
                    ttlSeconds: a.failoverRecordTtlSeconds,
                    customDomain: customDomains ? domains[role].failoverTarget : undefined,
                    apiHost: stacks[role].apiHost,
                },
                inRegion("route53"),
            );
        }

        // --- Cross-region alarms. Each alarm's action is a topic in the alarm's own region.
        const route53Topic = this.route53Topic(name, a, nameOf);
        this.route53AlarmTopicArn = route53Topic;
        const alarm = (id: string, role: RegionRole | "route53", spec: AlarmSpec, topicArn: pulumi.Input<string>) => {
            createAlarm(
                `${name}-${id}`,
                spec,
                nameOf((ctx) => names.alarm(ctx, spec.what, role === "route53" ? undefined : role)),
                topicArn,
                inRegion(role),
            );
        };
        for (const role of REGION_ROLES) {
            alarm(
                `${role}-health-alarm`,
                "route53",
                {
                    what: `health-check-${role}`,
                    description: `Route 53 failover health check of the ${role} region (${stacks[role].region}) unhealthy: DNS fails over`,
                    namespace: "AWS/Route53",
                    metricName: "HealthCheckStatus",
                    dimensions: { HealthCheckId: failoverChecks[role].id },
                    statistic: "Minimum",
                    comparison: "LessThanThreshold",
                    threshold: 1,
                    periodSeconds: 60,
                    evaluationPeriods: 1,
                    datapointsToAlarm: 1,
                    treatMissingData: "breaching",
                },
                route53Topic,
            );
        }
        // The pager that survives the primary region: the standby's own payment metric, alarm and topic. Payments
        // arriving in the passive region mean traffic moved (DNS failed over, or clients gave up on the primary),
        // and all of it exists while us-east-1 (with Route 53's metrics and their alarms) is gone.
        alarm("secondary-taking-payments", "secondary", standbyTakingPaymentsAlarmSpec(stacks.secondary.region), stacks.secondary.topicArn);
        // The table's replication and throttles in each region, and each documents replication rule (replication-alarms.ts).
        for (const role of REGION_ROLES) {
            const other: RegionRole = role === "primary" ? "secondary" : "primary";
            for (const { id, spec } of tableAlarmSpecs({ tableName: table.name, region: stacks[role].region, receivingRegion: stacks[other].region })) {
                alarm(`${role}-${id}`, role, spec, stacks[role].topicArn);
            }
        }
        for (const [from, to] of directions) {
            const rule = { from, to, sourceBucket: stacks[from].bucketName, destinationBucket: stacks[to].bucketName, ruleId: REPLICATION_RULE_IDS[from] };
            for (const { id, spec } of documentReplicationAlarmSpecs(rule)) {
                alarm(`${from}-${id}`, from, spec, stacks[from].topicArn);
            }
        }

        // --- Dashboard: both regions side by side.
        const dashboardName = nameOf(names.dashboard);
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName,
                dashboardBody: pulumi
                    .all([
                        stacks.primary.functionName,
                        stacks.secondary.functionName,
                        stacks.primary.apiId,
                        stacks.secondary.apiId,
                        table.name,
                        failoverChecks.primary.id,
                        failoverChecks.secondary.id,
                        stacks.primary.bucketName,
                        stacks.secondary.bucketName,
                        healthChecks.primary.id,
                        healthChecks.secondary.id,
                    ])
                    .apply(([fnP, fnS, apiP, apiS, tableName, hcP, hcS, bucketP, bucketS, endpointP, endpointS]) =>
                        JSON.stringify(
                            dashboardBody({
                                regions: { primary: stacks.primary.region, secondary: stacks.secondary.region },
                                functionNames: { primary: fnP, secondary: fnS },
                                apiIds: { primary: apiP, secondary: apiS },
                                tableName,
                                healthCheckIds: { primary: hcP, secondary: hcS },
                                endpointHealthCheckIds: { primary: endpointP, secondary: endpointS },
                                buckets: { primary: bucketP, secondary: bucketS },
                                ruleId: REPLICATION_RULE_IDS.primary,
                            }),
                        ),
                    ),
            },
            inRegion("primary"),
        );
        this.dashboardName = dashboard.dashboardName;

        // --- The DR operator role: what the runbook and the drill need, nothing else.
        const operatorPartition = aws.getPartitionOutput({}, { parent: this, provider: providers.primary });
        const trust = { principalArn: a.operatorPrincipalArn, envLabel: a.envLabel };
        const operatorRole = new aws.iam.Role(
            `${name}-operator-role`,
            {
                name: nameOf(names.operatorRole),
                description: "DR operator: failover, failback and reconcile from the standby region; reads health checks and records (MFA required)",
                // The named principal, or only the account's principals tagged as this stack's operators (operator-trust.ts).
                assumeRolePolicy: pulumi
                    .all([accountId, operatorPartition.partition])
                    .apply(([id, partition]) => trustPolicyJson(operatorTrustPolicy({ ...trust, accountId: id, partition }))),
                maxSessionDuration: 3600,
            },
            inRegion("primary"),
        );
        new aws.iam.RolePolicy(
            `${name}-operator-policy`,
            {
                role: operatorRole.id,
                policy: pulumi
                    .all([
                        accountId,
                        pulumi.all([
                            ...REGION_ROLES.flatMap((r) => [healthChecks[r].id, ...Object.values(this.paymentSignalHealthCheckIds[r]), failoverChecks[r].id]),
                            takeover.healthCheck.id,
                        ]),
                        zoneId,
                        // The scripts read only the takeover alarm (scripts/dr/takeover.ts).
                        pulumi.all([takeover.alarm.arn]),
                        table.name,
                        pulumi.all([stacks.primary.bucketArn, stacks.secondary.bucketArn]),
                        pulumi.all([stacks.primary.keyArn, stacks.secondary.keyArn]),
                        operatorPartition.partition,
                    ])
                    .apply(([id, healthCheckIds, zone, arns, tableName, bucketArns, keyArns, partition]) =>
                        JSON.stringify(
                            operatorPolicy({
                                healthCheckIds,
                                hostedZoneId: zone,
                                partition,
                                tableArns: REGION_ROLES.map((r) => `arn:${partition}:dynamodb:${stacks[r].region}:${id}:table/${tableName}`),
                                tableKeys: REGION_ROLES.map((r, i) => ({ region: stacks[r].region, keyArn: keyArns[i] })),
                                dayIndexName: DAY_INDEX_NAME,
                                alarmArns: arns,
                                bucketArns,
                                standbyBucketArn: bucketArns[1],
                                takeoverNamespace: TAKEOVER_NAMESPACE,
                                statusActions: DRILL_STATUS_ACTIONS,
                                scriptActions: OPERATOR_SCRIPT_ACTIONS,
                            }),
                        ),
                    ),
            },
            inRegion("primary"),
        );
        this.operatorRoleArn = operatorRole.arn;
        this.operatorRoleName = operatorRole.name;

        this.registerOutputs({
            tableName: this.tableName,
            tableArn: this.tableArn,
            zoneId: this.zoneId,
            nameServers: this.nameServers,
            failoverFqdn: this.failoverFqdn,
            healthCheckIds: this.healthCheckIds,
            paymentsHealthCheckIds: this.paymentsHealthCheckIds,
            paymentSignalHealthCheckIds: this.paymentSignalHealthCheckIds,
            failoverHealthCheckIds: this.failoverHealthCheckIds,
            route53AlarmTopicArn: this.route53AlarmTopicArn,
            dashboardName: this.dashboardName,
            replicationRoleArn: this.replicationRoleArn,
            operatorRoleArn: this.operatorRoleArn,
            takeoverSignal: this.takeoverSignal,
            takeoverHealthCheckId: this.takeoverHealthCheckId,
            primaryFailoverHealthCheckId: this.primaryFailoverHealthCheckId,
        });
    }

    /**
     * The topic for Route 53 health-check alarms, which must live in us-east-1: the regional stack's topic when one
     * region is us-east-1, else a topic of its own there, encrypted with its own key.
     */
    private route53Topic(
        name: string,
        args: ResolvedGlobalLayerArgs,
        nameOf: (f: (ctx: NameContext) => string) => pulumi.Output<string>,
    ): pulumi.Output<string> {
        const local = REGION_ROLES.find((role) => args.stacks[role].region === ROUTE53_METRICS_REGION);
        if (local) {
            return args.stacks[local].topicArn;
        }
        const opts = { parent: this, provider: args.providers.route53 };
        const identity = aws.getCallerIdentityOutput({}, opts);
        const partition = aws.getPartitionOutput({}, opts);
        const key = createEncryptionKey(
            `${name}-route53-alerts-key`,
            {
                region: ROUTE53_METRICS_REGION,
                description: `payments-dr ${args.envLabel}: Route 53 health-check alarm topic`,
                deletionWindowDays: args.kmsDeletionWindowDays,
                accountId: identity.accountId,
                partition: partition.partition,
            },
            opts,
        );
        return createAlertTopic(
            `${name}-route53-alerts`,
            {
                topicName: nameOf((ctx) => names.alertsTopic(ctx, "route53")),
                keyArn: key.arn,
                accountId: identity.accountId,
                alarmEmail: args.alarmEmail,
                eventRuleArns: pulumi
                    .all([args.route53AlertEventRuleNames, identity.accountId, partition.partition])
                    .apply(([ruleNames, accountId, p]) => ruleNames.map((rule) => eventRuleArn(p, ROUTE53_METRICS_REGION, accountId, rule))),
            },
            opts,
        ).arn;
    }
}

/** The args with every default applied. */
type OptionalWithoutDefault = "hostedZoneId" | "warmThroughput" | "operatorPrincipalArn" | "alarmEmail" | "tableDependsOn";
type ResolvedGlobalLayerArgs = Required<Omit<GlobalLayerArgs, OptionalWithoutDefault>> & Pick<GlobalLayerArgs, OptionalWithoutDefault>;

function withGlobalDefaults(args: GlobalLayerArgs): ResolvedGlobalLayerArgs {
    const protectData = args.protectData ?? args.environment === "prod";
    return {
        ...args,
        failoverRecordName: args.failoverRecordName ?? "api",
        domainMode: args.domainMode ?? "custom-domain",
        zoneDelegated: args.zoneDelegated ?? false,
        protectData,
        deletionProtection: args.deletionProtection ?? protectData,
        replicaTags: args.replicaTags ?? {},
        reverseReplication: args.reverseReplication ?? false,
        replicationTimeControl: args.replicationTimeControl ?? false,
        healthCheckIntervalSeconds: args.healthCheckIntervalSeconds ?? 30,
        healthCheckFailureThreshold: args.healthCheckFailureThreshold ?? 3,
        failoverRecordTtlSeconds: args.failoverRecordTtlSeconds ?? 60,
        failoverRecordType: args.failoverRecordType ?? "alias",
        route53AlertEventRuleNames: args.route53AlertEventRuleNames ?? [],
        kmsDeletionWindowDays: args.kmsDeletionWindowDays ?? 30,
    };
}

/** What AWS would refuse in these args (or what would lose data), checked before anything is registered. */
export function globalLayerArgProblems(a: GlobalLayerArgs): string[] {
    const interval = a.healthCheckIntervalSeconds ?? 30;
    const regions = { primary: a.stacks.primary.region, secondary: a.stacks.secondary.region };
    return problemsOf([
        (HEALTH_CHECK_INTERVALS as readonly number[]).includes(interval)
            ? undefined
            : `\`healthCheckIntervalSeconds\` is ${interval}: must be 10 or 30 (Route 53's only intervals)`,
        integerProblem("healthCheckFailureThreshold", a.healthCheckFailureThreshold ?? 3, 1, 10),
        integerProblem("failoverRecordTtlSeconds", a.failoverRecordTtlSeconds ?? 60, 1, 60, "seconds"),
        a.failoverRecordType === undefined || (FAILOVER_RECORD_TYPES as readonly string[]).includes(a.failoverRecordType)
            ? undefined
            : `\`failoverRecordType\` is ${a.failoverRecordType}: must be one of ${FAILOVER_RECORD_TYPES.join(", ")}`,
        integerProblem("kmsDeletionWindowDays", a.kmsDeletionWindowDays ?? 30, 7, 30, "days"),
        a.stacks.primary.role === "primary" && a.stacks.secondary.role === "secondary"
            ? undefined
            : "`stacks`: the primary entry must be the primary RegionalStack and the secondary entry the secondary one",
        regions.primary !== regions.secondary ? undefined : `\`stacks\`: both regional stacks are in ${regions.primary}; they must be two regions`,
        a.consistency.mode === "strong" && [regions.primary, regions.secondary].includes(a.consistency.witnessRegion)
            ? `\`consistency.witnessRegion\` is ${a.consistency.witnessRegion}: the witness must be a third region, not ${regions.primary} or ${regions.secondary}`
            : undefined,
        (a.protectData ?? a.environment === "prod") && a.deletionProtection === false
            ? "`deletionProtection` is false while `protectData` is on: the table holds the system of record"
            : undefined,
    ]);
}
