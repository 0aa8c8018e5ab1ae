/**
 * The operational safety net: AWS Backup vaults on customer-managed keys, backup plans that copy recovery points
 * to another region (a vault in the same region dies with it), and in prod a log archive subscription on every
 * log group (a region's loss must not take its logs with it).
 */
import { keyProblem } from "./encryption";
import { PROD_ENVIRONMENT } from "./prod";
import { at, bool, isUnknown, list, parseArn, ResourceRule, StackRule, str } from "./view";

export const BACKUP_VAULT_TYPE = "aws:backup/vault:Vault";
export const BACKUP_PLAN_TYPE = "aws:backup/plan:Plan";
export const LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup";
export const SUBSCRIPTION_FILTER_TYPE = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter";
export const TRAIL_TYPE = "aws:cloudtrail/trail:Trail";

export const backupVaultCmk: ResourceRule = {
    name: "backup-vault-cmk-encryption",
    description: "AWS Backup vaults are encrypted with a customer-managed key ARN from their own region (`kmsKeyArn`).",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== BACKUP_VAULT_TYPE) {
            return;
        }
        const problem = keyProblem(view.props.kmsKeyArn, view.region, { requireArn: true });
        if (problem) {
            report(`\`kmsKeyArn\`: ${problem}; without it AWS Backup uses an AWS-managed key.`);
        }
    },
};

export const backupPlanCopiesToOtherRegion: StackRule = {
    name: "backup-plan-copies-to-other-region",
    description: "Every AWS Backup plan has a rule whose `copyActions` send recovery points to a vault in another region.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const plan of views.filter((v) => v.type === BACKUP_PLAN_TYPE)) {
            const destinations = list(plan.props.rules).flatMap((rule) => list(at(rule, "copyActions")).map((c) => at(c, "destinationVaultArn")));
            if (destinations.some(isUnknown)) {
                continue;
            }
            const regions = destinations.map((d) => parseArn(d)?.region);
            if (!regions.some((r) => r !== undefined && r !== "" && r !== plan.region)) {
                report(
                    `backup plan ${plan.name} (${plan.region ?? "?"}) copies to ${regions.length === 0 ? "no other vault" : regions.join(", ")}: ` +
                        "add a `copyActions` entry whose `destinationVaultArn` is a vault in the other region, or a regional outage takes every recovery point with it.",
                    plan.urn,
                );
            }
        }
    },
};

export const prodLogGroupsArchived: StackRule = {
    name: "prod-log-groups-archived",
    description: "In prod, every log group has a subscription filter in its region (the cross-region log archive).",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const filters = views.filter((v) => v.type === SUBSCRIPTION_FILTER_TYPE);
        for (const group of views.filter((v) => v.type === LOG_GROUP_TYPE && v.environment === PROD_ENVIRONMENT)) {
            const name = str(group.props.name) ?? group.id;
            if (name === undefined) {
                continue;
            }
            const subscribed = filters.some((f) => f.region === group.region && (isUnknown(f.props.logGroup) || str(f.props.logGroup) === name));
            if (!subscribed) {
                report(
                    `prod log group ${name} (${group.region ?? "?"}) has no subscription filter: its logs are not archived in the other region. ` +
                        "Create it under a RegionalStack (collected automatically) or add it to the log archive's list.",
                    group.urn,
                );
            }
        }
    },
};

export const cloudTrailLogIntegrity: ResourceRule = {
    name: "cloudtrail-log-integrity",
    description:
        "CloudTrail trails validate their log files (`enableLogFileValidation`) and encrypt them with a customer-managed key from their own region (`kmsKeyId`).",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== TRAIL_TYPE) {
            return;
        }
        const validation = view.props.enableLogFileValidation;
        if (!isUnknown(validation) && bool(validation) !== true) {
            report("trail without `enableLogFileValidation: true`: a deleted or rewritten log file would go unnoticed (no digest files).");
        }
        const problem = keyProblem(view.props.kmsKeyId, view.region, { requireArn: true });
        if (problem) {
            report(`\`kmsKeyId\`: ${problem}; the log files would not be on the stack's key.`);
        }
    },
};

export const SAFETY_NET_RULES = [backupVaultCmk, backupPlanCopiesToOtherRegion, prodLogGroupsArchived, cloudTrailLogIntegrity];
