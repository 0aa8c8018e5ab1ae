/**
 * S3: no public access, TLS-only bucket policies, and cross-region replication that S3 accepts and that
 * actually replicates KMS-encrypted objects: versioned buckets (created first), the V2 rule schema when a rule
 * has a filter, Replication Time Control together with metrics (both 15 minutes), and the KMS settings and
 * role permissions for SSE-KMS objects.
 */
import { BUCKET_TYPES, bucketAttachments, bucketIdentities, SSE_CONFIG_TYPES } from "./encryption";
import { actionMatches, conditionValues, identityPolicySites, isAnyonePrincipal, parseDocument, resourcePolicySites } from "./policy-document";
import { at, bool, isSet, isUnknown, list, num, obj, parseArn, referenced, ResourceRule, ResourceView, StackRule, str } from "./view";

export const PUBLIC_ACCESS_BLOCK_TYPE = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const BUCKET_POLICY_TYPE = "aws:s3/bucketPolicy:BucketPolicy";
export const VERSIONING_TYPES = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
export const REPLICATION_TYPE = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
/** S3 Replication Time Control and replication metrics accept only this threshold. */
export const S3_RTC_MINUTES = 15;

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

function buckets(views: readonly ResourceView[]): ResourceView[] {
    return views.filter((v) => BUCKET_TYPES.includes(v.type));
}

export const s3PublicAccessBlock: StackRule = {
    name: "s3-public-access-block",
    description: "Every bucket has a BucketPublicAccessBlock with all four settings true.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const block of views.filter((v) => v.type === PUBLIC_ACCESS_BLOCK_TYPE)) {
            const off = PUBLIC_ACCESS_FLAGS.filter((f) => !isUnknown(block.props[f]) && bool(block.props[f]) !== true);
            if (off.length > 0) {
                report(`public access block ${block.name} leaves ${off.join(", ")} off: set all four to true.`, block.urn);
            }
        }
        for (const bucket of buckets(views)) {
            if (bucketAttachments(views, [PUBLIC_ACCESS_BLOCK_TYPE], bucket).length === 0) {
                report(`bucket ${bucket.name} has no BucketPublicAccessBlock: add one with all four settings true.`, bucket.urn);
            }
        }
    },
};

/** Simple `*`/`?` glob match (IAM resource patterns against a concrete ARN). */
export function globMatch(pattern: string, value: string): boolean {
    const re = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${re}$`).test(value);
}

/** Does one of the policies deny every non-TLS request to the bucket and its objects? */
function deniesInsecureTransport(policies: readonly unknown[], bucketArn: string | undefined): boolean | undefined {
    let unknown = false;
    for (const policy of policies) {
        const doc = parseDocument(policy);
        if (doc.kind === "unknown") {
            unknown = true;
            continue;
        }
        if (doc.kind !== "document") {
            continue;
        }
        const found = doc.statements.some(
            (s) =>
                s.Effect === "Deny" &&
                isAnyonePrincipal(s) &&
                s.Action.some((a) => a === "*" || a.toLowerCase() === "s3:*") &&
                conditionValues(s, /^Bool$/, "aws:SecureTransport").some((v) => v === false || v === "false") &&
                (bucketArn === undefined || [bucketArn, `${bucketArn}/*`].every((arn) => s.Resource.some((r) => globMatch(r, arn)))),
        );
        if (found) {
            return true;
        }
    }
    return unknown ? undefined : false;
}

export const s3TlsOnlyBucketPolicy: StackRule = {
    name: "s3-tls-only-bucket-policy",
    description: 'Every bucket has a bucket policy that denies s3:* to "*" on the bucket and its objects when `aws:SecureTransport` is false.',
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const bucket of buckets(views)) {
            const policies = [
                ...bucketAttachments(views, [BUCKET_POLICY_TYPE], bucket).map((p) => p.props.policy),
                ...resourcePolicySites(bucket).map((s) => s.value),
            ];
            const arn = str(bucket.props.arn);
            if (deniesInsecureTransport(policies, arn) === false) {
                report(
                    `bucket ${bucket.name} has no bucket policy denying insecure transport: add a Deny of s3:* for Principal "*" on ` +
                        `the bucket and bucket/* with \`Condition: { Bool: { "aws:SecureTransport": "false" } }\`.`,
                    bucket.urn,
                );
            }
        }
    },
};

/** The source bucket of a replication configuration. */
function sourceBucket(config: ResourceView, views: readonly ResourceView[]): ResourceView | undefined {
    return referenced(config, "bucket", config.props.bucket, buckets(views), bucketIdentities)[0];
}

/** The bucket a destination ARN names, when it is in this stack. */
function bucketByArn(arn: unknown, views: readonly ResourceView[]): ResourceView | undefined {
    const s = str(arn);
    if (s === undefined) {
        return undefined;
    }
    // Any partition: arn:<partition>:s3:::<bucket>.
    const named = /^arn:[^:]+:s3:::([^/]+)$/.exec(s)?.[1];
    return buckets(views).find((b) => str(b.props.arn) === s || (named !== undefined && (str(b.props.bucket) ?? b.id) === named));
}

/** The versioning resources of a bucket (versioning enabled or not), and whether the bucket is versioned. */
function versioningOf(bucket: ResourceView, views: readonly ResourceView[]): { resources: ResourceView[]; versioned: boolean | undefined } {
    const resources = bucketAttachments(views, VERSIONING_TYPES, bucket);
    const statuses = [
        ...resources.map((r) => at(r.props, "versioningConfiguration", "status")),
        ...(obj(bucket.props.versioning) ? [bool(at(bucket.props, "versioning", "enabled")) ? "Enabled" : "Disabled"] : []),
    ];
    if (statuses.some((s) => s === "Enabled")) {
        return { resources, versioned: true };
    }
    return { resources, versioned: statuses.some(isUnknown) ? undefined : false };
}

export const s3ReplicationVersionedBuckets: StackRule = {
    name: "s3-replication-versioned-buckets",
    description:
        "Both buckets of a replication configuration are versioned, and the configuration depends on both BucketVersioning resources (S3 refuses replication on an unversioned bucket).",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const config of views.filter((v) => v.type === REPLICATION_TYPE)) {
            const source = sourceBucket(config, views);
            const destinations = list(config.props.rules)
                .map((r) => bucketByArn(at(r, "destination", "bucket"), views))
                .filter((b): b is ResourceView => b !== undefined);
            for (const [role, bucket] of [...(source ? [["source", source] as const] : []), ...destinations.map((d) => ["destination", d] as const)]) {
                const { resources, versioned } = versioningOf(bucket, views);
                if (versioned === false) {
                    report(
                        `replication ${config.name}: ${role} bucket ${bucket.name} is not versioned: add a BucketVersioning with status "Enabled".`,
                        config.urn,
                    );
                    continue;
                }
                const missing = resources.filter((r) => !config.dependsOn.includes(r.urn));
                if (missing.length > 0) {
                    report(
                        `replication ${config.name} does not depend on ${missing.map((r) => r.name).join(", ")}: add ` +
                            `\`dependsOn\` so S3 sees the ${role} bucket versioned before the configuration is created.`,
                        config.urn,
                    );
                }
            }
        }
    },
};

export const s3OneReplicationConfigPerBucket: StackRule = {
    name: "s3-one-replication-config-per-bucket",
    description: "A bucket has at most one replication configuration (a second one silently replaces the first).",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const configs = views.filter((v) => v.type === REPLICATION_TYPE);
        for (const bucket of buckets(views)) {
            const mine = configs.filter((c) => sourceBucket(c, views) === bucket);
            if (mine.length > 1) {
                report(
                    `bucket ${bucket.name} has ${mine.length} replication configurations (${mine.map((c) => c.name).join(", ")}): merge their rules into one.`,
                    bucket.urn,
                );
            }
        }
    },
};

function ruleLabel(rule: unknown, index: number): string {
    const id = str(at(rule, "id"));
    return id ? `rule "${id}"` : `rule #${index + 1}`;
}

export const s3ReplicationSchema: ResourceRule = {
    name: "s3-replication-rule-schema",
    description:
        "Replication rules have an id; a rule with `filter` (V2 schema) has `priority` and `deleteMarkerReplication`; Replication Time Control needs the V2 schema and `destination.metrics`, both 15 minutes; a metrics event threshold needs Replication Time Control.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== REPLICATION_TYPE) {
            return;
        }
        const ids = new Set<string>();
        list(view.props.rules).forEach((rule, i) => {
            const label = ruleLabel(rule, i);
            const id = at(rule, "id");
            if (!isUnknown(id) && !isSet(id)) {
                report(`${label} has no \`id\`: S3 would generate one, and the replication alarms need the rule's RuleId.`);
            } else if (typeof id === "string") {
                if (ids.has(id)) {
                    report(`${label}: the id is used by another rule.`);
                }
                ids.add(id);
            }
            const hasFilter = at(rule, "filter") !== undefined;
            if (hasFilter) {
                if (!isSet(at(rule, "priority"))) {
                    report(`${label} has a \`filter\` (V2 schema) but no \`priority\`: S3 refuses it.`);
                }
                if (!isSet(at(rule, "deleteMarkerReplication", "status"))) {
                    report(`${label} has a \`filter\` (V2 schema) but no \`deleteMarkerReplication\`: S3 refuses it; set { status: "Disabled" } or "Enabled".`);
                }
            }
            const rtc = at(rule, "destination", "replicationTime");
            const metrics = at(rule, "destination", "metrics");
            if (rtc !== undefined && !isUnknown(rtc)) {
                if (!hasFilter) {
                    report(
                        `${label} uses Replication Time Control without a \`filter\`: RTC is only accepted on the V2 schema (add \`filter: {}\`, \`priority\`, \`deleteMarkerReplication\`).`,
                    );
                }
                const minutes = num(at(rtc, "time", "minutes"));
                if (str(at(rtc, "status")) === "Enabled" && minutes !== S3_RTC_MINUTES) {
                    report(`${label}: \`replicationTime.time.minutes\` is ${minutes}; ${S3_RTC_MINUTES} is the only value S3 accepts.`);
                }
                if (metrics === undefined) {
                    report(`${label} has Replication Time Control but no \`destination.metrics\`: RTC and metrics go together.`);
                }
            }
            if (metrics !== undefined && !isUnknown(metrics)) {
                const minutes = num(at(metrics, "eventThreshold", "minutes"));
                const rtcEnabled = rtc !== undefined && str(at(rtc, "status")) === "Enabled";
                if (str(at(metrics, "status")) === "Enabled" && rtcEnabled && minutes !== S3_RTC_MINUTES) {
                    report(`${label}: \`metrics.eventThreshold.minutes\` is ${minutes}; it must be ${S3_RTC_MINUTES} with Replication Time Control.`);
                }
                if (at(metrics, "eventThreshold") !== undefined && !isUnknown(rtc) && !rtcEnabled) {
                    report(
                        `${label} has \`metrics.eventThreshold\` without Replication Time Control: S3 refuses it ("Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled"); keep \`metrics: { status: "Enabled" }\` alone.`,
                    );
                }
            }
        });
    },
};

/** The KMS key ARN of a bucket's default encryption, when the stack says. */
function bucketKeyArn(bucket: ResourceView, views: readonly ResourceView[]): string | undefined {
    const configs = bucketAttachments(views, SSE_CONFIG_TYPES, bucket);
    const rules = [...configs.flatMap((c) => list(c.props.rules)), ...list(at(bucket.props, "serverSideEncryptionConfiguration", "rule"))];
    return rules.map((r) => str(at(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"))).find((k) => k !== undefined);
}

/** Every identity-policy statement granted to the role with ARN `roleArn` (inline and RolePolicy). */
function roleStatements(roleArn: string, views: readonly ResourceView[]) {
    const role = views.find((v) => v.type === "aws:iam/role:Role" && str(v.props.arn) === roleArn);
    if (!role) {
        return undefined;
    }
    const policies = views.filter(
        (v) => v.type === "aws:iam/rolePolicy:RolePolicy" && referenced(v, "role", v.props.role, [role], (r) => [r.props.name, r.props.id, r.id]).length > 0,
    );
    const docs = [...identityPolicySites(role), ...policies.flatMap(identityPolicySites)].map((s) => parseDocument(s.value));
    if (docs.some((d) => d.kind === "unknown")) {
        return undefined;
    }
    return docs.flatMap((d) => (d.kind === "document" ? d.statements : [])).filter((s) => s.Effect === "Allow");
}

function grants(statements: ReturnType<typeof roleStatements>, action: string, resource: string): boolean {
    return (statements ?? []).some((s) => s.Action.some((a) => actionMatches(a, action)) && s.Resource.some((r) => globMatch(r, resource)));
}

export const s3ReplicationSseKms: StackRule = {
    name: "s3-replication-sse-kms",
    description:
        "Replication rules replicate SSE-KMS objects: `sourceSelectionCriteria.sseKmsEncryptedObjects` enabled, `destination.encryptionConfiguration.replicaKmsKeyId` a key in the destination's region, and the replication role may kms:Decrypt with the source key and kms:Encrypt with the destination key.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const config of views.filter((v) => v.type === REPLICATION_TYPE)) {
            const source = sourceBucket(config, views);
            const statements = typeof config.props.role === "string" ? roleStatements(config.props.role, views) : undefined;
            list(config.props.rules).forEach((rule, i) => {
                const label = `replication ${config.name} ${ruleLabel(rule, i)}`;
                const sse = at(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status");
                if (!isUnknown(sse) && sse !== "Enabled") {
                    report(
                        `${label}: \`sourceSelectionCriteria.sseKmsEncryptedObjects.status\` is not "Enabled": KMS-encrypted objects would not replicate.`,
                        config.urn,
                    );
                }
                const replicaKey = at(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId");
                if (isUnknown(replicaKey)) {
                    return;
                }
                const keyArn = parseArn(replicaKey);
                if (!keyArn || keyArn.service !== "kms") {
                    report(
                        `${label}: \`destination.encryptionConfiguration.replicaKmsKeyId\` is ${JSON.stringify(replicaKey ?? null)}: set the destination region's key ARN.`,
                        config.urn,
                    );
                    return;
                }
                const destination = bucketByArn(at(rule, "destination", "bucket"), views);
                if (destination?.region !== undefined && keyArn.region !== destination.region) {
                    report(
                        `${label}: the replica key is in ${keyArn.region} but the destination bucket ${destination.name} is in ${destination.region}.`,
                        config.urn,
                    );
                }
                if (statements !== undefined) {
                    const sourceKey = source ? bucketKeyArn(source, views) : undefined;
                    if (sourceKey !== undefined && !grants(statements, "kms:Decrypt", sourceKey)) {
                        report(`${label}: the replication role may not kms:Decrypt with the source key ${sourceKey}.`, config.urn);
                    }
                    if (!grants(statements, "kms:Encrypt", str(replicaKey)!)) {
                        report(`${label}: the replication role may not kms:Encrypt with the replica key ${str(replicaKey)}.`, config.urn);
                    }
                }
            });
        }
    },
};

export const S3_RULES = [
    s3PublicAccessBlock,
    s3TlsOnlyBucketPolicy,
    s3ReplicationVersionedBuckets,
    s3OneReplicationConfigPerBucket,
    s3ReplicationSchema,
    s3ReplicationSseKms,
];
