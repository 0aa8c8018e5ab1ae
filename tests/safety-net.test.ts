import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { normalize } from "../policy/rules/view";
import { BACKUP_MANAGED_POLICIES } from "../components/safety-net/backup";
import { otherRole } from "../components/shared/naming";
import { Synthesis } from "../scripts/synth/synthesize";
import { asArray, ofType, one, policyOf, stack, stackWith } from "./support/stacks";
import { everyOptionStack } from "./support/every-option";

const REGIONS = { primary: "us-east-1", secondary: "us-west-2" } as const;
const ROLES = ["primary", "secondary"] as const;
const other = otherRole;
const regionOfArn = (arn: string) => arn.split(":")[3];

const OPTIONAL_TYPES = [
    "aws:backup/vault:Vault",
    "aws:backup/plan:Plan",
    "aws:backup/selection:Selection",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
];

function keyArnIn(s: Synthesis, role: string): string {
    return one(s, "aws:kms/key:Key", `${role}-key`).state.arn;
}
function topicArnIn(s: Synthesis, role: string): string {
    return one(s, "aws:sns/topic:Topic", `${role}-alerts`).state.arn;
}

describe("safety net (prod stack, mocked runtime)", () => {
    let s: Synthesis;
    before(async () => {
        // Prod as deployed: the on-call address is set (as a secret; Pulumi.prod.yaml cannot hold it in plain text).
        s = await stackWith("prod", { alarmEmail: "payments-oncall@acme-pay.net" });
    });

    describe("AWS Backup", () => {
        for (const role of ROLES) {
            const region = REGIONS[role];
            it(`${role}: a vault in ${region} on ${role}'s own key, protected and locked (governance mode)`, () => {
                const vault = one(s, "aws:backup/vault:Vault", `backup-${role}-vault`);
                expect(vault.region).to.equal(region);
                expect(vault.inputs.kmsKeyArn).to.equal(keyArnIn(s, role));
                expect(regionOfArn(vault.inputs.kmsKeyArn)).to.equal(region);
                expect(vault.inputs.forceDestroy).to.equal(false);
                expect([vault.protect, vault.retainOnDelete]).to.deep.equal([true, true]);
                const lock = one(s, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", `backup-${role}-vault-lock`);
                expect(lock.inputs).to.include({ backupVaultName: vault.inputs.name, minRetentionDays: 2 });
                expect(lock.inputs.changeableForDays, "compliance mode is irreversible").to.equal(undefined);
            });

            it(`${role}: hourly and daily rules with the configured retention; the daily copy goes to the other region's vault`, () => {
                const plan = one(s, "aws:backup/plan:Plan", `backup-${role}-plan`);
                expect(plan.region).to.equal(region);
                const [hourly, daily] = plan.inputs.rules;
                expect(hourly).to.deep.include({ ruleName: "hourly", schedule: "cron(0 * ? * * *)", lifecycle: { deleteAfter: 2 } });
                expect(daily).to.deep.include({ ruleName: "daily", schedule: "cron(0 5 ? * * *)", lifecycle: { deleteAfter: 35 } });
                const own = one(s, "aws:backup/vault:Vault", `backup-${role}-vault`);
                expect([hourly.targetVaultName, daily.targetVaultName]).to.deep.equal([own.inputs.name, own.inputs.name]);
                const target = one(s, "aws:backup/vault:Vault", `backup-${other(role)}-vault`);
                expect(daily.copyActions).to.deep.equal([{ destinationVaultArn: target.state.arn, lifecycle: { deleteAfter: 35 } }]);
                expect(regionOfArn(daily.copyActions[0].destinationVaultArn)).to.equal(REGIONS[other(role)]);
                expect(hourly.copyActions).to.equal(undefined);
            });

            it(`${role}: selects this region's table copy and documents bucket by ARN, with the backup role`, () => {
                const selection = one(s, "aws:backup/selection:Selection", `backup-${role}-selection`);
                const table = ofType(s, "aws:dynamodb/table:Table")[0];
                const tableArn = table.state.arn.replace(":us-east-1:", `:${region}:`);
                const bucket = one(s, "aws:s3/bucket:Bucket", `${role}-documents`);
                expect(selection.inputs.resources).to.deep.equal([tableArn, bucket.state.arn]);
                expect(selection.inputs.iamRoleArn).to.equal(one(s, "aws:iam/role:Role", "backup-role").state.arn);
            });

            it(`${role}: alarms on failed backup and copy jobs of the vault notify ${role}'s topic`, () => {
                const vault = one(s, "aws:backup/vault:Vault", `backup-${role}-vault`);
                for (const [what, metric] of [
                    ["backup-jobs-failed", "NumberOfBackupJobsFailed"],
                    ["backup-copy-jobs-failed", "NumberOfCopyJobsFailed"],
                ]) {
                    const alarm = one(s, "aws:cloudwatch/metricAlarm:MetricAlarm", `backup-${role}-${what}`);
                    expect(alarm.region).to.equal(region);
                    expect(alarm.inputs).to.deep.include({ namespace: "AWS/Backup", metricName: metric, dimensions: { BackupVaultName: vault.inputs.name } });
                    expect(alarm.inputs.alarmActions).to.deep.equal([topicArnIn(s, role)]);
                }
            });
        }

        it("the backup role trusts only AWS Backup and carries AWS's backup and restore policies for DynamoDB and S3", () => {
            const role = one(s, "aws:iam/role:Role", "backup-role");
            const trust = policyOf(role, "assumeRolePolicy");
            expect(trust.Statement.map((st) => st.Principal)).to.deep.equal([{ Service: "backup.amazonaws.com" }]);
            const attached = ofType(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.inputs.name);
            expect(attached.map((a) => a.inputs.policyArn)).to.have.members(BACKUP_MANAGED_POLICIES.map((p) => `arn:aws:iam::aws:policy/${p}`));
        });
    });

    describe("EventBridge on failover", () => {
        const rulesIn = (region: string) => ofType(s, "aws:cloudwatch/eventRule:EventRule", region);

        it("routes every exact alarm name to a real alarm of the same region, and the failover-* names by wildcard", () => {
            for (const region of Object.values(REGIONS)) {
                const alarmNames = ofType(s, "aws:cloudwatch/metricAlarm:MetricAlarm", region).map((a) => a.inputs.name);
                const alarmRule = rulesIn(region).find((r) => r.name.includes("dr-alarms"))!;
                const matchers: unknown[] = JSON.parse(alarmRule.inputs.eventPattern).detail.alarmName;
                const exact = matchers.filter((m): m is string => typeof m === "string");
                for (const name of exact) {
                    expect(alarmNames, `${name} in ${region}`).to.include(name);
                }
                expect(matchers.filter((m) => typeof m !== "string")).to.deep.equal([
                    { wildcard: `failover-*-${region === REGIONS.primary ? "primary" : "secondary"}-prod-${alarmRule.inputs.name.split("-").pop()}` },
                ]);
            }
            // The health-check alarms (the failover signal) live in us-east-1, and so does the rule on them.
            const east = JSON.parse(rulesIn(REGIONS.primary).find((r) => r.name.includes("dr-alarms"))!.inputs.eventPattern);
            expect(east.detail.alarmName.filter((n: unknown) => typeof n === "string" && n.startsWith("health-check-"))).to.have.length(2);
            const west = JSON.parse(rulesIn(REGIONS.secondary).find((r) => r.name.includes("dr-alarms"))!.inputs.eventPattern);
            expect(west.detail.alarmName).to.include.members(
                ofType(s, "aws:cloudwatch/metricAlarm:MetricAlarm", REGIONS.secondary)
                    .map((a) => a.inputs.name)
                    .filter((n: string) => n.startsWith("s3-replication-failed")),
            );
        });

        for (const role of ROLES) {
            const region = REGIONS[role];
            it(`${role}: each rule sends a readable message to ${role}'s topic and the raw event to an encrypted log group`, () => {
                const rules = rulesIn(region);
                expect(rules.map((r) => r.name.replace(/^failover-events-[a-z]+-/, ""))).to.have.members(["dr-alarms", "documents-deleted"]);
                const logGroup = one(s, "aws:cloudwatch/logGroup:LogGroup", `failover-events-${role}-log`);
                expect(logGroup.inputs.kmsKeyId).to.equal(keyArnIn(s, role));
                for (const rule of rules) {
                    const targets = ofType(s, "aws:cloudwatch/eventTarget:EventTarget", region).filter((t) => t.inputs.rule === rule.inputs.name);
                    expect(targets.map((t) => t.inputs.arn)).to.have.members([topicArnIn(s, role), logGroup.state.arn]);
                    const topicTarget = targets.find((t) => t.inputs.arn === topicArnIn(s, role))!;
                    const { inputPaths, inputTemplate } = topicTarget.inputs.inputTransformer;
                    const text: string = JSON.parse(inputTemplate);
                    const placeholders = [...text.matchAll(/<([a-z]+)>/g)].map((m) => m[1]);
                    expect(new Set(placeholders)).to.deep.equal(new Set(Object.keys(inputPaths)));
                    expect(text).to.match(/^payments-dr prod: /);
                }
            });

            it(`${role}: the topic policy allows exactly the rules that target the topic (aws:SourceArn)`, () => {
                const policy = policyOf(one(s, "aws:sns/topicPolicy:TopicPolicy", `${role}-alerts-policy`));
                const fromEvents = policy.Statement.filter((st) => asArray(st.Principal?.Service).includes("events.amazonaws.com"));
                expect(fromEvents).to.have.length(1);
                const targeting = ofType(s, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.inputs.arn === topicArnIn(s, role));
                const ruleArns = targeting.map((t) => ofType(s, "aws:cloudwatch/eventRule:EventRule").find((r) => r.inputs.name === t.inputs.rule)!.state.arn);
                expect(fromEvents[0].Condition.ArnEquals["aws:SourceArn"]).to.have.members(ruleArns);
                expect(fromEvents[0].Action).to.equal("sns:Publish");
            });

            it(`${role}: the documents bucket sends its events to EventBridge; only this region's rules may write the log group`, () => {
                const notification = one(s, "aws:s3/bucketNotification:BucketNotification", `failover-events-${role}-documents-events`);
                expect(notification.inputs).to.include({ bucket: one(s, "aws:s3/bucket:Bucket", `${role}-documents`).state.bucket, eventbridge: true });
                const logPolicy = policyOf(
                    one(s, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy", `failover-events-${role}-log-policy`),
                    "policyDocument",
                );
                expect(logPolicy.Statement[0].Condition.ArnEquals["aws:SourceArn"]).to.have.members(rulesIn(region).map((r) => r.state.arn));
            });
        }
    });

    describe("SSM region parameters", () => {
        for (const role of ROLES) {
            const region = REGIONS[role];
            it(`${role}: the tree under /payments-dr/prod/ names this region's resources and the other region's`, () => {
                const params = ofType(s, "aws:ssm/parameter:Parameter", region);
                // SSM parameter values are secret outputs in the provider schema: the mocked runtime records them wrapped.
                const value = (key: string) => normalize(params.find((p) => p.inputs.name === `/payments-dr/prod/${key}`)?.inputs.value);
                const api = one(s, "aws:apigatewayv2/api:Api", `${role}-api`).state.apiEndpoint;
                const peerApi = one(s, "aws:apigatewayv2/api:Api", `${other(role)}-api`).state.apiEndpoint;
                expect(value("role")).to.equal(role);
                expect(value("region")).to.equal(region);
                expect(value("api-endpoint")).to.equal(api);
                expect(value("custom-domain")).to.equal(`${role}.api.payments-dr.acme-pay.net`);
                expect(value("table-name")).to.equal(ofType(s, "aws:dynamodb/table:Table")[0].inputs.name);
                expect(value("bucket-name")).to.equal(one(s, "aws:s3/bucket:Bucket", `${role}-documents`).state.bucket);
                expect(value("key-alias")).to.equal(`alias/transaction-encryption-${role}-prod`);
                expect(value("topic-arn")).to.equal(topicArnIn(s, role));
                expect(value("peer/role")).to.equal(other(role));
                expect(value("peer/region")).to.equal(REGIONS[other(role)]);
                expect(value("peer/api-endpoint")).to.equal(peerApi);
                expect(value("peer/key-alias")).to.equal(`alias/transaction-encryption-${other(role)}-prod`);
                for (const p of params) {
                    expect(p.inputs.name).to.match(/^\/payments-dr\/prod\//);
                }
            });

            it(`${role}: the on-call address is a SecureString on ${role}'s key; the rest is plain`, () => {
                const params = ofType(s, "aws:ssm/parameter:Parameter", region);
                const secure = params.filter((p) => p.inputs.type === "SecureString");
                expect(secure.map((p) => p.inputs.name)).to.deep.equal(["/payments-dr/prod/alarm-email"]);
                expect(secure[0].inputs.keyId).to.equal(keyArnIn(s, role));
            });
        }
    });

    describe("log archive", () => {
        for (const role of ROLES) {
            const region = REGIONS[role];
            const host = other(role);
            it(`${role}: every log group in ${region} has a subscription filter into ${role}'s stream`, () => {
                const stream = one(s, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", `log-archive-${role}-stream`);
                expect(stream.region).to.equal(region);
                const groups = ofType(s, "aws:cloudwatch/logGroup:LogGroup", region);
                expect(groups.length).to.be.greaterThanOrEqual(3);
                const filters = ofType(s, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", region);
                expect(filters.map((f) => f.inputs.logGroup).sort()).to.deep.equal(groups.map((g) => g.inputs.name).sort());
                const subscriptionRole = one(s, "aws:iam/role:Role", `log-archive-${role}-subscription-role`);
                for (const f of filters) {
                    expect(f.inputs).to.include({ destinationArn: stream.state.arn, roleArn: subscriptionRole.state.arn, filterPattern: "" });
                }
            });

            it(`${role}: the stream (on ${role}'s key) writes to the archive bucket in its own region ${region}, on ${role}'s key`, () => {
                const stream = one(s, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", `log-archive-${role}-stream`);
                const bucket = one(s, "aws:s3/bucket:Bucket", `log-archive-${role}-bucket`);
                expect(bucket.region).to.equal(region);
                expect(stream.inputs.serverSideEncryption).to.deep.equal({ enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: keyArnIn(s, role) });
                expect(stream.inputs.extendedS3Configuration).to.deep.include({ bucketArn: bucket.state.arn, kmsKeyArn: keyArnIn(s, role) });
                expect(stream.inputs.extendedS3Configuration.prefix).to.equal(`logs/${role}/!{timestamp:yyyy/MM/dd}/`);
                const sse = one(s, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `log-archive-${role}-encryption`);
                expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArnIn(s, role) });
                expect([bucket.inputs.forceDestroy, bucket.protect, bucket.retainOnDelete]).to.deep.equal([false, true, true]);
            });

            it(`${role}: S3 replicates ${role}'s own logs (and only them) to the archive bucket in ${REGIONS[host]}, on that region's key, without deletes`, () => {
                const source = one(s, "aws:s3/bucket:Bucket", `log-archive-${role}-bucket`);
                const destination = one(s, "aws:s3/bucket:Bucket", `log-archive-${host}-bucket`);
                const config = one(s, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", `log-archive-replication-${role}-to-${host}`);
                expect([config.region, config.inputs.bucket]).to.deep.equal([region, source.id]);
                expect(config.inputs.role).to.equal(one(s, "aws:iam/role:Role", "log-archive-replication-role").state.arn);
                expect(config.inputs.rules).to.deep.equal([
                    {
                        id: `archive-to-${host}`,
                        status: "Enabled",
                        priority: 1,
                        filter: { prefix: `logs/${role}/` },
                        deleteMarkerReplication: { status: "Disabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: destination.state.arn,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: keyArnIn(s, host) },
                            // The alarms' metrics, without RTC (S3 refuses an eventThreshold without RTC).
                            metrics: { status: "Enabled" },
                        },
                    },
                ]);
                // S3 refuses replication before both buckets are versioned, and into a destination without Object Lock.
                const urnOf = (type: string, name: string) => one(s, type, name).urn;
                expect(config.dependsOn).to.include.members([
                    urnOf("aws:s3/bucketVersioning:BucketVersioning", `log-archive-${role}-versioning`),
                    urnOf("aws:s3/bucketVersioning:BucketVersioning", `log-archive-${host}-versioning`),
                    urnOf("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", `log-archive-${host}-object-lock`),
                    urnOf("aws:iam/rolePolicy:RolePolicy", "log-archive-replication-policy"),
                ]);
            });

            it(`${role}: the ${role} → ${host} rule's failures and latency page ${role}'s topic, from ${region}, on the rule's metrics`, () => {
                const bucketName = (r: string) => one(s, "aws:s3/bucket:Bucket", `log-archive-${r}-bucket`).inputs.bucket;
                const config = one(s, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", `log-archive-replication-${role}-to-${host}`);
                const dimensions = { SourceBucket: bucketName(role), DestinationBucket: bucketName(host), RuleId: config.inputs.rules[0].id };
                expect(dimensions.SourceBucket).to.match(new RegExp(`^log-archive-${role}-prod-[a-z0-9]+$`));
                expect(dimensions.DestinationBucket).to.match(new RegExp(`^log-archive-${host}-prod-[a-z0-9]+$`));
                expect(dimensions.RuleId).to.equal(`archive-to-${host}`);
                const alarm = (what: string) => one(s, "aws:cloudwatch/metricAlarm:MetricAlarm", `log-archive-${role}-replication-${what}`);
                for (const what of ["failed", "latency"]) {
                    const a = alarm(what);
                    // In the source region, on its provider: S3 publishes a rule's metrics there, and actions must be same-region topics.
                    expect(a.region).to.equal(region);
                    expect(a.providerUrn).to.equal(config.providerUrn);
                    expect(a.inputs.name).to.match(new RegExp(`^log-archive-replication-${what}-${role}-prod-[a-z0-9]+$`));
                    expect(a.inputs).to.deep.include({ namespace: "AWS/S3", dimensions, period: 300 });
                    expect(a.inputs.alarmActions).to.deep.equal([topicArnIn(s, role)]);
                    expect(a.inputs.okActions).to.deep.equal([topicArnIn(s, role)]);
                    expect(regionOfArn(topicArnIn(s, role))).to.equal(region);
                }
                // Any failed operation in 5 minutes pages (a count ≥ 1 is > 0); no datapoint means no failure.
                expect(alarm("failed").inputs).to.deep.include({
                    metricName: "OperationsFailedReplication",
                    statistic: "Sum",
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    threshold: 1,
                    evaluationPeriods: 1,
                    datapointsToAlarm: 1,
                    treatMissingData: "notBreaching",
                });
                // Logs always flow, so 15 minutes without a latency datapoint means replication (or its metrics) stopped.
                expect(alarm("latency").inputs).to.deep.include({
                    metricName: "ReplicationLatency",
                    statistic: "Maximum",
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    threshold: 3600,
                    evaluationPeriods: 3,
                    datapointsToAlarm: 3,
                    treatMissingData: "breaching",
                });
            });

            it(`${role}: least-privilege roles: Logs may only put records into the stream, Firehose only write the bucket with its key`, () => {
                const stream = one(s, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", `log-archive-${role}-stream`);
                const logsTrust = policyOf(one(s, "aws:iam/role:Role", `log-archive-${role}-subscription-role`), "assumeRolePolicy").Statement[0];
                expect(logsTrust.Principal).to.deep.equal({ Service: "logs.amazonaws.com" });
                expect(logsTrust.Condition.StringLike["aws:SourceArn"]).to.equal(`arn:aws:logs:${region}:123456789012:*`);
                const logsPolicy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", `log-archive-${role}-subscription-policy`));
                expect(logsPolicy.Statement).to.deep.equal([
                    { Sid: "PutSubscriptionRecords", Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: stream.state.arn },
                ]);
                const bucketArn = one(s, "aws:s3/bucket:Bucket", `log-archive-${role}-bucket`).state.arn;
                const firehosePolicy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", `log-archive-${role}-firehose-policy`));
                expect(firehosePolicy.Statement.flatMap((st) => asArray(st.Resource))).to.have.members([bucketArn, `${bucketArn}/*`, keyArnIn(s, role)]);
                const kms = firehosePolicy.Statement.find((st) => st.Sid === "EncryptWithArchiveKey");
                expect(kms.Condition.StringEquals["kms:ViaService"]).to.equal(`s3.${region}.amazonaws.com`);
            });
        }

        it("the replication role reads source versions (with their Object Lock settings) and may replicate objects and tags, never deletes", () => {
            const trust = policyOf(one(s, "aws:iam/role:Role", "log-archive-replication-role"), "assumeRolePolicy").Statement[0];
            expect(trust.Principal).to.deep.equal({ Service: "s3.amazonaws.com" });
            const statements = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "log-archive-replication-policy")).Statement;
            const actions = statements.flatMap((st) => asArray(st.Action));
            expect(actions).to.include.members(["s3:GetObjectVersionForReplication", "s3:ReplicateObject", "s3:GetObjectRetention", "s3:GetObjectLegalHold"]);
            expect(actions).to.not.include("s3:ReplicateDelete");
            const arnOf = (role: string) => one(s, "aws:s3/bucket:Bucket", `log-archive-${role}-bucket`).state.arn;
            const lock = statements.find((st) => st.Sid === "SourceObjectLock");
            expect(lock.Resource).to.deep.equal([`${arnOf("primary")}/*`, `${arnOf("secondary")}/*`]);
            for (const role of ROLES) {
                const decrypt = statements.find((st) => st.Action === "kms:Decrypt" && st.Resource === keyArnIn(s, role));
                expect(decrypt.Condition.StringEquals["kms:ViaService"]).to.equal(`s3.${REGIONS[role]}.amazonaws.com`);
                const encrypt = statements.find((st) => asArray(st.Action).includes("kms:Encrypt") && st.Resource === keyArnIn(s, role));
                expect(encrypt.Condition.StringEquals["kms:ViaService"]).to.equal(`s3.${REGIONS[role]}.amazonaws.com`);
            }
        });

        it("has exactly the two replication alarms per direction, and every archive rule an alarm by RuleId", () => {
            const archiveAlarms = ofType(s, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("log-archive-"));
            expect(archiveAlarms.map((a) => a.name).sort()).to.deep.equal([
                "log-archive-primary-replication-failed",
                "log-archive-primary-replication-latency",
                "log-archive-secondary-replication-failed",
                "log-archive-secondary-replication-latency",
            ]);
            const watched = new Set(archiveAlarms.map((a) => a.inputs.dimensions.RuleId));
            const rules = ofType(s, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")
                .filter((c) => c.name.startsWith("log-archive-"))
                .flatMap((c) => c.inputs.rules);
            expect(rules.map((r) => r.id).sort()).to.deep.equal([...watched].sort());
        });

        it("moves logs to colder storage and expires them after the configured retention", () => {
            const lifecycle = one(s, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "log-archive-primary-lifecycle");
            expect(lifecycle.inputs.rules[0]).to.deep.include({
                transitions: [
                    { days: 30, storageClass: "GLACIER_IR" },
                    { days: 180, storageClass: "DEEP_ARCHIVE" },
                ],
                expiration: { days: 400 },
            });
        });
    });
});

describe("safety net (dev stack, mocked runtime)", () => {
    let s: Synthesis;
    before(async () => {
        s = await stack("dev");
    });

    it("creates none of the optional parts (no vault, plan, stream, subscription or archive bucket)", () => {
        for (const type of OPTIONAL_TYPES) {
            expect(ofType(s, type), type).to.deep.equal([]);
        }
        expect(s.resources.filter((r) => r.name.startsWith("log-archive") || r.name.startsWith("backup"))).to.deep.equal([]);
        expect(ofType(s, "aws:s3/bucket:Bucket")).to.have.length(2);
    });

    it("still has the free parts: failover rules in both regions and the parameter tree, with no SecureString (no e-mail set)", () => {
        expect(
            ofType(s, "aws:cloudwatch/eventRule:EventRule")
                .map((r) => r.region)
                .sort(),
        ).to.deep.equal(["us-east-1", "us-east-1", "us-west-2", "us-west-2"]);
        const params = ofType(s, "aws:ssm/parameter:Parameter");
        expect(params.every((p) => p.inputs.name.startsWith("/payments-dr/dev/") && p.inputs.type === "String")).to.equal(true);
        expect(
            params.some((p) => p.inputs.name === "/payments-dr/dev/custom-domain"),
            "dns-only has no regional custom domain",
        ).to.equal(false);
    });
});

describe("safety net switched on in dev (mocked runtime)", () => {
    let s: Synthesis;
    before(async () => {
        s = await stackWith("dev", { backup: "true", backupDocuments: "false", logArchive: "true", logArchiveRetentionDays: "60" });
    });

    it("selects only the table when backupDocuments is false", () => {
        for (const selection of ofType(s, "aws:backup/selection:Selection")) {
            expect(selection.inputs.resources).to.have.length(1);
            expect(selection.inputs.resources[0]).to.match(/^arn:aws:dynamodb:/);
        }
    });

    it("creates vaults that dev can destroy, without a vault lock", () => {
        const vaults = ofType(s, "aws:backup/vault:Vault");
        expect(vaults.map((v) => [v.region, v.inputs.forceDestroy, v.protect])).to.have.deep.members([
            ["us-east-1", true, false],
            ["us-west-2", true, false],
        ]);
        expect(ofType(s, "aws:backup/vaultLockConfiguration:VaultLockConfiguration")).to.deep.equal([]);
    });

    it("drops the transitions a short retention would never reach", () => {
        const lifecycle = one(s, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "log-archive-secondary-lifecycle");
        expect(lifecycle.inputs.rules[0]).to.deep.include({ transitions: [{ days: 30, storageClass: "GLACIER_IR" }], expiration: { days: 60 } });
    });
});

describe("log groups reach the archive as each component's `logGroups`, not by interception", () => {
    it("every option on: every log group in each region (ledger, Region switch plan and game days included) has one subscription filter there", async () => {
        const s = await everyOptionStack();
        for (const region of Object.values(REGIONS)) {
            const groups = ofType(s, "aws:cloudwatch/logGroup:LogGroup", region);
            expect(groups.length, region).to.be.greaterThanOrEqual(10);
            const filters = ofType(s, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", region);
            expect(filters.map((f) => f.inputs.logGroup).sort(), region).to.deep.equal(groups.map((g) => g.inputs.name).sort());
            // Keyed by the log group's logical name (stable), never by position.
            expect(filters.map((f) => f.name).sort(), region).to.deep.equal(groups.map((g) => `log-archive-${g.name}`).sort());
        }
    });

    it("no product code installs `transformations` (Pulumi is replacing them, and they miss packaged components' children)", () => {
        const root = path.join(__dirname, "..");
        const sources = ["index.ts", ...fs.readdirSync(path.join(root, "components"), { recursive: true, encoding: "utf8" }).map((f) => `components/${f}`)]
            .filter((f) => f.endsWith(".ts"))
            .map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")] as const);
        expect(sources.length).to.be.greaterThan(50);
        expect(sources.filter(([, text]) => /\btransformations\s*:/.test(text)).map(([f]) => f)).to.deep.equal([]);
    });
});
