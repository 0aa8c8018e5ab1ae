/**
 * DynamoDB global tables (version 2019.11.21, `aws.dynamodb.Table` with `replicas`): what AWS refuses at
 * deploy time (streams off, a replica in the home region, a replica key from another region, the legacy
 * GlobalTable resource) and what silently weakens recovery (replicas do not inherit point-in-time recovery).
 */
import { at, bool, isSet, isUnknown, list, parseArn, ResourceRule, str } from "./view";

export const TABLE_TYPE = "aws:dynamodb/table:Table";
export const TABLE_REPLICA_TYPE = "aws:dynamodb/tableReplica:TableReplica";
export const LEGACY_GLOBAL_TABLE_TYPE = "aws:dynamodb/globalTable:GlobalTable";

function replicaLabel(replica: unknown): string {
    return `replica ${str(at(replica, "regionName")) ?? "?"}`;
}

export const dynamodbPointInTimeRecovery: ResourceRule = {
    name: "dynamodb-point-in-time-recovery",
    description: "Tables have `pointInTimeRecovery.enabled` and every replica `pointInTimeRecovery: true` (replicas do not inherit it).",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type === TABLE_REPLICA_TYPE) {
            const pitr = view.props.pointInTimeRecovery;
            if (!isUnknown(pitr) && bool(pitr) !== true) {
                report("`pointInTimeRecovery` is not true on this replica: replicas do not inherit it from the table.");
            }
            return;
        }
        if (view.type !== TABLE_TYPE) {
            return;
        }
        const enabled = at(view.props, "pointInTimeRecovery", "enabled");
        if (!isUnknown(enabled) && bool(enabled) !== true) {
            report("`pointInTimeRecovery.enabled` is not true: turn on point-in-time recovery.");
        }
        for (const replica of list(view.props.replicas)) {
            const pitr = at(replica, "pointInTimeRecovery");
            if (!isUnknown(pitr) && bool(pitr) !== true) {
                report(`${replicaLabel(replica)}: \`pointInTimeRecovery\` is not true; replicas do not inherit it (changing it later recreates the replica).`);
            }
        }
    },
};

export const dynamodbReplicaStreams: ResourceRule = {
    name: "dynamodb-replica-streams",
    description: "A table with `replicas` has `streamEnabled: true` and `streamViewType: NEW_AND_OLD_IMAGES`.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== TABLE_TYPE || list(view.props.replicas).length === 0) {
            return;
        }
        const enabled = view.props.streamEnabled;
        if (!isUnknown(enabled) && bool(enabled) !== true) {
            report("the table has replicas but `streamEnabled` is not true: global tables replicate through the stream.");
        }
        const viewType = view.props.streamViewType;
        if (!isUnknown(viewType) && viewType !== "NEW_AND_OLD_IMAGES") {
            report(`\`streamViewType\` is ${JSON.stringify(viewType ?? null)}: global tables need NEW_AND_OLD_IMAGES.`);
        }
    },
};

export const dynamodbReplicaNotInHomeRegion: ResourceRule = {
    name: "dynamodb-replica-not-in-home-region",
    description: "No replica is in the table's own region, and no region is listed twice.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== TABLE_TYPE) {
            return;
        }
        const seen = new Set<string>();
        for (const replica of list(view.props.replicas)) {
            const region = str(at(replica, "regionName"));
            if (region === undefined) {
                continue;
            }
            if (view.region !== undefined && region === view.region) {
                report(`${replicaLabel(replica)} is the table's own region (${view.region}): DynamoDB refuses it; list only the other regions.`);
            }
            if (seen.has(region)) {
                report(`${replicaLabel(replica)} is listed twice.`);
            }
            seen.add(region);
        }
    },
};

export const dynamodbReplicaKeyInRegion: ResourceRule = {
    name: "dynamodb-replica-key-in-region",
    description: "Each replica's `kmsKeyArn` is a key ARN in that replica's region.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        const check = (label: string, key: unknown, region: string | undefined) => {
            if (isUnknown(key) || !isSet(key) || region === undefined) {
                return; // Missing keys are dynamodb-table-cmk-encryption's to report.
            }
            const arn = parseArn(key);
            if (!arn || arn.service !== "kms") {
                report(`${label}: \`kmsKeyArn\` ${JSON.stringify(key)} is not a KMS key ARN.`);
            } else if (arn.region !== region) {
                report(`${label}: \`kmsKeyArn\` is a key in ${arn.region}; a replica in ${region} needs a key from ${region}.`);
            }
        };
        if (view.type === TABLE_REPLICA_TYPE) {
            check("replica", view.props.kmsKeyArn, view.region);
        } else if (view.type === TABLE_TYPE) {
            for (const replica of list(view.props.replicas)) {
                check(replicaLabel(replica), at(replica, "kmsKeyArn"), str(at(replica, "regionName")));
            }
        }
    },
};

export const dynamodbNoLegacyGlobalTable: ResourceRule = {
    name: "dynamodb-no-legacy-global-table",
    description: "The legacy `aws.dynamodb.GlobalTable` (2017 version) is not used; use `aws.dynamodb.Table` with `replicas`.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type === LEGACY_GLOBAL_TABLE_TYPE) {
            report("aws.dynamodb.GlobalTable is the 2017 global tables version: use aws.dynamodb.Table with `replicas` (version 2019.11.21).");
        }
    },
};

export const DYNAMODB_RULES = [
    dynamodbPointInTimeRecovery,
    dynamodbReplicaStreams,
    dynamodbReplicaNotInHomeRegion,
    dynamodbReplicaKeyInRegion,
    dynamodbNoLegacyGlobalTable,
];
