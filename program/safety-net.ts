import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupProtection } from "../components/safety-net/backup";
import { StackSettings } from "./config";
import { FailoverEvents } from "../components/safety-net/failover-events";
import type { GlobalLayer } from "../components/global/global-layer";
import { LogArchive } from "../components/safety-net/log-archive";
import { RegionalLogGroups } from "../components/shared/log-groups";
import { RegionRole } from "../components/shared/naming";
import { RegionParameters } from "../components/safety-net/region-parameters";
import type { RegionalStack } from "../components/regional/regional-stack";

export interface SafetyNetArgs {
    readonly settings: StackSettings;
    readonly nameSuffix: pulumi.Input<string>;
    readonly stacks: Readonly<Record<RegionRole, RegionalStack>>;
    readonly global: GlobalLayer;
    readonly providers: Readonly<Record<RegionRole | "route53", aws.Provider>>;
    /** The `logGroups` of the optional components outside the RegionalStacks (ledger, Region switch plan, game days), in creation order. */
    readonly otherLogGroups?: readonly RegionalLogGroups[];
}

/** The operational safety net, created after everything it watches: EventBridge rules, SSM parameters, and the optional AWS Backup and log archive. */
export interface SafetyNet {
    readonly failoverEvents: FailoverEvents;
    readonly parameters: RegionParameters;
    readonly backup?: BackupProtection;
    readonly logArchive?: LogArchive;
}

export function createSafetyNet(args: SafetyNetArgs): SafetyNet {
    const { settings, nameSuffix, stacks, global, providers } = args;
    const regional = { primary: providers.primary, secondary: providers.secondary };
    const partition = aws.getPartitionOutput({}, { provider: providers.primary }).partition;
    const others = args.otherLogGroups ?? [];

    const failoverEvents = new FailoverEvents("failover-events", {
        settings,
        nameSuffix,
        stacks,
        providers,
        route53TopicArn: global.route53AlarmTopicArn,
    });
    const parameters = new RegionParameters("region-parameters", { settings, stacks, providers: regional, tableName: global.tableName });
    const backup = settings.backup
        ? new BackupProtection("backup", {
              environment: settings.environment,
              envLabel: settings.envLabel,
              backup: settings.backup,
              nameSuffix,
              stacks,
              providers: regional,
              tableArn: global.tableArn,
              partition,
          })
        : undefined;
    // Last: it subscribes to every log group the regions hold by now.
    const logArchive = settings.logArchive
        ? new LogArchive("log-archive", {
              environment: settings.environment,
              envLabel: settings.envLabel,
              archive: settings.logArchive,
              nameSuffix,
              keyArns: { primary: stacks.primary.keyArn, secondary: stacks.secondary.keyArn },
              regions: { primary: stacks.primary.region, secondary: stacks.secondary.region },
              logGroups: {
                  primary: [...stacks.primary.logGroups, ...failoverEvents.logGroups.primary, ...others.flatMap((groups) => groups.primary)],
                  secondary: [...stacks.secondary.logGroups, ...failoverEvents.logGroups.secondary, ...others.flatMap((groups) => groups.secondary)],
              },
              providers: regional,
              alarmTopicArns: { primary: stacks.primary.topicArn, secondary: stacks.secondary.topicArn },
              accountId: stacks.primary.accountId,
              partition,
          })
        : undefined;
    return { failoverEvents, parameters, backup, logArchive };
}
