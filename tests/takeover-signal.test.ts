import { expect } from "chai";
import { DRILL_STATUS_ACTIONS } from "../components/takeover/drill-actions";
import { LEDGER_CHECK_ACTIONS, OPERATOR_SCRIPT_ACTIONS } from "../components/takeover/dr-script-actions";
import { FENCE_CACHE_SECONDS } from "../program/takeover-objectives";
import { FENCE_CACHE_MS } from "../functions/transaction-processor/fence";
import { parseDrOutputs } from "../scripts/dr/outputs";
import { RecordedResource, Synthesis } from "../scripts/synth/synthesize";
import { asArray, one, ofType, policyOf, stack, lambdaEnv } from "./support/stacks";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";

for (const stackName of ["dev", "prod"] as const) {
    describe(`Takeover signal, fencing and the operator role (${stackName} stack, mocked runtime)`, () => {
        let s: Synthesis;
        let alarm: RecordedResource;
        let takeoverCheck: RecordedResource;
        let primaryFailover: RecordedResource;
        before(async () => {
            s = await stack(stackName);
            alarm = one(s, ALARM, "global-takeover-signal-alarm");
            takeoverCheck = one(s, HEALTH_CHECK, "global-takeover-signal-health");
            primaryFailover = one(s, HEALTH_CHECK, "global-primary-failover-health");
        });

        it("keeps the signal in the standby region: an alarm on the takeover metric there, latched by the last value", () => {
            expect(alarm.region).to.equal("us-west-2");
            expect(alarm.inputs).to.deep.include({
                namespace: "PaymentsDR/Failover",
                metricName: "TakeoverRequested",
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "ignore",
            });
            const suffix = (one(s, "aws:dynamodb/table:Table", "global-transactions-table").inputs.name as string).split("-").pop();
            expect(alarm.inputs.dimensions).to.deep.equal({ Stack: `${stackName}-${suffix}` });
            expect(alarm.inputs.name).to.match(new RegExp(`^takeover-signal-${stackName}-[a-z0-9]{6}$`));
            const standbyTopic = one(s, "aws:sns/topic:Topic", "secondary-alerts").state.arn;
            expect(alarm.inputs.alarmActions).to.deep.equal([standbyTopic]);
        });

        it("feeds a CloudWatch-alarm health check that missing data never fails over (LastKnownStatus, healthy when new)", () => {
            expect(takeoverCheck.region).to.equal("us-east-1");
            expect(takeoverCheck.inputs).to.deep.include({
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: alarm.inputs.name,
                cloudwatchAlarmRegion: "us-west-2",
                insufficientDataHealthStatus: "LastKnownStatus",
            });
        });

        it("is a child of the primary's failover health check, which the PRIMARY record uses (all children must be healthy)", () => {
            const children = asArray(primaryFailover.inputs.childHealthchecks);
            expect(primaryFailover.inputs.type).to.equal("CALCULATED");
            expect(children).to.include(takeoverCheck.id);
            expect(children).to.include(one(s, HEALTH_CHECK, "global-primary-health").id);
            expect(primaryFailover.inputs.childHealthThreshold).to.equal(children.length);
            const records = ofType(s, RECORD).filter((r) => r.inputs.failoverRoutingPolicies !== undefined);
            for (const record of records) {
                const type = record.inputs.failoverRoutingPolicies[0].type;
                if (type === "PRIMARY") {
                    expect(record.inputs.healthCheckId, record.name).to.equal(primaryFailover.id);
                } else {
                    expect(record.inputs.healthCheckId, record.name).to.not.equal(primaryFailover.id);
                    expect(record.inputs.healthCheckId, record.name).to.not.equal(takeoverCheck.id);
                }
            }
            expect(records.length).to.be.at.least(2);
        });

        it("fences the primary's processor and receipt finisher by the takeover authority (not the alarm); never the standby's", () => {
            const table = one(s, "aws:dynamodb/table:Table", "takeover-authority-table");
            expect(table.region).to.equal("us-west-2");
            for (const fn of ["processor", "finisher"]) {
                const primary = one(s, "aws:lambda/function:Function", `primary-${fn}`);
                const secondary = one(s, "aws:lambda/function:Function", `secondary-${fn}`);
                expect(lambdaEnv(primary), fn).to.include({ FENCE_TABLE_NAME: table.inputs.name, FENCE_TABLE_REGION: "us-west-2" });
                expect(lambdaEnv(secondary), fn).to.not.have.any.keys("FENCE_TABLE_NAME", "FENCE_TABLE_REGION");
                // Read access to exactly that table, through the standby's key, on the primary's role only.
                const read = one(s, "aws:iam/rolePolicy:RolePolicy", `takeover-authority-read-${fn}`);
                expect(read.inputs.role).to.equal(one(s, "aws:iam/role:Role", `primary-${fn}-role`).inputs.name);
                expect(policyOf(read).Statement).to.deep.equal([
                    { Sid: "ReadTakeoverAuthority", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: table.state.arn },
                    {
                        Sid: "UseStandbyKeyForTheAuthority",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: one(s, "aws:kms/key:Key", "secondary-key").state.arn,
                        Condition: { StringEquals: { "kms:ViaService": "dynamodb.us-west-2.amazonaws.com" } },
                    },
                ]);
            }
            for (const role of ["primary", "secondary"]) {
                const processor = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", `${role}-processor-policy`));
                expect(processor.Statement.flatMap((st) => asArray(st.Action))).to.not.include("cloudwatch:DescribeAlarms");
            }
            // On the standby's key, with PITR, and protected in prod.
            expect(table.inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: one(s, "aws:kms/key:Key", "secondary-key").state.arn });
            expect(table.inputs.pointInTimeRecovery).to.deep.equal({ enabled: true });
            expect(table.inputs.deletionProtectionEnabled).to.equal(stackName === "prod");
        });

        it("gives the operator role exactly the actions drill:status, failover, failback and reconcile call, on this stack's resources", () => {
            const policy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "global-operator-policy"));
            // The takeover authority's component adds the operator's GetItem/PutItem on that table (and kms:Decrypt).
            const authority = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "takeover-authority-write-operator"));
            expect(one(s, "aws:iam/rolePolicy:RolePolicy", "takeover-authority-write-operator").inputs.role).to.equal(
                one(s, "aws:iam/role:Role", "global-operator-role").inputs.name,
            );
            const actions = [...new Set([...policy.Statement, ...authority.Statement].flatMap((st) => asArray(st.Action)))]
                .filter((a) => a !== "kms:Decrypt")
                .sort();
            expect(actions).to.deep.equal([...new Set([...DRILL_STATUS_ACTIONS, ...OPERATOR_SCRIPT_ACTIONS])].sort());
            expect(OPERATOR_SCRIPT_ACTIONS).to.include.members([...LEDGER_CHECK_ACTIONS]);
            const bySid = Object.fromEntries(policy.Statement.map((st) => [st.Sid, st]));
            const table = one(s, "aws:dynamodb/table:Table", "global-transactions-table").inputs.name;
            const bucket = (role: string) => one(s, "aws:s3/bucket:Bucket", `${role}-documents`).state.arn;
            expect(bySid.SetTakeoverSignal).to.deep.equal({
                Sid: "SetTakeoverSignal",
                Effect: "Allow",
                Action: ["cloudwatch:PutMetricData"],
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": "PaymentsDR/Failover" } },
            });
            expect(bySid.ReadAlarms.Resource).to.include(alarm.state.arn);
            expect(bySid.QueryTransactionsByDay.Resource).to.deep.equal([
                `arn:aws:dynamodb:us-east-1:123456789012:table/${table}/index/createdAt-by-day`,
                `arn:aws:dynamodb:us-west-2:123456789012:table/${table}/index/createdAt-by-day`,
            ]);
            expect(bySid.ReadTransactionsForLedgerCheck).to.deep.include({
                Action: ["dynamodb:GetItem"],
                Resource: [`arn:aws:dynamodb:us-east-1:123456789012:table/${table}`, `arn:aws:dynamodb:us-west-2:123456789012:table/${table}`],
            });
            expect(bySid.CheckReceipts.Resource).to.deep.equal([`${bucket("primary")}/receipts/*`, `${bucket("secondary")}/receipts/*`]);
            expect(bySid.TellMissingReceipts.Resource).to.deep.equal([bucket("primary"), bucket("secondary")]);
            expect(bySid.ReadReverseReplication.Resource).to.equal(bucket("secondary"));
            for (const [sid, role, region] of [
                ["DecryptTableInUsEast1", "primary", "us-east-1"],
                ["DecryptTableInUsWest2", "secondary", "us-west-2"],
            ]) {
                expect(bySid[sid], sid).to.deep.equal({
                    Sid: sid,
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: one(s, "aws:kms/key:Key", `${role}-key`).state.arn,
                    Condition: { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } },
                });
                // The reconciliation reads receipt bodies: S3 decrypts them with the operator's permission.
                const receipts = bySid[sid.replace("Table", "Receipts")];
                expect(receipts.Resource, sid).to.equal(one(s, "aws:kms/key:Key", `${role}-key`).state.arn);
                expect(receipts.Condition, sid).to.deep.equal({ StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } });
            }
            // DescribeAlarms: only the takeover alarm, the one the scripts read (issue 20: no grant nothing calls).
            expect(bySid.ReadAlarms.Resource).to.deep.equal([alarm.state.arn]);
            expect(bySid.ReadHealthChecks.Resource).to.include(`arn:aws:route53:::healthcheck/${takeoverCheck.id}`);
            expect(actions).to.not.include("route53:UpdateHealthCheck");
        });

        it("indexes transactions by creation time in a GSI (sharded by day), on the table and so on its replica", () => {
            const table = one(s, "aws:dynamodb/table:Table", "global-transactions-table");
            expect(table.inputs.globalSecondaryIndexes).to.deep.equal([
                {
                    name: "createdAt-by-day",
                    hashKey: "createdDayShard",
                    rangeKey: "createdAt",
                    projectionType: "INCLUDE",
                    nonKeyAttributes: ["id", "region", "requestHash", "receiptKey"],
                },
            ]);
            expect(table.inputs.localSecondaryIndexes ?? []).to.deep.equal([]);
            expect(table.inputs.attributes).to.deep.include.members([
                { name: "createdDayShard", type: "S" },
                { name: "createdAt", type: "S" },
            ]);
        });

        it("exports outputs the DR scripts accept, and the expected takeover times", () => {
            const outputs = parseDrOutputs(s.outputs, "synthesized outputs");
            expect(outputs.takeoverSignal).to.deep.include({ region: "us-west-2", alarmName: alarm.inputs.name, alarmArn: alarm.state.arn, periodSeconds: 60 });
            expect(outputs.dayIndexName).to.equal("createdAt-by-day");
            expect(outputs.reverseReplication).to.equal(stackName === "prod");
            // The CNAMEs' own TTL: 60 s in dev (DNS-only), 15 s in prod (failoverRecordType cname).
            const ttl = stackName === "prod" ? 15 : 60;
            expect(outputs.takeoverObjectives).to.deep.include({ alarmSeconds: 120, fencedSeconds: 2, route53Seconds: 150, clientsSeconds: 150 + ttl });
            // A write that passed the fence check just before it took effect can land until the processor's timeout (10 s).
            expect(outputs.takeoverObjectives?.inFlightWritesSeconds).to.equal(12);
            expect(outputs.takeoverObjectives?.failOpenWindow).to.contain("partition");
            expect(outputs.takeoverAuthority).to.deep.equal({
                region: "us-west-2",
                tableName: one(s, "aws:dynamodb/table:Table", "takeover-authority-table").inputs.name,
                tableArn: one(s, "aws:dynamodb/table:Table", "takeover-authority-table").state.arn,
            });
            expect(s.outputs.failoverDrill).to.equal(undefined);
        });
    });
}

describe("takeover timing constants", () => {
    it("uses the fence's real cache in the expected times", () => {
        expect(FENCE_CACHE_SECONDS * 1000).to.equal(FENCE_CACHE_MS);
    });
});
