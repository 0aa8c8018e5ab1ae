import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { merchantRegionalCeiling, planCapacity } from "./program/capacity";
import { configNotices, isConfigSecret, loadStackSettings, secretSetting } from "./program/load-settings";
import { failoverDns } from "./components/global/failover-dns";
import { Canaries, CanaryTarget, canaryTenantRoles, createCanaryRole } from "./components/resilience/canaries";
import { GameDays } from "./components/resilience/game-days";
import { GlobalLayer } from "./components/global/global-layer";
import { REPLICATION_RULE_IDS } from "./components/global/document-replication";
import { Ledger } from "./components/ledger/ledger";
import { isAuroraLedger } from "./components/ledger/settings";
import { DAY_INDEX_NAME } from "./contracts/day-index";
import { names, REGION_ROLES, RegionRole } from "./components/shared/naming";
import { transactionIdKey } from "./components/regional/processor-security";
import { standbyTakingPaymentsAlarmSpec } from "./components/regional/payment-alarm";
import { failoverDrainMinutes, requireRecoveryObjectives } from "./program/objectives";
import { computeTakeoverObjectives } from "./program/takeover-objectives";
import { RegionalStack } from "./components/regional/regional-stack";
import { auditTrailArgs, globalLayerArgs, regionalStackArgs, regionsOf } from "./program/stack-args";
import { createRegionSwitchPlan, SWITCH_ACTIONS, takeoverSwitchRoleName } from "./components/takeover/region-switch-plan";
import { createSafetyNet } from "./program/safety-net";
import { AuditTrail } from "./components/safety-net/audit-trail";
import { ROUTE53_METRICS_REGION } from "./components/shared/regions";
import { defaultTags } from "./program/tags";
import { takeoverAuthorityTableName } from "./contracts/takeover-authority";
import { TakeoverAuthority } from "./components/takeover/authority-store";
import { createHealthProbeToken } from "./components/regional/health-probe";

// Validate before anything is registered: a bad config, or settings that miss the recovery targets, stop the
// program here with every problem listed (a pulumi.RunError each: one clean message under the CLI).
const settings = loadStackSettings();
const objectives = requireRecoveryObjectives(settings);

// One suffix per stack, in every physical name: a destroyed stack can be re-created at once.
const nameSuffix = new random.RandomString("name-suffix", { length: 6, special: false, upper: false });

const regionOf = regionsOf(settings);

// The explicit providers ignore the stack's `aws:region` (each takes its region from primaryRegion/secondaryRegion),
// but take its `aws:profile`, so `pulumi config set aws:profile <name>` chooses the credentials as usual.
const awsConfig = new pulumi.Config("aws");
const awsProfile = awsConfig.get("profile");

function regionProvider(name: string, region: string, role: string): aws.Provider {
    return new aws.Provider(name, {
        profile: awsProfile,
        region: region as aws.Region,
        defaultTags: { tags: defaultTags(settings, role) },
    });
}

// One explicit provider per region; the project disables the default aws provider, so nothing lands in a region by accident.
const regional = Object.fromEntries(REGION_ROLES.map((role) => [role, regionProvider(`aws-${role}`, regionOf[role], role)])) as Record<
    RegionRole,
    aws.Provider
>;
// Route 53 health-check metrics (and so their alarms) exist only in us-east-1.
const route53Role = REGION_ROLES.find((role) => regionOf[role] === ROUTE53_METRICS_REGION);
const providers = {
    ...regional,
    route53: route53Role ? regional[route53Role] : regionProvider("aws-route53-metrics", ROUTE53_METRICS_REGION, "route53"),
};

const tableName = nameSuffix.result.apply((suffix) => names.table({ envLabel: settings.envLabel, suffix }));

const nameContext = nameSuffix.result.apply((suffix) => ({ envLabel: settings.envLabel, suffix }));
// The takeover authority lives in the standby region and fences the primary's writes while it says so.
const authorityTableName = nameContext.apply(takeoverAuthorityTableName);
const primaryFence = { tableName: authorityTableName, region: regionOf.secondary };

// The secret last segment of the path Route 53 probes in both regions (components/regional/health-probe.ts).
const healthProbeToken = createHealthProbeToken("stack");
// One HMAC key for transaction ids in both regions: the configured secret, or one generated once (processor-security.ts).
const idKey = transactionIdKey(secretSetting(settings, "transactionIdKey"));
// The canaries' role exists before the APIs: in iam mode the processors map its unique id to the canary's tenant.
const canaryRole = settings.canarySchedule
    ? createCanaryRole(
          "canaries",
          { nameContext, accountId: aws.getCallerIdentityOutput({}, { provider: regional.primary }).accountId },
          { provider: regional.primary },
      )
    : undefined;
const programTenantRoles = canaryRole && settings.apiAuth.mode === "iam" ? canaryTenantRoles(canaryRole) : undefined;

const stacks = Object.fromEntries(
    REGION_ROLES.map((role) => [
        role,
        new RegionalStack(
            role,
            regionalStackArgs(settings, role, {
                nameSuffix: nameSuffix.result,
                tableName,
                healthProbeToken,
                fence: role === "primary" ? primaryFence : undefined,
                transactionIdKey: idKey,
                programTenantRoles,
            }),
            { providers: { aws: regional[role] } },
        ),
    ]),
) as Record<RegionRole, RegionalStack>;

const global = new GlobalLayer(
    "global",
    // The layer creates the ConsistencyGuard (a `consistency` change on a deployed table fails with our message).
    globalLayerArgs(settings, { nameSuffix: nameSuffix.result, tableName, stacks, providers }),
);

// The optional relational ledger: nothing of it exists unless `ledger` is aurora-global.
const ledger = isAuroraLedger(settings.ledger)
    ? new Ledger("ledger", {
          environment: settings.environment,
          envLabel: settings.envLabel,
          logRetentionDays: settings.logRetentionDays,
          rpoTargetMinutes: settings.rpoTargetMinutes,
          ledger: settings.ledger,
          nameSuffix: nameSuffix.result,
          stacks,
          streamArns: global.tableStreamArns,
          providers: regional,
      })
    : undefined;
// Only the DR operator and the takeover-switch roles can set or clear it (its resource policy); the primary's processor
// and receipt finisher read it. After the stacks and the GlobalLayer, whose roles it names and extends.
const roleArnLike = (name: pulumi.Input<string>) => pulumi.interpolate`${global.operatorRoleArn.apply((arn) => arn.replace(/role\/.*$/, "role/"))}${name}`;
const authority = new TakeoverAuthority(
    "takeover-authority",
    {
        region: regionOf.secondary,
        tableName: authorityTableName,
        keyArn: stacks.secondary.keyArn,
        protectData: settings.environment === "prod",
        writerRoleArns: {
            operator: global.operatorRoleArn,
            // The optional Region switch plan's roles (named here whether or not the plan exists: a name is no grant).
            ...Object.fromEntries(
                SWITCH_ACTIONS.flatMap((action) =>
                    REGION_ROLES.map((role) => [`${action}-${role}`, roleArnLike(nameContext.apply((ctx) => takeoverSwitchRoleName(ctx, action, role)))]),
                ),
            ),
        },
        writerRoleNames: { operator: global.operatorRoleName },
        readerRoleNames: {
            processor: nameContext.apply((ctx) => names.processorRole(ctx, "primary")),
            finisher: nameContext.apply((ctx) => names.finisherRole(ctx, "primary")),
        },
    },
    { providers: { aws: regional.secondary }, dependsOn: [stacks.primary, global] },
);

// Optional: the takeover switch as an ARC Region switch plan (about $70 a month). Created after the ledger so that
// its workflows can move the ledger's writer too. It used to be created inside the GlobalLayer: the aliases keep
// the resources a stack with the plan already has.
const regionSwitchPlan = settings.regionSwitchPlan
    ? createRegionSwitchPlan("global-region-switch", {
          regions: regionOf,
          inRegion: {
              primary: { provider: regional.primary, aliases: [{ parent: global }] },
              secondary: { provider: regional.secondary, aliases: [{ parent: global }] },
          },
          keyArns: { primary: stacks.primary.keyArn, secondary: stacks.secondary.keyArn },
          signal: global.takeoverSignal.apply(({ region, namespace, metricName, dimensions }) => ({ region, namespace, metricName, dimensions })),
          authority: authority.output,
          nameContext,
          accountId: stacks.primary.accountId,
          approvalRoleArn: global.operatorRoleArn,
          approvalRoleName: global.operatorRoleName,
          logRetentionDays: settings.logRetentionDays,
          recoveryTimeObjectiveMinutes: settings.rtoTargetMinutes,
          ledger: ledger
              ? {
                    step: ledger.regionSwitchStep,
                    globalClusterArn: ledger.globalClusterArn,
                    clusterArns: [ledger.clusterArns.primary, ledger.clusterArns.secondary],
                }
              : undefined,
      })
    : undefined;
// Optional game days: FIS experiment templates pausing replication toward the standby (nothing runs until started).
// gameDays turns the regional stacks' faultInjection on (program/stack-args.ts): the primary has a config bucket.
const primaryFaultConfigBucketArn = stacks.primary.faultConfigBucketArn;
if (settings.gameDays && primaryFaultConfigBucketArn === undefined) {
    throw new pulumi.RunError("gameDays: the primary RegionalStack has no FIS fault-configuration bucket (faultInjection is off)");
}
const gameDays =
    settings.gameDays && primaryFaultConfigBucketArn
        ? new GameDays("game-days", {
              regions: regionOf,
              providers: regional,
              nameContext: nameSuffix.result.apply((suffix) => ({ envLabel: settings.envLabel, suffix })),
              accountId: stacks.primary.accountId,
              keyArns: { primary: stacks.primary.keyArn, secondary: stacks.secondary.keyArn },
              logRetentionDays: settings.logRetentionDays,
              standbyReplicaArn: stacks.secondary.tableReplicaArn,
              strongConsistency: settings.consistency.mode === "strong",
              primaryBucketName: stacks.primary.bucketName,
              primaryBucketArn: stacks.primary.bucketArn,
              standbyBucketName: stacks.secondary.bucketName,
              primaryProcessor: {
                  functionArn: stacks.primary.functionArn,
                  faultConfigBucketArn: primaryFaultConfigBucketArn,
                  topicArn: stacks.primary.topicArn,
              },
              primaryStage: { apiId: stacks.primary.apiId, stageName: stacks.primary.stage.name },
              failoverDrainMinutes: failoverDrainMinutes(objectives),
              alarms: {
                  primaryPaymentFailures: stacks.primary.paymentFailureAlarmName,
                  standbyPaymentFailures: stacks.secondary.paymentFailureAlarmName,
                  standbyTakingPayments: nameSuffix.result.apply((suffix) =>
                      names.alarm({ envLabel: settings.envLabel, suffix }, standbyTakingPaymentsAlarmSpec(regionOf.secondary).what, "secondary"),
                  ),
              },
          })
        : undefined;
// Optional canaries (canarySchedule, iam stacks only): the journey through each regional name and, when HTTPS serves
// it, the failover name, from the standby region so that it keeps reporting while the primary region is down.
const canaryTargets: CanaryTarget[] = [
    ...REGION_ROLES.map((role) => ({
        id: role,
        baseUrl: pulumi.interpolate`https://${global.healthCheckTargets[role]}`,
        signingRegion: regionOf[role],
        runsIn: role,
    })),
    ...(failoverDns(settings).servesHttps ? [{ id: "failover", baseUrl: `https://${global.failoverFqdn}`, runsIn: "secondary" as const }] : []),
];
const canaries =
    canaryRole && settings.canarySchedule
        ? new Canaries("canaries", {
              role: canaryRole,
              regions: regionOf,
              providers: regional,
              nameContext,
              accountId: stacks.primary.accountId,
              keyArns: { primary: stacks.primary.keyArn, secondary: stacks.secondary.keyArn },
              apiExecutionArns: { primary: stacks.primary.apiExecutionArn, secondary: stacks.secondary.apiExecutionArn },
              topicArns: { primary: stacks.primary.topicArn, secondary: stacks.secondary.topicArn },
              schedule: settings.canarySchedule,
              targets: canaryTargets,
              forceDestroy: settings.environment !== "prod",
              // Validated: a jwt stack with canaries names its token secret (program/game-day-config.ts).
              auth:
                  settings.apiAuth.mode === "jwt" && settings.canaryTokenSecret
                      ? { mode: "jwt", tokenSecretName: settings.canaryTokenSecret }
                      : { mode: "iam" },
          })
        : undefined;
// Last: the safety net watches, backs up and archives the logs of everything above.
// Log groups created outside the RegionalStacks: each optional component exposes its own (no interception).
const otherLogGroups = [ledger?.logGroups, regionSwitchPlan?.logGroups, gameDays?.logGroups].filter((groups) => groups !== undefined);
const safetyNet = createSafetyNet({ settings, nameSuffix: nameSuffix.result, stacks, global, providers, otherLogGroups });
// CloudTrail data events on the table and the data buckets of each region (config cloudTrailDataEvents, prod on).
const auditTrail = settings.cloudTrailDataEvents
    ? new AuditTrail(
          "audit-trail",
          auditTrailArgs(settings, { stacks, logArchiveBuckets: safetyNet.logArchive?.bucketNames, providers: regional, nameContext }),
      )
    : undefined;

const capacityPlan = planCapacity(settings);
pulumi.log.info(
    `capacity: ${settings.targetTps} TPS × ${settings.expectedDurationMs} ms needs ${capacityPlan.requiredConcurrency} concurrent ` +
        `executions per region; available ${capacityPlan.availableConcurrency} (account limit ${settings.accountConcurrencyLimit}); ` +
        `the standby scales from ${capacityPlan.standbyWarmEnvironments} warm environments to that in ${capacityPlan.standbyScaleUpSeconds} s ` +
        "(Lambda adds 1,000 environments, or 10,000 requests/s, every 10 s)",
);
// The per-merchant limit is per execution environment: its regional meaning, from this stack's own settings.
if (settings.merchantLimit) {
    const ceiling = merchantRegionalCeiling(settings.merchantLimit, settings);
    pulumi.log.info(
        `per-merchant limit: one merchant at most ${ceiling.requestsPerSecond} requests/s (burst ${ceiling.burst}) per region: ` +
            `${ceiling.perEnvironment} requests/s (merchantRateLimit, at most one environment's 1000 / expectedDurationMs) × ${ceiling.environments} environments`,
    );
} else {
    pulumi.log.info(
        `per-merchant limit: none (merchantRateLimit unset): one merchant may use all ${capacityPlan.availableConcurrency} environments of a region`,
    );
}
const stackNotices = [...global.notices, ...configNotices(settings, awsConfig.get("region"), isConfigSecret)];
for (const notice of stackNotices) {
    pulumi.log.warn(notice);
}

export const environment = settings.environment;
export const primaryRegion = settings.primaryRegion;
export const secondaryRegion = settings.secondaryRegion;
export const primaryApiEndpoint = stacks.primary.apiEndpoint;
export const secondaryApiEndpoint = stacks.secondary.apiEndpoint;
export const failoverDnsName = global.failoverFqdn;
// HTTPS serves the failover name only through the custom domains; until then clients use each region's endpoint.
const servesHttps = failoverDns(settings).servesHttps;
export const failoverUrl = servesHttps ? `https://${global.failoverFqdn}` : undefined;
export const apiUrls = pulumi.output(
    servesHttps ? { failover: `https://${global.failoverFqdn}` } : { primary: stacks.primary.apiEndpoint, secondary: stacks.secondary.apiEndpoint },
);
export const domainMode = settings.domainMode;
export const hostedZoneId = global.zoneId;
export const nameServers = global.nameServers;
export const primaryHealthCheckId = global.healthCheckIds.primary;
export const secondaryHealthCheckId = global.healthCheckIds.secondary;
export const failoverHealthCheckIds = pulumi.output(global.failoverHealthCheckIds);
export const paymentsHealthCheckIds = pulumi.output(global.paymentsHealthCheckIds);
/** Every payment-signal child of each region's failover check, by child (components/global/payment-signal.ts). */
export const paymentSignalHealthCheckIds = pulumi.output(global.paymentSignalHealthCheckIds);
export const healthCheckTargets = global.healthCheckTargets;
export const primaryFailoverHealthCheckId = global.primaryFailoverHealthCheckId;
export const takeoverHealthCheckId = global.takeoverHealthCheckId;
/** What `npm run failover` / `failback` set and read, in the standby region. */
export const takeoverSignal = global.takeoverSignal;
/** Where the takeover authority is (what fences the primary): the DR scripts set and clear it. */
export const takeoverAuthority = authority.output;
/** The ARC Region switch plan (config `regionSwitchPlan`); absent when off. */
export const regionSwitchPlanArn = regionSwitchPlan?.planArn;
export const reverseReplication = settings.reverseReplication;
// Only the rules that exist: the reverse rule's id only when reverse replication is on.
export const replicationRuleIds = settings.reverseReplication ? REPLICATION_RULE_IDS : { primary: REPLICATION_RULE_IDS.primary };
export const dayIndexName = DAY_INDEX_NAME;
export const transactionsTableName = global.tableName;
export const transactionsTableArn = global.tableArn;
export const primaryBucketName = stacks.primary.bucketName;
export const secondaryBucketName = stacks.secondary.bucketName;
export const primaryKeyArn = stacks.primary.keyArn;
export const secondaryKeyArn = stacks.secondary.keyArn;
export const primaryFunctionArn = stacks.primary.functionArn;
export const secondaryFunctionArn = stacks.secondary.functionArn;
export const primaryTopicArn = stacks.primary.topicArn;
export const secondaryTopicArn = stacks.secondary.topicArn;
export const route53AlarmTopicArn = global.route53AlarmTopicArn;
export const dashboardName = global.dashboardName;
export const operatorRoleArn = global.operatorRoleArn;
export const capacity = capacityPlan;
export const recoveryObjectives = objectives;
/** Expected times of `npm run failover` / `failback` (signal, fence, Route 53, clients). */
export const takeoverObjectives = computeTakeoverObjectives(settings);
export const notices = stackNotices;
export const ledgerGlobalWriterEndpoint = ledger?.globalWriterEndpoint;
export const ledgerWriterRegion = ledger?.writerRegion;
export const ledgerClusterIdentifiers = ledger ? pulumi.output(ledger.clusterIdentifiers) : undefined;
export const parameterNames = safetyNet.parameters.names;
export const backupVaultArns = safetyNet.backup?.vaultArns;
export const backupRoleArn = safetyNet.backup?.roleArn;
export const logArchiveBuckets = safetyNet.logArchive?.bucketNames;
/** The CloudTrail data-event log bucket of each region (config `cloudTrailDataEvents`); absent when off. */
export const auditTrailBuckets = auditTrail?.bucketNames;
/** The FIS experiment templates (config `gameDays`): template id and region of each; absent when off. */
export const gameDayExperiments = gameDays ? pulumi.output(gameDays.experiments) : undefined;
/** The Synthetics canaries (config `canarySchedule`) by target (`primary`, `secondary`, `failover`); absent when off. */
export const canaryNames = canaries ? pulumi.output(canaries.names) : undefined;
