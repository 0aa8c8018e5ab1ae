import { expect } from "chai";
import { parseStackSettings } from "../program/config";
import { FIS_EXEC_WRAPPER } from "../components/resilience/fault-injection-iam";
import {
    GAME_DAY_DURATION_MINUTES,
    gameDayPolicy,
    LAMBDA_INVOCATION_DELAY,
    LAMBDA_INVOCATION_ERROR,
    PAUSE_BUCKET_REPLICATION,
    PAUSE_TABLE_REPLICATION,
} from "../components/resilience/game-day-iam";
import { STILL_FAILING_PAYMENTS_PER_MINUTE } from "../components/resilience/game-day-stop-alarm";
import { failoverDrainMinutes, RecoveryObjectives } from "../program/objectives";
import { MOCK_FIS_LAYER_ACCOUNT } from "../scripts/synth/mock-state";
import { ALL_RULES, evaluate } from "../policy/rules";
import { mandatory } from "../policy/rules/evaluate";
import { fromSynthesis } from "../policy/rules/view";
import { fixedMonthlyCosts, gameDayCosts, totalMonthly } from "../scripts/cost/estimate";
import { Synthesis } from "../scripts/synth/synthesize";
import { problemsOf, VALID_CONFIG } from "./support/config-problems";
import { listViolations, rolePolicyProblems } from "./policy/support";
import { asArray, one, ofType, policyOf, stack, stackWith, lambdaEnv } from "./support/stacks";

const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const REPLICA = "arn:aws:dynamodb:us-west-2:123456789012:table/transactions-table-prod-abc123";
const BUCKET = "arn:aws:s3:::documents-primary-prod-abc123";
const PROCESSOR = {
    functionArn: "arn:aws:lambda:us-east-1:123456789012:function:transaction-processor-primary-prod-abc123",
    faultConfigBucketArn: "arn:aws:s3:::fis-config-primary-prod-abc123",
    keyArn: "arn:aws:kms:us-east-1:123456789012:key/k1",
    region: "us-east-1",
};

const paramsOf = (action: { parameters: { key: string; value: string }[] }) => Object.fromEntries(action.parameters.map((p) => [p.key, p.value]));

describe("game days (config gameDays): AWS FIS experiment templates", () => {
    describe("config", () => {
        it("is off unless set, and refuses a non-boolean value naming key, value and rule", () => {
            expect(parseStackSettings(VALID_CONFIG).gameDays).to.equal(false);
            expect(parseStackSettings({ ...VALID_CONFIG, gameDays: "true" }).gameDays).to.equal(true);
            expect(problemsOf({ gameDays: "yes" })).to.deep.equal(['`payments-dr:gameDays` is "yes": must be true or false.']);
        });

        it("is off in both committed stacks: no template, no role, no output", async () => {
            for (const name of ["dev", "prod"] as const) {
                const s = await stack(name);
                expect(ofType(s, TEMPLATE), name).to.deep.equal([]);
                expect(
                    s.resources.filter((r) => r.name.startsWith("game-days")),
                    name,
                ).to.deep.equal([]);
                expect(s.outputs.gameDayExperiments, name).to.equal(undefined);
            }
        });
    });

    describe("the Lambda faults' stop condition (pure)", () => {
        it("waits out the whole payment-failure path before calling it failed: the payment signal, Route 53 aggregation, the TTL, and 3 minutes", async () => {
            const prod = (await stack("prod")).outputs.recoveryObjectives as RecoveryObjectives;
            // (240 s payment signal + 30 s aggregation + 15 s CNAME TTL = 285 s) → 5 minutes, + 3 of margin.
            expect(prod.paymentPath.rtoSeconds).to.equal(285);
            expect(failoverDrainMinutes(prod)).to.equal(8);
            // An alias target's 60 s TTL: 330 s → 6 minutes.
            expect(failoverDrainMinutes({ ...prod, paymentPath: { ...prod.paymentPath, rtoSeconds: 330 } })).to.equal(9);
            expect(failoverDrainMinutes(prod) * 60).to.be.greaterThan(prod.rtoSeconds);
        });
    });

    describe("the experiment role's policy (pure)", () => {
        const eventual = gameDayPolicy({
            replicaArn: REPLICA,
            strongConsistency: false,
            sourceBucketArn: BUCKET,
            destinationRegion: "us-west-2",
            processor: PROCESSOR,
        });
        const strong = gameDayPolicy({
            replicaArn: REPLICA,
            strongConsistency: true,
            sourceBucketArn: BUCKET,
            destinationRegion: "us-west-2",
            processor: PROCESSOR,
        });
        const bySid = (doc: typeof eventual) => Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));

        it("allows the table pause only on the standby replica and its stream policies", () => {
            const s = bySid(eventual);
            expect(s.ReadStandbyReplica).to.deep.include({ Action: "dynamodb:DescribeTable", Resource: REPLICA });
            expect(s.PauseStandbyReplication.Resource).to.deep.equal([REPLICA, `${REPLICA}/stream/*`]);
            expect(s.PauseStandbyReplication.Action).to.deep.equal([
                "dynamodb:GetResourcePolicy",
                "dynamodb:PutResourcePolicy",
                "dynamodb:DeleteResourcePolicy",
            ]);
        });

        it("adds dynamodb:InjectError only for a strongly consistent table, limited to this action and replica", () => {
            expect(bySid(eventual).PauseStrongReplica).to.equal(undefined);
            expect(bySid(strong).PauseStrongReplica).to.deep.include({
                Action: "dynamodb:InjectError",
                Condition: {
                    StringEquals: { "dynamodb:FisActionId": "aws:dynamodb:global-table-pause-replication" },
                    "ForAllValues:ArnEquals": { "dynamodb:FisTargetArns": [REPLICA] },
                },
            });
        });

        it("allows the S3 pause on the primary bucket only, toward the standby region only, and replication config only in a pause", () => {
            const s = bySid(eventual);
            expect(s.PauseDocumentsReplication).to.deep.include({
                Action: "s3:PauseReplication",
                Resource: BUCKET,
                Condition: { StringEquals: { "s3:DestinationRegion": "us-west-2" } },
            });
            expect(s.ReadWriteReplicationForPause).to.deep.include({
                Resource: BUCKET,
                Condition: { BoolIfExists: { "s3:IsReplicationPauseRequest": "true" } },
            });
        });

        it("allows the Lambda faults on the primary processor only: its configuration, and fault configurations under FisConfigs/ on the region's key", () => {
            const s = bySid(eventual);
            expect(s.ReadTargetProcessor).to.deep.include({ Action: "lambda:GetFunction", Resource: [PROCESSOR.functionArn, `${PROCESSOR.functionArn}:*`] });
            expect(s.WriteFaultConfigurations).to.deep.include({
                Action: ["s3:PutObject", "s3:DeleteObject"],
                Resource: `${PROCESSOR.faultConfigBucketArn}/FisConfigs/*`,
            });
            expect(s.EncryptFaultConfigurations).to.deep.include({
                Action: "kms:GenerateDataKey",
                Resource: PROCESSOR.keyArn,
                Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            });
        });

        it('uses "*" only for actions without resource-level permissions, and passes the pack\'s IAM rules', async () => {
            for (const doc of [eventual, strong]) {
                const wildcard = doc.Statement.filter((s) => asArray(s.Resource).includes("*")).flatMap((s) => asArray(s.Action));
                expect(wildcard.sort()).to.deep.equal(
                    [
                        "tag:GetResources",
                        "s3:ListAllMyBuckets",
                        "logs:CreateLogDelivery",
                        "logs:PutResourcePolicy",
                        "logs:DescribeResourcePolicies",
                        "logs:DescribeLogGroups",
                        ...(doc === strong ? ["dynamodb:InjectError"] : []),
                    ].sort(),
                );
                expect(Object.values(await rolePolicyProblems(doc)).flat()).to.deep.equal([]);
            }
        });
    });

    for (const [stackName, strong] of [
        ["dev", false],
        ["prod", true],
    ] as const) {
        describe(`when enabled (${stackName}, ${strong ? "strongly" : "eventually"} consistent table)`, () => {
            let s: Synthesis;
            before(async () => {
                s = await stackWith(stackName, { gameDays: "true" });
            });

            const alarmArn = (prefix: string, region: string) => {
                const found = ofType(s, ALARM, region).filter((a) => a.inputs.name.startsWith(prefix));
                expect(found, prefix).to.have.length(1);
                return found[0].state.arn;
            };

            it("pauses the table replication in the standby region, on the standby replica, for 15 minutes, stopping on the standby's payment alarms", () => {
                const t = one(s, TEMPLATE, "game-days-pause-table-replication");
                expect(t.region).to.equal("us-west-2");
                const [target] = t.inputs.targets;
                const replicaArn = `arn:aws:dynamodb:us-west-2:123456789012:table/${s.outputs.transactionsTableName}`;
                expect(target).to.deep.include({ resourceType: "aws:dynamodb:global-table", resourceArns: [replicaArn], selectionMode: "ALL" });
                const [action] = t.inputs.actions;
                expect(action.actionId).to.equal(PAUSE_TABLE_REPLICATION);
                expect(action.target).to.deep.equal({ key: "Tables", value: target.name });
                expect(paramsOf(action)).to.deep.equal({ duration: `PT${GAME_DAY_DURATION_MINUTES.table}M` });
                expect(t.inputs.stopConditions).to.deep.equal([
                    { source: "aws:cloudwatch:alarm", value: alarmArn("standby-taking-payments-secondary-", "us-west-2") },
                    { source: "aws:cloudwatch:alarm", value: alarmArn("payment-failures-secondary-", "us-west-2") },
                ]);
            });

            it("pauses the documents replication toward the standby from the primary bucket (selected by its Name tag), stopping on the primary's payment failures", () => {
                const t = one(s, TEMPLATE, "game-days-pause-documents-replication");
                expect(t.region).to.equal("us-east-1");
                const bucket = one(s, "aws:s3/bucket:Bucket", "primary-documents");
                expect(bucket.inputs.tags).to.deep.equal({ Name: bucket.inputs.bucket });
                const [target] = t.inputs.targets;
                expect(target).to.deep.include({
                    resourceType: "aws:s3:bucket",
                    resourceTags: [{ key: "Name", value: bucket.inputs.bucket }],
                    selectionMode: "ALL",
                });
                const [action] = t.inputs.actions;
                expect(action.actionId).to.equal(PAUSE_BUCKET_REPLICATION);
                expect(action.target).to.deep.equal({ key: "Buckets", value: target.name });
                expect(paramsOf(action)).to.deep.equal({
                    duration: `PT${GAME_DAY_DURATION_MINUTES.bucket}M`,
                    region: "us-west-2",
                    destinationBuckets: one(s, "aws:s3/bucket:Bucket", "secondary-documents").inputs.bucket,
                });
                expect(t.inputs.stopConditions).to.deep.equal([{ source: "aws:cloudwatch:alarm", value: alarmArn("payment-failures-primary-", "us-east-1") }]);
            });

            it("logs each experiment to a log group of its region on that region's key, fails on an empty target, and tags the template", () => {
                for (const [id, role, region] of [
                    ["pause-table-replication", "secondary", "us-west-2"],
                    ["pause-documents-replication", "primary", "us-east-1"],
                    ["fail-primary-payments", "primary", "us-east-1"],
                    ["slow-primary-payments", "primary", "us-east-1"],
                ]) {
                    const t = one(s, TEMPLATE, `game-days-${id}`);
                    const logs = one(s, "aws:cloudwatch/logGroup:LogGroup", `game-days-${role}-logs`);
                    expect(logs.region).to.equal(region);
                    expect(logs.inputs.kmsKeyId).to.equal(one(s, "aws:kms/key:Key", `${role}-key`).state.arn);
                    expect(t.inputs.logConfiguration).to.deep.equal({
                        logSchemaVersion: 2,
                        cloudwatchLogsConfiguration: { logGroupArn: `${logs.state.arn}:*` },
                    });
                    expect(t.inputs.experimentOptions).to.deep.equal({ accountTargeting: "single-account", emptyTargetResolutionMode: "fail" });
                    expect(t.inputs.tags.Name).to.match(new RegExp(`^game-day-${id}-${stackName}-`));
                    expect(t.inputs.roleArn).to.equal(one(s, "aws:iam/role:Role", "game-days-role").state.arn);
                    expect((s.outputs.gameDayExperiments as Record<string, unknown>)[id]).to.deep.equal({ templateId: t.id, region });
                }
            });

            it("runs under one role that only FIS may assume, limited to this stack's replica, bucket, primary processor and its fault configurations", () => {
                const role = one(s, "aws:iam/role:Role", "game-days-role");
                const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement;
                expect(trust).to.have.length(1);
                expect(trust[0].Principal).to.deep.equal({ Service: "fis.amazonaws.com" });
                expect(trust[0].Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": "123456789012" } });
                const policy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "game-days-policy"));
                const replicaArn = `arn:aws:dynamodb:us-west-2:123456789012:table/${s.outputs.transactionsTableName}`;
                const bucketArn = one(s, "aws:s3/bucket:Bucket", "primary-documents").state.arn;
                const named = policy.Statement.flatMap((st) => asArray(st.Resource)).filter((r) => r !== "*");
                const functionArn = one(s, "aws:lambda/function:Function", "primary-processor").state.arn;
                const faultConfigArn = one(s, "aws:s3/bucket:Bucket", "primary-fis-config").state.arn;
                const keyArn = one(s, "aws:kms/key:Key", "primary-key").state.arn;
                expect([...new Set(named)].sort()).to.deep.equal(
                    [bucketArn, replicaArn, `${replicaArn}/stream/*`, functionArn, `${functionArn}:*`, `${faultConfigArn}/FisConfigs/*`, keyArn].sort(),
                );
                expect(policy.Statement.some((st) => st.Sid === "PauseStrongReplica")).to.equal(strong);
            });

            it("costs $7.00 per game day running all four (70 action-minutes at $0.10), and nothing per month (cost estimator)", () => {
                expect(totalMonthly(gameDayCosts(s.resources))).to.equal(7);
                expect(fixedMonthlyCosts(s.resources).some((l) => /FIS/.test(l.item))).to.equal(false);
            });

            it("fails, then slows, every payment in the primary through the FIS Lambda extension, stopping when payments keep failing past the failover time", () => {
                const functionArn = one(s, "aws:lambda/function:Function", "primary-processor").state.arn;
                const stop = one(s, ALARM, "game-days-payments-still-failing");
                expect(stop.region).to.equal("us-east-1");
                const drain = failoverDrainMinutes(s.outputs.recoveryObjectives as RecoveryObjectives);
                // API Gateway's 5xx of the primary's stage: published for every request, also while FIS keeps the
                // handler from running (preventExecution), unlike the handler's own PaymentFailed.
                expect(stop.inputs).to.deep.include({
                    namespace: "AWS/ApiGateway",
                    metricName: "5xx",
                    dimensions: { ApiId: one(s, "aws:apigatewayv2/api:Api", "primary-api").id, Stage: "$default" },
                    statistic: "Sum",
                    threshold: STILL_FAILING_PAYMENTS_PER_MINUTE,
                    evaluationPeriods: drain,
                    datapointsToAlarm: drain,
                    treatMissingData: "notBreaching",
                });
                for (const [id, actionId, params] of [
                    ["fail-primary-payments", LAMBDA_INVOCATION_ERROR, { duration: "PT15M", invocationPercentage: "100", preventExecution: "true" }],
                    ["slow-primary-payments", LAMBDA_INVOCATION_DELAY, { duration: "PT10M", invocationPercentage: "100", startupDelayMilliseconds: "1500" }],
                ] as const) {
                    const t = one(s, TEMPLATE, `game-days-${id}`);
                    expect(t.region, id).to.equal("us-east-1");
                    const [target] = t.inputs.targets;
                    expect(target).to.deep.include({ resourceType: "aws:lambda:function", resourceArns: [functionArn], selectionMode: "ALL" });
                    const [action] = t.inputs.actions;
                    expect(action.actionId).to.equal(actionId);
                    expect(action.target).to.deep.equal({ key: "Functions", value: target.name });
                    expect(paramsOf(action)).to.deep.equal(params);
                    expect(t.inputs.stopConditions).to.deep.equal([{ source: "aws:cloudwatch:alarm", value: stop.state.arn }]);
                }
            });

            it("carries the FIS extension on both processors (parity): layer from AWS's public parameter, wrapper, config location, read-only access", () => {
                for (const [role, region] of [
                    ["primary", "us-east-1"],
                    ["secondary", "us-west-2"],
                ] as const) {
                    const fn = one(s, "aws:lambda/function:Function", `${role}-processor`);
                    const config = one(s, "aws:s3/bucket:Bucket", `${role}-fis-config`);
                    expect(config.region).to.equal(region);
                    expect(fn.inputs.layers).to.deep.equal([`arn:aws:lambda:${region}:${MOCK_FIS_LAYER_ACCOUNT}:layer:aws-fis-extension-arm64:9`]);
                    expect(lambdaEnv(fn)).to.deep.include({
                        AWS_LAMBDA_EXEC_WRAPPER: FIS_EXEC_WRAPPER,
                        AWS_FIS_CONFIGURATION_LOCATION: `${config.state.arn}/FisConfigs/`,
                    });
                    const policy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", `${role}-processor-policy`));
                    const bySid = Object.fromEntries(policy.Statement.map((st) => [st.Sid, st]));
                    expect(bySid.ListFaultConfigurations).to.deep.include({
                        Action: "s3:ListBucket",
                        Resource: config.state.arn,
                        Condition: { StringLike: { "s3:prefix": ["FisConfigs/*"] } },
                    });
                    expect(bySid.ReadFaultConfigurations).to.deep.include({ Action: "s3:GetObject", Resource: `${config.state.arn}/FisConfigs/*` });
                    // The bucket: on the region's key, private, TLS only, emptied after a day.
                    const encryption = one(
                        s,
                        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                        `${role}-fis-config-encryption`,
                    );
                    expect(encryption.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).to.equal(
                        one(s, "aws:kms/key:Key", `${role}-key`).state.arn,
                    );
                    const lifecycle = one(s, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${role}-fis-config-lifecycle`);
                    expect(lifecycle.inputs.rules[0].expiration).to.deep.equal({ days: 1 });
                    expect(
                        one(s, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${role}-fis-config-public-access`).inputs.restrictPublicBuckets,
                    ).to.equal(true);
                }
            });

            it("archives the experiment logs in prod and passes every mandatory policy of the pack", async () => {
                const found = mandatory(await evaluate(fromSynthesis(s.resources), ALL_RULES));
                expect(found, listViolations(found)).to.deep.equal([]);
            });
        });
    }
});
