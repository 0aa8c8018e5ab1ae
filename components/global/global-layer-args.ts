import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { integerProblem, problemsOf } from "../shared/component-args";
import { Consistency } from "./consistency";
import { Environment } from "../shared/environment";
import { DomainMode, FAILOVER_RECORD_TYPES, FailoverRecordType } from "./failover-dns";
import { NameContext, RegionRole } from "../shared/naming";
import type { RegionalStack } from "../regional/regional-stack";
import { HEALTH_CHECK_INTERVALS } from "../shared/service-limits";

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
     * @default - the account's principals tagged `payments-dr-operator=<envLabel>` (components/global/operator-trust.ts)
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

/** The args with every default applied. */
type OptionalWithoutDefault = "hostedZoneId" | "warmThroughput" | "operatorPrincipalArn" | "alarmEmail" | "tableDependsOn";
export type ResolvedGlobalLayerArgs = Required<Omit<GlobalLayerArgs, OptionalWithoutDefault>> & Pick<GlobalLayerArgs, OptionalWithoutDefault>;

export function withGlobalDefaults(args: GlobalLayerArgs): ResolvedGlobalLayerArgs {
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

/**
 * What every part of the layer registers with: the layer itself as parent (the parts are functions, not
 * components, so every logical name and parent stays the layer's), the defaulted args, and physical names.
 */
export interface GlobalLayerScope {
    /** The layer's name: the prefix of every child's logical name. */
    readonly name: string;
    readonly layer: pulumi.ComponentResource;
    readonly a: ResolvedGlobalLayerArgs;
    /** `{ parent: layer, provider }` of a region (or of us-east-1 for Route 53), plus `extra`. */
    inRegion(role: RegionRole | "route53", extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
    /** A physical name built from the stack's name context. */
    nameOf(f: (ctx: NameContext) => string): pulumi.Output<string>;
}

export function globalLayerScope(name: string, layer: pulumi.ComponentResource, a: ResolvedGlobalLayerArgs): GlobalLayerScope {
    const providers: Readonly<Record<RegionRole | "route53", aws.Provider>> = a.providers;
    return {
        name,
        layer,
        a,
        inRegion: (role, extra) => ({ parent: layer, provider: providers[role], ...extra }),
        nameOf: (f) => pulumi.output(a.nameSuffix).apply((suffix) => f({ envLabel: a.envLabel, suffix })),
    };
}
