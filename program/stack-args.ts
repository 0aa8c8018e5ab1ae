import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planCapacity } from "./capacity";
import { StackSettings } from "./config";
import { secretSetting } from "./load-settings";
import { failoverEventRuleNames } from "../components/safety-net/failover-events";
import type { AuditTrailArgs } from "../components/safety-net/audit-trail";
import { attachFaultInjection } from "../components/resilience/fault-injection";
import type { GlobalLayerArgs } from "../components/global/global-layer-args";
import { LEDGER_KEY_SERVICES } from "../components/ledger/database";
import { isAuroraLedger } from "../components/ledger/settings";
import { CLOUDTRAIL_KEY_SERVICE } from "../components/shared/key-policy";
import { NameContext, REGION_ROLES, RegionRole } from "../components/shared/naming";
import type { RegionalStack } from "../components/regional/regional-stack";
import type { RegionalStackArgs } from "../components/regional/regional-stack-args";
import { ROUTE53_METRICS_REGION } from "../components/shared/regions";
import { defaultTags } from "./tags";

/**
 * This program's mapping from its validated stack settings to each component's narrow args: the components know
 * nothing of the config; another program fills the same args from its own.
 */

/** Services besides the stack's own that use each region's key: the ledger's, CloudTrail for the audit trail. */
function keyExtraServices(settings: StackSettings): string[] | undefined {
    const services = [...(isAuroraLedger(settings.ledger) ? LEDGER_KEY_SERVICES : []), ...(settings.cloudTrailDataEvents ? [CLOUDTRAIL_KEY_SERVICE] : [])];
    return services.length > 0 ? services : undefined;
}

/** The region of each role in these settings. */
export function regionsOf(settings: StackSettings): Record<RegionRole, string> {
    return { primary: settings.primaryRegion, secondary: settings.secondaryRegion };
}

function ruleNames(settings: StackSettings, site: RegionRole | "route53", region: string, nameSuffix: pulumi.Input<string>): pulumi.Output<string[]> {
    return pulumi.output(nameSuffix).apply((suffix) => failoverEventRuleNames(settings, site, region, { envLabel: settings.envLabel, suffix }));
}

export function regionalStackArgs(
    settings: StackSettings,
    role: RegionRole,
    shared: Pick<RegionalStackArgs, "nameSuffix" | "tableName" | "fence" | "healthProbeToken" | "programTenantRoles"> & {
        readonly transactionIdKey: pulumi.Input<string>;
    },
): RegionalStackArgs {
    const region = regionsOf(settings)[role];
    const capacity = planCapacity(settings);
    const { transactionIdKey, ...rest } = shared;
    return {
        ...rest,
        role,
        region,
        environment: settings.environment,
        envLabel: settings.envLabel,
        apiAuth: settings.apiAuth,
        processorSecurity: {
            transactionIdKey,
            legacyTransactionIdsUntil: settings.legacyTransactionIdsUntil,
            merchantLimit: settings.merchantLimit,
        },
        consistencyMode: settings.consistency.mode,
        throttle: { rateLimit: capacity.stageRateLimit, burstLimit: capacity.stageBurstLimit },
        protectData: settings.environment === "prod",
        kmsDeletionWindowDays: settings.kmsDeletionWindowDays,
        // The ledger's clusters and RDS-managed master secret, and the audit trail's log files, use the region's key too.
        keyExtraServices: keyExtraServices(settings),
        logRetentionDays: settings.logRetentionDays,
        lambdaMemoryMb: settings.lambdaMemoryMb,
        lambdaTimeoutSeconds: settings.lambdaTimeoutSeconds,
        reservedConcurrency: settings.reservedConcurrency,
        standbyProvisionedConcurrency: settings.standbyProvisionedConcurrency,
        maxAmountMinor: settings.maxAmountMinor,
        disableExecuteApiEndpoint: settings.disableExecuteApiEndpoint,
        alarmEmail: secretSetting(settings, "alarmEmail"),
        alertEventRuleNames: ruleNames(settings, role, region, shared.nameSuffix),
        pendingReceiptAlarmMinutes: settings.pendingReceiptAlarmMinutes,
        // Game days inject errors and latency into the processor: it carries the FIS extension in both regions (parity).
        faultInjection: settings.gameDays ? attachFaultInjection : undefined,
    };
}

export function globalLayerArgs(
    settings: StackSettings,
    shared: {
        readonly nameSuffix: pulumi.Input<string>;
        readonly tableName: pulumi.Input<string>;
        readonly stacks: Readonly<Record<RegionRole, RegionalStack>>;
        readonly providers: Readonly<Record<RegionRole | "route53", aws.Provider>>;
        readonly tableDependsOn?: GlobalLayerArgs["tableDependsOn"];
    },
): GlobalLayerArgs {
    const capacity = planCapacity(settings);
    return {
        ...shared,
        environment: settings.environment,
        envLabel: settings.envLabel,
        consistency: settings.consistency,
        domainName: settings.domainName,
        failoverRecordName: settings.failoverRecordName,
        domainMode: settings.domainMode,
        hostedZoneId: settings.hostedZoneId,
        zoneDelegated: settings.zoneDelegated,
        protectData: settings.environment === "prod",
        deletionProtection: settings.deletionProtection,
        warmThroughput:
            capacity.warmWriteUnitsPerSecond === undefined
                ? undefined
                : { writeUnitsPerSecond: capacity.warmWriteUnitsPerSecond, readUnitsPerSecond: capacity.warmReadUnitsPerSecond },
        // The replica is tagged as the secondary region's (the table itself carries the primary's provider tags).
        replicaTags: defaultTags(settings, "secondary"),
        reverseReplication: settings.reverseReplication,
        replicationTimeControl: settings.replicationTimeControl,
        healthCheckIntervalSeconds: settings.healthCheckIntervalSeconds,
        healthCheckFailureThreshold: settings.healthCheckFailureThreshold,
        failoverRecordTtlSeconds: settings.failoverRecordTtlSeconds,
        failoverRecordType: settings.failoverRecordType,
        operatorPrincipalArn: settings.operatorPrincipalArn,
        alarmEmail: secretSetting(settings, "alarmEmail"),
        route53AlertEventRuleNames: ruleNames(settings, "route53", ROUTE53_METRICS_REGION, shared.nameSuffix),
        kmsDeletionWindowDays: settings.kmsDeletionWindowDays,
    };
}

/**
 * The audit trail's args: each region's table ARN, its documents bucket and, when the log archive is on, the archive
 * bucket that lives in that region.
 */
export function auditTrailArgs(
    settings: StackSettings,
    p: {
        stacks: Readonly<Record<RegionRole, RegionalStack>>;
        logArchiveBuckets?: Readonly<Record<RegionRole, pulumi.Input<string>>>;
        providers: Readonly<Record<RegionRole, aws.Provider>>;
        nameContext: pulumi.Input<NameContext>;
    },
): AuditTrailArgs {
    const partition = aws.getPartitionOutput({}, { provider: p.providers.primary }).partition;
    const byRole = <T>(f: (role: RegionRole) => T) => Object.fromEntries(REGION_ROLES.map((role) => [role, f(role)])) as Record<RegionRole, T>;
    return {
        environment: settings.environment,
        nameContext: p.nameContext,
        regions: regionsOf(settings),
        providers: p.providers,
        accountId: p.stacks.primary.accountId,
        partition,
        keyArns: byRole((role) => p.stacks[role].keyArn),
        tableArns: byRole((role) => p.stacks[role].tableReplicaArn),
        bucketArns: byRole((role) => {
            const archive = p.logArchiveBuckets?.[role];
            return [p.stacks[role].bucketArn, ...(archive ? [pulumi.interpolate`arn:${partition}:s3:::${archive}`] : [])];
        }),
    };
}
