/**
 * Production only (resources whose `Environment` tag, own or from the provider's default tags, is `prod`):
 * data that survives a mistaken delete or destroy.
 */
import { TABLE_TYPE, TABLE_REPLICA_TYPE } from "./dynamodb";
import { BUCKET_TYPES } from "./encryption";
import { at, bool, isUnknown, list, num, ResourceRule, str } from "./view";

export const PROD_ENVIRONMENT = "prod";
/** The longest waiting period KMS allows; prod keys get all of it. */
export const PROD_KMS_DELETION_WINDOW_DAYS = 30;
const KEY_TYPE = "aws:kms/key:Key";

export const prodDynamodbDeletionProtection: ResourceRule = {
    name: "prod-dynamodb-deletion-protection",
    description: "In prod, DynamoDB tables have `deletionProtectionEnabled: true`.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.environment !== PROD_ENVIRONMENT || view.type !== TABLE_TYPE) {
            return;
        }
        const value = view.props.deletionProtectionEnabled;
        if (!isUnknown(value) && bool(value) !== true) {
            report("prod table without `deletionProtectionEnabled: true`: the system of record could be deleted by one API call.");
        }
    },
};

export const prodNoForceDestroyBuckets: ResourceRule = {
    name: "prod-no-force-destroy-buckets",
    description: "In prod, no bucket has `forceDestroy: true`.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.environment === PROD_ENVIRONMENT && BUCKET_TYPES.includes(view.type) && bool(view.props.forceDestroy) === true) {
            report("prod bucket with `forceDestroy: true`: `pulumi destroy` would delete every document; set it to false.");
        }
    },
};

export const prodKmsDeletionWindow: ResourceRule = {
    name: "prod-kms-deletion-window",
    description: `In prod, KMS keys have \`deletionWindowInDays\` >= ${PROD_KMS_DELETION_WINDOW_DAYS} (unset means AWS's default of 30).`,
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.environment !== PROD_ENVIRONMENT || view.type !== KEY_TYPE) {
            return;
        }
        const days = num(view.props.deletionWindowInDays);
        if (days !== undefined && days < PROD_KMS_DELETION_WINDOW_DAYS) {
            report(`prod key with \`deletionWindowInDays\` ${days}: use ${PROD_KMS_DELETION_WINDOW_DAYS}, the longest time to cancel a mistaken deletion.`);
        }
    },
};

export const prodDataStoresProtected: ResourceRule = {
    name: "prod-data-stores-protected",
    description: "In prod, tables, buckets and keys are `protect`ed in Pulumi, and table replicas have deletion protection.",
    enforcementLevel: "advisory",
    validateResource: (view, report) => {
        if (view.environment !== PROD_ENVIRONMENT) {
            return;
        }
        if ([TABLE_TYPE, TABLE_REPLICA_TYPE, KEY_TYPE, ...BUCKET_TYPES].includes(view.type) && !view.protect) {
            report("prod data store without `protect: true`: `pulumi destroy` or a replacement would delete it.");
        }
        const replicas = view.type === TABLE_TYPE ? list(view.props.replicas) : [];
        for (const replica of replicas) {
            const value = at(replica, "deletionProtectionEnabled");
            if (!isUnknown(value) && bool(value) !== true) {
                report(`replica ${str(at(replica, "regionName")) ?? "?"} has no \`deletionProtectionEnabled: true\`.`);
            }
        }
    },
};

export const PROD_RULES = [prodDynamodbDeletionProtection, prodNoForceDestroyBuckets, prodKmsDeletionWindow, prodDataStoresProtected];
