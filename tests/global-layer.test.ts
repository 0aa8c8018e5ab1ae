import { expect } from "chai";
import { ConfigValidationError } from "../program/config";
import { REPLICATION_RULE_IDS } from "../components/global/document-replication";
import { RecordedResource, Synthesis } from "../scripts/synth/synthesize";
import { asArray, isSecret, lambdaEnv, one, ofType, plain, policyOf, stack, stackWith } from "./support/stacks";

const TABLE = "aws:dynamodb/table:Table";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const regionOfArn = (arn: string) => arn.split(":")[3];
const keyOf = (s: Synthesis, role: string) => one(s, "aws:kms/key:Key", `${role}-key`).state.arn as string;
const bucketOf = (s: Synthesis, role: string) => one(s, "aws:s3/bucket:Bucket", `${role}-documents`);
const apiHostOf = (s: Synthesis, role: string) => (one(s, "aws:apigatewayv2/api:Api", `${role}-api`).state.apiEndpoint as string).replace("https://", "");
const failoverRecords = (s: Synthesis) => ofType(s, RECORD).filter((r) => r.inputs.failoverRoutingPolicies !== undefined);

for (const stackName of ["dev", "prod"] as const) {
    describe(`GlobalLayer (${stackName} stack, mocked runtime)`, () => {
        let s: Synthesis;
        let table: RecordedResource;
        before(async () => {
            s = await stack(stackName);
            table = one(s, TABLE, "global-transactions-table");
        });

        describe("DynamoDB global table", () => {
            it("is a current global table (table with replicas) created through the primary provider", () => {
                // Beside it, only the takeover authority's small table (components/takeover/authority-store.ts).
                expect(ofType(s, TABLE).map((t) => t.name)).to.have.members(["global-transactions-table", "takeover-authority-table"]);
                expect(ofType(s, "aws:dynamodb/globalTable:GlobalTable")).to.deep.equal([]);
                expect(table.region).to.equal("us-east-1");
                expect(table.inputs.name).to.match(new RegExp(`^transactions-table-${stackName}-[a-z0-9]{6}$`));
                expect(table.inputs).to.include({
                    billingMode: "PAY_PER_REQUEST",
                    hashKey: "pk",
                    rangeKey: "sk",
                    streamEnabled: true,
                    streamViewType: "NEW_AND_OLD_IMAGES",
                });
                // TTL only where the table is eventually consistent (dev): MRSC (prod) refuses it.
                expect(table.inputs.ttl).to.deep.equal(stackName === "prod" ? undefined : { attributeName: "expiresAt", enabled: true });
                expect(table.inputs.pointInTimeRecovery).to.deep.equal({ enabled: true });
            });

            it("encrypts the table with the primary key and each replica with its own region's key, PITR on every replica", () => {
                expect(table.inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: keyOf(s, "primary") });
                expect(table.inputs.replicas).to.have.length(1);
                const [replica] = table.inputs.replicas;
                expect(replica.regionName).to.equal("us-west-2");
                expect(replica.regionName).to.not.equal(table.region);
                expect(replica.kmsKeyArn).to.equal(keyOf(s, "secondary"));
                expect(regionOfArn(replica.kmsKeyArn)).to.equal(replica.regionName);
                expect(replica.pointInTimeRecovery).to.equal(true);
            });

            it("uses the table name the regional roles were scoped to", () => {
                for (const role of ["primary", "secondary"]) {
                    const fn = one(s, "aws:lambda/function:Function", `${role}-processor`);
                    expect(lambdaEnv(fn).TABLE_NAME).to.equal(table.inputs.name);
                }
            });

            it(stackName === "prod" ? "is protected and deletion-protected in prod" : "is destroyable in dev", () => {
                const prod = stackName === "prod";
                expect(table.inputs.deletionProtectionEnabled).to.equal(prod);
                expect(table.inputs.replicas[0].deletionProtectionEnabled).to.equal(prod);
                expect([table.protect, table.retainOnDelete]).to.deep.equal([prod, prod]);
            });

            it(stackName === "prod" ? "is pre-warmed for 10,000 TPS (two writes per transaction)" : "is not pre-warmed at 100 TPS", () => {
                if (stackName === "prod") {
                    expect(table.inputs.warmThroughput).to.deep.equal({ writeUnitsPerSecond: 20_000, readUnitsPerSecond: 12_000 });
                } else {
                    expect(table.inputs.warmThroughput).to.equal(undefined);
                }
            });
        });

        describe("S3 cross-region replication", () => {
            let rule: any;
            let config: RecordedResource;
            before(() => {
                config = one(s, REPLICATION, "global-replication-primary-to-secondary");
                rule = config.inputs.rules[0];
            });

            it("replicates the primary bucket to the secondary after both are versioned", () => {
                expect(config.inputs.bucket).to.equal(bucketOf(s, "primary").inputs.bucket);
                expect(config.region).to.equal("us-east-1");
                for (const role of ["primary", "secondary"]) {
                    expect(config.dependsOn).to.include(one(s, "aws:s3/bucketVersioning:BucketVersioning", `${role}-documents-versioning`).urn);
                }
            });

            it("uses the V2 rule schema with delete markers, replica sync and SSE-KMS re-encryption with the secondary key", () => {
                expect(rule).to.include({ id: REPLICATION_RULE_IDS.primary, status: "Enabled", priority: 1 });
                expect(rule.filter).to.deep.equal({ prefix: "" });
                expect(rule.deleteMarkerReplication).to.deep.equal({ status: "Enabled" });
                expect(rule.sourceSelectionCriteria).to.deep.equal({
                    sseKmsEncryptedObjects: { status: "Enabled" },
                    replicaModifications: { status: "Enabled" },
                });
                expect(rule.destination.bucket).to.equal(bucketOf(s, "secondary").state.arn);
                expect(rule.destination.encryptionConfiguration).to.deep.equal({ replicaKmsKeyId: keyOf(s, "secondary") });
            });

            it(
                stackName === "prod"
                    ? "enables RTC together with metrics, 15 minutes each"
                    : "keeps metrics but no RTC in dev, and no event threshold S3 would refuse",
                () => {
                    if (stackName === "prod") {
                        expect(rule.destination.metrics).to.deep.equal({ status: "Enabled", eventThreshold: { minutes: 15 } });
                        expect(rule.destination.replicationTime).to.deep.equal({ status: "Enabled", time: { minutes: 15 } });
                    } else {
                        expect(rule.destination.metrics).to.deep.equal({ status: "Enabled" });
                        expect(rule.destination.replicationTime).to.equal(undefined);
                    }
                },
            );

            it("has a role trusted only by S3 whose policy names exact ARNs and no wildcard resource", () => {
                const role = one(s, "aws:iam/role:Role", "global-replication-role");
                const trust = JSON.parse(role.inputs.assumeRolePolicy);
                expect(trust.Statement.map((st: any) => st.Principal)).to.deep.equal([{ Service: "s3.amazonaws.com" }]);
                const policy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "global-replication-policy"));
                const primaryBucket = bucketOf(s, "primary").state.arn;
                const secondaryBucket = bucketOf(s, "secondary").state.arn;
                const forward = policy.Statement.filter((st) => !String(st.Sid).endsWith("Reverse"));
                const resourcesOf = (action: string) => forward.filter((st) => asArray(st.Action).includes(action)).flatMap((st) => asArray(st.Resource));
                expect(resourcesOf("s3:GetReplicationConfiguration")).to.deep.equal([primaryBucket]);
                expect(resourcesOf("s3:ListBucket")).to.deep.equal([primaryBucket]);
                expect(resourcesOf("s3:GetObjectVersionForReplication")).to.deep.equal([`${primaryBucket}/*`]);
                expect(resourcesOf("s3:ReplicateObject")).to.deep.equal([`${secondaryBucket}/*`]);
                expect(resourcesOf("kms:Decrypt")).to.deep.equal([keyOf(s, "primary")]);
                expect(resourcesOf("kms:Encrypt")).to.deep.equal([keyOf(s, "secondary")]);
                const decrypt = forward.find((st) => st.Sid === "DecryptSource");
                expect(decrypt.Condition.StringEquals["kms:ViaService"]).to.equal("s3.us-east-1.amazonaws.com");
                for (const st of policy.Statement) {
                    expect(asArray(st.Resource)).to.not.include("*");
                }
            });

            it(stackName === "prod" ? "replicates back secondary → primary (reverseReplication)" : "has no reverse rule unless configured", () => {
                const reverse = ofType(s, REPLICATION).filter((r) => r.name === "global-replication-secondary-to-primary");
                if (stackName === "prod") {
                    expect(reverse).to.have.length(1);
                    expect(reverse[0].region).to.equal("us-west-2");
                    expect(reverse[0].inputs.bucket).to.equal(bucketOf(s, "secondary").inputs.bucket);
                    expect(reverse[0].inputs.rules[0].destination.encryptionConfiguration.replicaKmsKeyId).to.equal(keyOf(s, "primary"));
                } else {
                    expect(reverse).to.deep.equal([]);
                }
            });
        });

        describe("Route 53 failover", () => {
            it("checks each region's secret probe path /health/<token> over HTTPS with SNI, after the table exists", () => {
                const checks = ofType(s, HEALTH_CHECK).filter((c) => c.inputs.type === "HTTPS");
                expect(checks).to.have.length(2);
                for (const check of checks) {
                    // Kept secret in the state, and the exact path of the probe route in the check's region.
                    expect(isSecret(check.inputs.resourcePath)).to.equal(true);
                    const path = plain<string>(check.inputs.resourcePath);
                    expect(path).to.match(/^\/health\/[a-z0-9]{32}$/);
                    for (const region of ["us-east-1", "us-west-2"]) {
                        expect(ofType(s, "aws:apigatewayv2/route:Route", region).map((r) => plain(r.inputs.routeKey))).to.include(`GET ${path}`);
                    }
                    expect(check.inputs).to.include({
                        type: "HTTPS",
                        port: 443,
                        enableSni: true,
                        measureLatency: true,
                        invertHealthcheck: false,
                    });
                    expect(check.inputs.requestInterval).to.equal(stackName === "prod" ? 10 : 30);
                    expect(check.inputs.failureThreshold).to.equal(stackName === "prod" ? 2 : 3);
                    expect(check.dependsOn).to.include(table.urn);
                    if (stackName === "prod") {
                        const role = check.name.includes("primary") ? "primary" : "secondary";
                        // A dependency on a component is a dependency on each of its children.
                        const regionalAlias = one(s, RECORD, `global-${role}-domain-regional-a`);
                        expect(check.dependsOn).to.include(regionalAlias.urn);
                    }
                }
            });

            it("pairs a PRIMARY and a SECONDARY record of the same name and type, each with its region's health check", () => {
                const records = failoverRecords(s);
                const types = ["CNAME"];
                expect(records).to.have.length(2 * types.length);
                for (const type of types) {
                    const pair = records.filter((r) => r.inputs.type === type);
                    expect(pair.map((r) => r.inputs.failoverRoutingPolicies)).to.have.deep.members([[{ type: "PRIMARY" }], [{ type: "SECONDARY" }]]);
                    // prod: CNAMEs at the HTTPS name; the DNS-only CNAMEs live at a name of their own (DNS transitions).
                    const name = stackName === "prod" ? "api.payments-dr.acme-pay.net" : "api-dns-only.dev.payments-dr.acme-pay.net";
                    expect(new Set(pair.map((r) => r.inputs.name))).to.deep.equal(new Set([name]));
                    expect(s.outputs.failoverDnsName).to.equal(name);
                    expect(new Set(pair.map((r) => r.inputs.setIdentifier)).size).to.equal(2);
                    for (const record of pair) {
                        const role = record.inputs.failoverRoutingPolicies[0].type === "PRIMARY" ? "primary" : "secondary";
                        expect(record.inputs.healthCheckId).to.equal(one(s, HEALTH_CHECK, `global-${role}-failover-health`).id);
                        expect(record.inputs.zoneId).to.equal(one(s, "aws:route53/zone:Zone", "global-zone").id);
                        expect(record.inputs.ttl).to.equal(stackName === "prod" ? 15 : 60);
                    }
                }
            });

            it("fails a region over when its /health fails OR its payments fail: a CALCULATED check needing both children", () => {
                for (const [role, region] of [
                    ["primary", "us-east-1"],
                    ["secondary", "us-west-2"],
                ]) {
                    const calculated = one(s, HEALTH_CHECK, `global-${role}-failover-health`);
                    const https = one(s, HEALTH_CHECK, `global-${role}-health`);
                    const payments = one(s, HEALTH_CHECK, `global-${role}-payments-health`);
                    const signal = ["api-5xx", "lambda-errors", "lambda-throttles"].map((c) => one(s, HEALTH_CHECK, `global-${role}-payments-${c}-health`));
                    expect(calculated.inputs.type).to.equal("CALCULATED");
                    // The primary has a further child, the takeover signal (tests/takeover-signal.test.ts).
                    const takeover = role === "primary" ? [one(s, HEALTH_CHECK, "global-takeover-signal-health").id] : [];
                    expect(calculated.inputs.childHealthchecks).to.deep.equal([https.id, payments.id, ...signal.map((c) => c.id), ...takeover]);
                    expect(calculated.inputs.childHealthThreshold).to.equal(5 + takeover.length);
                    // The handler's child watches the region's own payment-failure alarm, in that region (the others:
                    // tests/payment-signal.test.ts).
                    const alarm = one(s, ALARM, `${role}-payment-failures`);
                    expect(alarm.region).to.equal(region);
                    expect(payments.inputs).to.include({
                        type: "CLOUDWATCH_METRIC",
                        cloudwatchAlarmName: alarm.inputs.name,
                        cloudwatchAlarmRegion: region,
                        insufficientDataHealthStatus: "LastKnownStatus",
                    });
                    expect(s.outputs.failoverHealthCheckIds).to.deep.include({ [role]: calculated.id });
                }
            });

            it("routes Route 53 health-check alarms to a topic in us-east-1", () => {
                const healthAlarms = ofType(s, ALARM).filter((a) => a.inputs.namespace === "AWS/Route53");
                expect(healthAlarms).to.have.length(2);
                for (const alarm of healthAlarms) {
                    expect(alarm.region).to.equal("us-east-1");
                    expect(alarm.inputs).to.include({ metricName: "HealthCheckStatus", comparisonOperator: "LessThanThreshold", threshold: 1 });
                    expect(Object.keys(alarm.inputs.dimensions)).to.deep.equal(["HealthCheckId"]);
                    // The status DNS acts on: the calculated check's.
                    const role = alarm.name.includes("primary") ? "primary" : "secondary";
                    expect(alarm.inputs.dimensions.HealthCheckId).to.equal(one(s, HEALTH_CHECK, `global-${role}-failover-health`).id);
                    expect(regionOfArn(alarm.inputs.alarmActions[0])).to.equal("us-east-1");
                }
            });
        });

        describe("receipts completed without a client retry", () => {
            it("attaches each region's finisher to its own replica's stream, filtered to PENDING items written there, failures to its DLQ", () => {
                for (const [role, region] of [
                    ["primary", "us-east-1"],
                    ["secondary", "us-west-2"],
                ]) {
                    const mapping = one(s, "aws:lambda/eventSourceMapping:EventSourceMapping", `global-${role}-receipt-finisher-stream`);
                    expect(mapping.region).to.equal(region);
                    expect(mapping.inputs.eventSourceArn).to.equal(
                        `arn:aws:dynamodb:${region}:123456789012:table/${table.inputs.name}/stream/2026-01-01T00:00:00.000`,
                    );
                    expect(mapping.inputs.functionName).to.equal(one(s, "aws:lambda/function:Function", `${role}-finisher`).state.arn);
                    expect(mapping.inputs.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
                    expect(mapping.inputs.destinationConfig.onFailure.destinationArn).to.equal(one(s, "aws:sqs/queue:Queue", `${role}-dlq`).state.arn);
                    expect(JSON.parse(mapping.inputs.filterCriteria.filters[0].pattern)).to.deep.equal({
                        eventName: ["INSERT"],
                        dynamodb: { NewImage: { sk: { S: ["TXN"] }, receiptStatus: { S: ["PENDING"] }, region: { S: [region] } } },
                    });
                }
            });

            it("has no dead-letter queue that cannot receive: every queue is an on-failure destination, no API function dead-letters", () => {
                const destinations = ofType(s, "aws:lambda/eventSourceMapping:EventSourceMapping").map(
                    (m) => m.inputs.destinationConfig?.onFailure?.destinationArn,
                );
                for (const queue of ofType(s, "aws:sqs/queue:Queue")) {
                    expect(destinations, queue.name).to.include(queue.state.arn);
                }
                for (const fn of ofType(s, "aws:lambda/function:Function")) {
                    expect(fn.inputs.deadLetterConfig, fn.name).to.equal(undefined);
                }
            });
        });

        describe("paging that survives the loss of either region", () => {
            it("alarms in the secondary region, through its own topic, when payments arrive there (traffic moved)", () => {
                const alarm = one(s, ALARM, "global-secondary-taking-payments");
                expect(alarm.region).to.equal("us-west-2");
                expect(alarm.inputs).to.include({ namespace: "PaymentsDR", metricName: "PaymentFailed", statistic: "SampleCount", threshold: 10 });
                expect(alarm.inputs.dimensions).to.deep.equal({ Region: "us-west-2" });
                expect(alarm.inputs.alarmActions).to.deep.equal([one(s, "aws:sns/topic:Topic", "secondary-alerts").state.arn]);
                expect(regionOfArn(alarm.inputs.alarmActions[0])).to.equal("us-west-2");
                // Nothing it needs lives in us-east-1: the metric is the secondary's own, published in us-west-2.
                expect(JSON.stringify(alarm.inputs)).to.not.contain("us-east-1");
            });
        });

        describe("cross-region monitoring", () => {
            it("alarms on DynamoDB replication latency with TableName and ReceivingRegion, in the sending region", () => {
                const alarms = ofType(s, ALARM).filter((a) => a.inputs.namespace === "AWS/DynamoDB" && a.inputs.metricName === "ReplicationLatency");
                expect(alarms.map((a) => [a.region, a.inputs.dimensions.ReceivingRegion])).to.have.deep.members([
                    ["us-east-1", "us-west-2"],
                    ["us-west-2", "us-east-1"],
                ]);
                for (const alarm of alarms) {
                    expect(alarm.inputs.dimensions.TableName).to.equal(table.inputs.name);
                    expect(alarm.inputs.unit).to.equal("Milliseconds");
                    expect(alarm.inputs.threshold).to.equal(60_000);
                }
            });

            it("alarms on read and write throttles of the table in both regions", () => {
                const throttles = ofType(s, ALARM).filter((a) => /ThrottleEvents$/.test(a.inputs.metricName));
                expect(throttles.map((a) => `${a.region} ${a.inputs.metricName}`)).to.have.members([
                    "us-east-1 WriteThrottleEvents",
                    "us-east-1 ReadThrottleEvents",
                    "us-west-2 WriteThrottleEvents",
                    "us-west-2 ReadThrottleEvents",
                ]);
            });

            it("alarms on S3 replication with the buckets and the real rule id", () => {
                // The documents rules' alarms (the log archive's own rules are alarmed by LogArchive: tests/safety-net.test.ts).
                const s3 = ofType(s, ALARM, "us-east-1").filter((a) => a.inputs.namespace === "AWS/S3" && !a.name.startsWith("log-archive-"));
                expect(s3.map((a) => a.inputs.metricName)).to.have.members(["ReplicationLatency", "OperationsFailedReplication"]);
                const ruleIds = ofType(s, REPLICATION).flatMap((r) => r.inputs.rules.map((x: any) => x.id));
                for (const alarm of s3) {
                    expect(alarm.inputs.dimensions).to.deep.equal({
                        SourceBucket: bucketOf(s, "primary").inputs.bucket,
                        DestinationBucket: bucketOf(s, "secondary").inputs.bucket,
                        RuleId: REPLICATION_RULE_IDS.primary,
                    });
                    expect(ruleIds).to.include(alarm.inputs.dimensions.RuleId);
                }
            });

            it("sends every alarm of the program to a topic in the alarm's own region", () => {
                const alarms = ofType(s, ALARM);
                expect(alarms.length).to.be.at.least(22);
                for (const alarm of alarms) {
                    for (const action of [...alarm.inputs.alarmActions, ...alarm.inputs.okActions]) {
                        expect(action, alarm.name).to.match(/^arn:aws:sns:/);
                        expect(regionOfArn(action), alarm.name).to.equal(alarm.region);
                    }
                }
            });

            it("shows both regions on one dashboard with real dimensions", () => {
                const dashboard = one(s, "aws:cloudwatch/dashboard:Dashboard", "global-dashboard");
                const body = dashboard.inputs.dashboardBody as string;
                const widgets = JSON.parse(body).widgets;
                expect(new Set(widgets.map((w: any) => w.properties.region))).to.deep.equal(new Set(["us-east-1", "us-west-2"]));
                for (const role of ["primary", "secondary"]) {
                    expect(body).to.include(one(s, "aws:lambda/function:Function", `${role}-processor`).inputs.name);
                    expect(body).to.include(one(s, "aws:apigatewayv2/api:Api", `${role}-api`).id);
                    expect(body).to.include(one(s, HEALTH_CHECK, `global-${role}-health`).id);
                }
                expect(body).to.include(`"TableName","${table.inputs.name}","ReceivingRegion","us-west-2"`);
                expect(body).to.include(`"RuleId","${REPLICATION_RULE_IDS.primary}"`);
            });
        });

        it("exports what operators and the drill script need", () => {
            for (const key of [
                "primaryApiEndpoint",
                "secondaryApiEndpoint",
                "failoverDnsName",
                "hostedZoneId",
                "primaryHealthCheckId",
                "secondaryHealthCheckId",
                "transactionsTableName",
                "transactionsTableArn",
                "primaryBucketName",
                "secondaryBucketName",
                "primaryKeyArn",
                "secondaryKeyArn",
                "primaryFunctionArn",
                "secondaryFunctionArn",
                "primaryTopicArn",
                "secondaryTopicArn",
                "dashboardName",
                "operatorRoleArn",
                "primaryRegion",
                "secondaryRegion",
            ]) {
                expect(s.outputs[key], key).to.be.a("string").and.not.equal("");
            }
            expect(s.outputs.nameServers).to.have.length(4);
            const objectives = s.outputs.recoveryObjectives as any;
            // prod: CNAMEs with their own 15 s TTL and 10 s × 2 checks; dev: DNS-only CNAMEs, 60 s TTL, 30 s × 3.
            expect(objectives.healthPath.rtoSeconds).to.equal(stackName === "prod" ? 10 * 2 + 6 + 30 + 15 : 30 * 3 + 6 + 30 + 60);
            expect(objectives.healthPath.rtoSeconds).to.be.at.most(stackName === "prod" ? 75 : 15 * 60);
            // The payment-failure path is the worst case: 240 s payment signal + 30 s aggregation + the TTL.
            expect(objectives.paymentPath.rtoSeconds).to.equal(240 + 30 + (stackName === "prod" ? 15 : 60));
            expect(objectives.rtoSeconds).to.equal(objectives.paymentPath.rtoSeconds);
            expect(objectives.dnsTtlSeconds).to.equal(stackName === "prod" ? 15 : 60);
            expect(s.outputs.failoverUrl).to.equal(stackName === "prod" ? "https://api.payments-dr.acme-pay.net" : undefined);
            expect(s.outputs.apiUrls).to.deep.equal(
                stackName === "prod"
                    ? { failover: "https://api.payments-dr.acme-pay.net" }
                    : { primary: s.outputs.primaryApiEndpoint, secondary: s.outputs.secondaryApiEndpoint },
            );
            expect(objectives.problems).to.deep.equal([]);
            const capacity = s.outputs.capacity as any;
            expect(capacity.requiredConcurrency).to.equal(stackName === "prod" ? 800 : 8);
            // Without a reservation the processor shares the account's pool, less the health function's reservation.
            expect(capacity.availableConcurrency).to.equal(stackName === "prod" ? 1200 : 995);
        });

        it("creates a DR operator role that requires MFA and reads exactly this stack's checks, zone and table", () => {
            const role = one(s, "aws:iam/role:Role", "global-operator-role");
            const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
            expect(trust.Principal).to.deep.equal({ AWS: "arn:aws:iam::123456789012:root" });
            // MFA within the hour, and only principals tagged as this stack's operators (tests/audit.test.ts has the rest).
            expect(trust.Condition).to.deep.equal({
                Bool: { "aws:MultiFactorAuthPresent": "true" },
                NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
                StringEquals: { "aws:PrincipalTag/payments-dr-operator": stackName },
            });
            const policy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "global-operator-policy"));
            const ids = ["primary", "secondary"].flatMap((r) =>
                [
                    "health",
                    "payments-health",
                    "payments-api-5xx-health",
                    "payments-lambda-errors-health",
                    "payments-lambda-throttles-health",
                    "failover-health",
                ].map((kind) => `arn:aws:route53:::healthcheck/${one(s, HEALTH_CHECK, `global-${r}-${kind}`).id}`),
            );
            const bySid = Object.fromEntries(policy.Statement.map((st) => [st.Sid, st]));
            expect(bySid.ReadHealthChecks.Resource).to.include.members(ids);
            expect(bySid.ToggleDrill, "nothing in the operator role changes Route 53").to.equal(undefined);
            expect(bySid.ReadFailoverRecords.Resource).to.equal(`arn:aws:route53:::hostedzone/${s.outputs.hostedZoneId}`);
            expect(bySid.AskRoute53WhatItAnswers).to.deep.include({ Action: ["route53:TestDNSAnswer"], Resource: "*" });
            expect(bySid.DescribeReplicas.Resource).to.deep.equal([
                `arn:aws:dynamodb:us-east-1:123456789012:table/${table.inputs.name}`,
                `arn:aws:dynamodb:us-west-2:123456789012:table/${table.inputs.name}`,
            ]);
        });
    });
}

describe("GlobalLayer variants (mocked runtime)", () => {
    it("keeps Route 53 alarms in us-east-1, with their own key and topic, when neither region is us-east-1", async () => {
        const s = await stackWith("dev", { primaryRegion: "eu-west-1", secondaryRegion: "eu-central-1" });
        const provider = one(s, "pulumi:providers:aws", "aws-route53-metrics");
        expect(provider.inputs.region).to.equal("us-east-1");
        const topic = one(s, "aws:sns/topic:Topic", "global-route53-alerts");
        expect(topic.region).to.equal("us-east-1");
        expect(regionOfArn(topic.inputs.kmsMasterKeyId)).to.equal("us-east-1");
        for (const alarm of ofType(s, ALARM).filter((a) => a.inputs.namespace === "AWS/Route53")) {
            expect(alarm.region).to.equal("us-east-1");
            expect(alarm.inputs.alarmActions).to.deep.equal([topic.state.arn]);
        }
        expect(one(s, TABLE, "global-transactions-table").region).to.equal("eu-west-1");
        expect(one(s, TABLE, "global-transactions-table").inputs.replicas[0].regionName).to.equal("eu-central-1");
    });

    it("uses an existing hosted zone instead of creating one", async () => {
        const s = await stackWith("dev", { hostedZoneId: "Z0123456789ABCDEFGHIJ" });
        expect(ofType(s, "aws:route53/zone:Zone")).to.deep.equal([]);
        for (const record of failoverRecords(s)) {
            expect(record.inputs.zoneId).to.equal("Z0123456789ABCDEFGHIJ");
        }
        expect(s.outputs.nameServers).to.have.length(4);
    });

    it("refuses a third region with a clear message (the design is two-region active-passive)", async () => {
        let error: unknown;
        try {
            await stackWith("dev", { tertiaryRegion: "eu-west-1" });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ConfigValidationError);
        expect((error as ConfigValidationError).problems).to.deep.equal([
            '`payments-dr:tertiaryRegion` is "eu-west-1": this stack is active-passive across exactly two regions ' +
                "(`primaryRegion`, `secondaryRegion`); a third region needs its own failover design (Route 53 answers one " +
                "PRIMARY and one SECONDARY) and is not supported.",
        ]);
    });

    it("registers no resource at all when the config is invalid", async () => {
        let error: unknown;
        try {
            await stackWith("dev", { logRetentionDays: "8" });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ConfigValidationError);
        expect((error as { registeredResources?: number }).registeredResources).to.equal(0);
    });
});

describe("dns-only vs custom-domain failover name (issue 6)", () => {
    let dev: Synthesis;
    let prod: Synthesis;
    before(async () => {
        dev = await stack("dev");
        prod = await stack("prod");
    });

    it("dns-only (dev): CNAMEs to each region's execute-api host, health checks on the same hosts, and a clear notice", () => {
        for (const role of ["primary", "secondary"]) {
            const record = failoverRecords(dev).find((r) => r.inputs.setIdentifier.startsWith(role))!;
            expect(record.inputs.records).to.deep.equal([apiHostOf(dev, role)]);
            expect(one(dev, HEALTH_CHECK, `global-${role}-health`).inputs.fqdn).to.equal(apiHostOf(dev, role));
        }
        expect(ofType(dev, "aws:acm/certificate:Certificate")).to.deep.equal([]);
        expect((dev.outputs.notices as string[]).join("\n")).to.match(/DNS-only failover name .* HTTPS clients cannot call it/);
    });

    it("custom-domain (prod): a certificate for both names in each API's own region, DNS-validated in the stack's zone", () => {
        const zoneId = one(prod, "aws:route53/zone:Zone", "global-zone").id;
        for (const [role, region] of [
            ["primary", "us-east-1"],
            ["secondary", "us-west-2"],
        ]) {
            const cert = one(prod, "aws:acm/certificate:Certificate", `global-${role}-domain-certificate`);
            expect(cert.region).to.equal(region);
            expect(cert.inputs.domainName).to.equal("api.payments-dr.acme-pay.net");
            expect(cert.inputs.subjectAlternativeNames).to.deep.equal([`${role}.api.payments-dr.acme-pay.net`]);
            expect(cert.inputs.validationMethod).to.equal("DNS");
            // ACM's record for a name is the same in every region: the failover name's record exists once (primary's).
            const validationRecords = ofType(prod, RECORD).filter((r) => r.name.includes("-domain-validation-"));
            const expected = cert.state.domainValidationOptions.map((o: any) => o.resourceRecordName);
            expect(validationRecords.map((r) => r.inputs.name)).to.include.members(expected);
            for (const r of validationRecords) {
                expect(r.inputs.zoneId).to.equal(zoneId);
            }
            const validation = one(prod, "aws:acm/certificateValidation:CertificateValidation", `global-${role}-domain-certificate-validation`);
            expect(validation.inputs.certificateArn).to.equal(cert.state.arn);
            expect(validation.inputs.validationRecordFqdns).to.have.members(expected);
            expect(validation.region).to.equal(region);
        }
    });

    it("custom-domain (prod): one validation record per name, the failover name's shared by both regions", () => {
        const names = ofType(prod, RECORD)
            .filter((r) => r.name.includes("-domain-validation-"))
            .map((r) => r.name);
        expect(names).to.have.members([
            "global-primary-domain-validation-failover",
            "global-primary-domain-validation-regional",
            "global-secondary-domain-validation-regional",
        ]);
        const recordNames = ofType(prod, RECORD)
            .filter((r) => r.name.includes("-domain-validation-"))
            .map((r) => r.inputs.name);
        expect(new Set(recordNames).size).to.equal(recordNames.length);
    });

    it("custom-domain (prod): regional TLS 1.2 custom domains for both names, mapped to the region's own stage", () => {
        for (const [role, region] of [
            ["primary", "us-east-1"],
            ["secondary", "us-west-2"],
        ]) {
            const apiId = one(prod, "aws:apigatewayv2/api:Api", `${role}-api`).id;
            const cert = one(prod, "aws:acm/certificate:Certificate", `global-${role}-domain-certificate`);
            for (const [key, name] of [
                ["failover", "api.payments-dr.acme-pay.net"],
                ["regional", `${role}.api.payments-dr.acme-pay.net`],
            ]) {
                const domain = one(prod, "aws:apigatewayv2/domainName:DomainName", `global-${role}-domain-domain-${key}`);
                expect(domain.region).to.equal(region);
                expect(domain.inputs.domainName).to.equal(name);
                expect(domain.inputs.domainNameConfiguration).to.include({
                    endpointType: "REGIONAL",
                    securityPolicy: "TLS_1_2",
                    certificateArn: cert.state.arn,
                });
                const mapping = one(prod, "aws:apigatewayv2/apiMapping:ApiMapping", `global-${role}-domain-mapping-${key}`);
                expect(mapping.inputs).to.include({ apiId, domainName: domain.id, stage: "$default" });
            }
        }
    });

    it("custom-domain (prod): failover CNAMEs name each region's own failover-name domain, with prod's 15 s TTL; checks probe regional names", () => {
        for (const role of ["primary", "secondary"]) {
            const domain = one(prod, "aws:apigatewayv2/domainName:DomainName", `global-${role}-domain-domain-failover`);
            const target = domain.state.domainNameConfiguration;
            const record = one(prod, RECORD, `global-failover-${role}-https-cname`);
            expect(record.inputs).to.include({ type: "CNAME", ttl: 15, name: "api.payments-dr.acme-pay.net", allowOverwrite: true });
            expect(record.inputs.records).to.deep.equal([target.targetDomainName]);
            expect(record.inputs.aliases).to.equal(undefined);
            expect(target.targetDomainName).to.include(role === "primary" ? "us-east-1" : "us-west-2");
            const check = one(prod, HEALTH_CHECK, `global-${role}-health`);
            expect(check.inputs.fqdn).to.equal(`${role}.api.payments-dr.acme-pay.net`);
            const regional = one(prod, RECORD, `global-${role}-domain-regional-a`);
            expect(regional.inputs.name).to.equal(check.inputs.fqdn);
            expect(regional.inputs.failoverRoutingPolicies).to.equal(undefined);
        }
        expect(prod.outputs.notices).to.deep.equal(["no one is subscribed to prod's alarms: run `pulumi config set --secret alarmEmail <on-call address>`"]);
    });

    it("custom-domain with `failoverRecordType: alias`: A and AAAA aliases to each region's failover-name domain, and the target's 60 s TTL in the objectives", async () => {
        const alias = await stackWith("prod", { failoverRecordType: "alias" });
        for (const role of ["primary", "secondary"]) {
            const target = one(alias, "aws:apigatewayv2/domainName:DomainName", `global-${role}-domain-domain-failover`).state.domainNameConfiguration;
            for (const type of ["a", "aaaa"]) {
                const record = one(alias, RECORD, `global-failover-${role}-${type}`);
                expect(record.inputs.aliases).to.deep.equal([{ name: target.targetDomainName, zoneId: target.hostedZoneId, evaluateTargetHealth: true }]);
                expect(record.inputs.records).to.equal(undefined);
            }
        }
        expect(alias.outputs.recoveryObjectives).to.deep.include({ dnsTtlSeconds: 60, rtoSeconds: 240 + 30 + 60 });
        expect((alias.outputs.recoveryObjectives as any).healthPath.rtoSeconds).to.equal(10 * 2 + 6 + 30 + 60);
    }).timeout(120_000);

    it("custom-domain mode waits for delegation of a zone it creates: no certificate that could never validate", async () => {
        const s = await stackWith("prod", { zoneDelegated: "false" });
        expect(ofType(s, "aws:acm/certificate:Certificate")).to.deep.equal([]);
        expect(failoverRecords(s).map((r) => r.inputs.type)).to.deep.equal(["CNAME", "CNAME"]);
        expect((s.outputs.notices as string[]).join("\n")).to.match(
            /custom-domain mode is pending: delegate payments-dr\.acme-pay\.net to the new zone's name servers/,
        );
        const existing = await stackWith("prod", { zoneDelegated: "false", hostedZoneId: "Z0123456789ABCDEFGHIJ" });
        expect(ofType(existing, "aws:acm/certificate:Certificate")).to.have.length(2);
    }).timeout(180_000); // two syntheses

    it("prod turns the execute-api endpoints off once the custom domains serve, and keeps them while delegation is pending", async () => {
        for (const api of ofType(prod, "aws:apigatewayv2/api:Api")) {
            expect(api.inputs.disableExecuteApiEndpoint).to.equal(true);
        }
        const pending = await stackWith("prod", { zoneDelegated: "false" });
        for (const api of ofType(pending, "aws:apigatewayv2/api:Api")) {
            expect(api.inputs.disableExecuteApiEndpoint).to.equal(false);
        }
        for (const api of ofType(dev, "aws:apigatewayv2/api:Api")) {
            expect(api.inputs.disableExecuteApiEndpoint).to.equal(false);
        }
    });
});

describe("PITFALLS regressions (both stacks)", () => {
    for (const stackName of ["dev", "prod"] as const) {
        it(`${stackName}: one replication configuration per bucket, no childless CALCULATED checks, no IP or placeholder records`, async () => {
            const s = await stack(stackName);
            const buckets = ofType(s, REPLICATION).map((r) => r.inputs.bucket);
            expect(new Set(buckets).size).to.equal(buckets.length);
            const checks = ofType(s, HEALTH_CHECK);
            for (const check of checks) {
                expect(check.inputs.ipAddress).to.equal(undefined);
                if (check.inputs.type === "CALCULATED") {
                    // Every child is a real check of this stack, and all of them must be healthy.
                    expect(check.inputs.childHealthchecks).to.have.length.of.at.least(2);
                    for (const child of check.inputs.childHealthchecks) {
                        expect(checks.map((c) => c.id)).to.include(child);
                    }
                    expect(check.inputs.childHealthThreshold).to.equal(check.inputs.childHealthchecks.length);
                } else {
                    expect(check.inputs.childHealthchecks).to.equal(undefined);
                }
            }
            for (const record of ofType(s, RECORD)) {
                for (const value of asArray<string>(record.inputs.records)) {
                    expect(value).to.not.match(/^\d+\.\d+\.\d+\.\d+$/);
                }
            }
            expect(JSON.stringify(s.resources.map((r) => r.inputs))).to.not.match(/example\.com|127\.0\.0\.1/);
        });
    }
});
