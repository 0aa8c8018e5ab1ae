import { expect } from "chai";
import { HEALTH_RESERVED_CONCURRENCY, HEALTH_ROUTE_BURST_LIMIT, HEALTH_ROUTE_RATE_LIMIT } from "../components/regional/health-capacity";
import { HEALTH_PROBE_ROUTE_BURST_LIMIT, HEALTH_PROBE_ROUTE_RATE_LIMIT } from "../components/regional/health-probe";
import { HEALTH_FUNCTION_TIMEOUT_SECONDS } from "../components/regional/health-endpoint";
import { WILDCARD_RESOURCE_ACTIONS } from "../components/shared/iam";
import { PAYMENT_FAILURE_SHARE_THRESHOLD } from "../components/regional/payment-alarm";
import { RecordedResource, Synthesis } from "../scripts/synth/synthesize";
import { asArray, isSecret, lambdaEnv, one, ofType, plain, policyOf, stack, stackWith } from "./support/stacks";

const REGIONS = { primary: "us-east-1", secondary: "us-west-2" } as const;

/** Children of one RegionalStack (its direct children all have the component as parent). */
function childrenOf(s: Synthesis, role: string): RecordedResource[] {
    return s.resources.filter((r) => r.parentUrn?.endsWith(`payments-dr:regional:RegionalStack::${role}`));
}

function regionOfArn(arn: string): string {
    return arn.split(":")[3];
}

for (const stackName of ["dev", "prod"] as const) {
    describe(`RegionalStack (${stackName} stack, mocked runtime)`, () => {
        let s: Synthesis;
        before(async () => {
            s = await stack(stackName);
        });

        it("creates one provider per region with the cost-allocation default tags", () => {
            const providers = ofType(s, "pulumi:providers:aws").filter((p) => p.name.startsWith("aws-primary") || p.name.startsWith("aws-secondary"));
            expect(providers.map((p) => [p.name, p.inputs.region])).to.have.deep.members([
                ["aws-primary", "us-east-1"],
                ["aws-secondary", "us-west-2"],
            ]);
            for (const p of providers) {
                const tags = JSON.parse(p.inputs.defaultTags).tags;
                expect(tags).to.include({
                    Environment: stackName,
                    Application: "payments-dr",
                    ManagedBy: "Pulumi",
                    Owner: "payments-platform",
                    CostCenter: "cc-4711",
                });
            }
        });

        it("gives every AWS resource an explicit provider, never a default one", () => {
            const aws = s.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            expect(aws.length).to.be.greaterThan(50);
            for (const r of aws) {
                expect(r.providerUrn, r.urn).to.match(/pulumi:providers:aws::aws-/);
                expect(r.providerUrn, r.urn).to.not.match(/::default/);
            }
        });

        for (const [role, region] of Object.entries(REGIONS)) {
            describe(`${role} region (${region})`, () => {
                let children: RecordedResource[];
                let keyArn: string;
                const child = (type: string, suffix: string) => one(s, type, `${role}-${suffix}`);
                before(() => {
                    children = childrenOf(s, role);
                    keyArn = child("aws:kms/key:Key", "key").state.arn;
                });

                it("creates the complete regional resource set, all in this region", () => {
                    const count = (type: string) => children.filter((r) => r.type === type).length;
                    expect(count("aws:kms/key:Key")).to.equal(1);
                    expect(count("aws:kms/alias:Alias")).to.equal(1);
                    expect(count("aws:s3/bucket:Bucket")).to.equal(1);
                    for (const t of [
                        "aws:s3/bucketVersioning:BucketVersioning",
                        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                        "aws:s3/bucketPolicy:BucketPolicy",
                        "aws:s3/bucketAccelerateConfiguration:BucketAccelerateConfiguration",
                        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                        "aws:sqs/queue:Queue",
                        "aws:apigatewayv2/api:Api",
                        "aws:apigatewayv2/stage:Stage",
                        "aws:sns/topic:Topic",
                        "aws:sns/topicPolicy:TopicPolicy",
                    ]) {
                        expect(count(t), t).to.equal(1);
                    }
                    // The processor, the two health functions (Route 53's probe, the open route) and the receipt
                    // finisher; all but the finisher behind the API.
                    for (const t of ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:lambda/function:Function"]) {
                        expect(count(t), t).to.equal(4);
                    }
                    for (const t of ["aws:lambda/permission:Permission", "aws:apigatewayv2/integration:Integration"]) {
                        expect(count(t), t).to.equal(3);
                    }
                    expect(count("aws:cloudwatch/logGroup:LogGroup")).to.equal(5);
                    expect(count("aws:apigatewayv2/route:Route")).to.equal(5);
                    // dev (eventual consistency) also alarms on cross-region conflicts; 3 more are the payment signal's AWS-metric alarms
                    expect(count("aws:cloudwatch/metricAlarm:MetricAlarm")).to.equal(stackName === "dev" ? 12 : 11);
                    for (const r of children.filter((c) => c.custom)) {
                        expect(r.region, r.urn).to.equal(region);
                    }
                    expect(s.resources.some((r) => r.type.includes("BucketV2") || r.type.includes("bucketV2"))).to.equal(false);
                });

                it("has a rotating customer-managed key whose policy names no role", () => {
                    const key = child("aws:kms/key:Key", "key");
                    expect(key.inputs.enableKeyRotation).to.equal(true);
                    expect(key.inputs.deletionWindowInDays).to.equal(stackName === "prod" ? 30 : 7);
                    expect(regionOfArn(keyArn)).to.equal(region);
                    const policy = policyOf(key);
                    expect(JSON.stringify(policy)).to.not.match(/:role\//);
                    const services = policy.Statement.flatMap((st) => asArray(st.Principal?.Service));
                    // EventBridge publishes the failover rules' messages to the encrypted alarm topic; prod's audit trail
                    // (cloudTrailDataEvents) encrypts its log files with the key (tests/audit-trail.test.ts).
                    expect(services).to.have.members([
                        `logs.${region}.amazonaws.com`,
                        "cloudwatch.amazonaws.com",
                        "events.amazonaws.com",
                        ...(stackName === "prod" ? ["cloudtrail.amazonaws.com", "cloudtrail.amazonaws.com"] : []),
                    ]);
                    const viaServices = policy.Statement.flatMap((st) => asArray(st.Condition?.StringEquals?.["kms:ViaService"]));
                    for (const svc of ["dynamodb", "s3", "lambda", "sqs", "sns", "backup", "ssm", "firehose"]) {
                        expect(viaServices).to.include(`${svc}.${region}.amazonaws.com`);
                    }
                    const alias = child("aws:kms/alias:Alias", "key-alias");
                    expect(alias.inputs.name).to.equal(`alias/transaction-encryption-${role}-${stackName}`);
                    expect(key.protect).to.equal(stackName === "prod");
                });

                it("encrypts every data store with this region's key", () => {
                    const sse = child("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "documents-encryption");
                    expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn });
                    expect(sse.inputs.rules[0].bucketKeyEnabled).to.equal(true);
                    expect(child("aws:sqs/queue:Queue", "dlq").inputs.kmsMasterKeyId).to.equal(keyArn);
                    expect(child("aws:sns/topic:Topic", "alerts").inputs.kmsMasterKeyId).to.equal(keyArn);
                    for (const lg of children.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")) {
                        expect(lg.inputs.kmsKeyId, lg.name).to.equal(keyArn);
                    }
                    expect(child("aws:lambda/function:Function", "processor").inputs.kmsKeyArn).to.equal(keyArn);
                });

                it("keeps the documents bucket private, versioned, TLS-only and accelerated", () => {
                    const bucket = child("aws:s3/bucket:Bucket", "documents");
                    expect(bucket.inputs.bucket).to.match(new RegExp(`^documents-${role}-${stackName}-[a-z0-9]{6}$`));
                    expect(bucket.inputs.forceDestroy).to.equal(stackName !== "prod");
                    expect([bucket.protect, bucket.retainOnDelete]).to.deep.equal(stackName === "prod" ? [true, true] : [false, false]);
                    expect(child("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "documents-public-access").inputs).to.include({
                        blockPublicAcls: true,
                        blockPublicPolicy: true,
                        ignorePublicAcls: true,
                        restrictPublicBuckets: true,
                    });
                    expect(child("aws:s3/bucketVersioning:BucketVersioning", "documents-versioning").inputs.versioningConfiguration.status).to.equal("Enabled");
                    expect(child("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "documents-ownership").inputs.rule.objectOwnership).to.equal(
                        "BucketOwnerEnforced",
                    );
                    expect(child("aws:s3/bucketAccelerateConfiguration:BucketAccelerateConfiguration", "documents-acceleration").inputs.status).to.equal(
                        "Enabled",
                    );
                    const policy = policyOf(child("aws:s3/bucketPolicy:BucketPolicy", "documents-tls-only"));
                    const insecure = policy.Statement.find((st) => st.Condition?.Bool?.["aws:SecureTransport"] === "false");
                    expect(insecure).to.include({ Effect: "Deny", Principal: "*", Action: "s3:*" });
                    expect(insecure.Resource).to.deep.equal([bucket.state.arn, `${bucket.state.arn}/*`]);
                    const lifecycle = child("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "documents-lifecycle");
                    expect(lifecycle.inputs.rules[0].noncurrentVersionExpiration.noncurrentDays).to.be.greaterThan(0);
                });

                it("runs the processor on a supported runtime with tracing, no VPC, no reserved env names and no DLQ (it is invoked synchronously)", () => {
                    const fn = child("aws:lambda/function:Function", "processor");
                    expect(fn.inputs.runtime).to.match(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
                    expect(fn.inputs.name).to.match(new RegExp(`^transaction-processor-${role}-${stackName}-[a-z0-9]{6}$`));
                    expect(fn.inputs.tracingConfig).to.deep.equal({ mode: "Active" });
                    expect(fn.inputs.vpcConfig).to.equal(undefined);
                    // Lambda dead-letters only asynchronous invocations; API Gateway's are synchronous.
                    expect(fn.inputs.deadLetterConfig).to.equal(undefined);
                    const env = lambdaEnv(fn);
                    expect(Object.keys(env).filter((k) => k.startsWith("AWS_") || k.startsWith("_"))).to.deep.equal([]);
                    expect(env).to.include({ APP_REGION: region, REGION_ROLE: role, APP_ENV: stackName, KMS_KEY_ID: keyArn });
                    expect(env.BUCKET_NAME).to.equal(child("aws:s3/bucket:Bucket", "documents").inputs.bucket);
                    expect(env.TABLE_NAME).to.match(new RegExp(`^transactions-table-${stackName}-[a-z0-9]{6}$`));
                    expect(Number(env.MAX_AMOUNT_MINOR)).to.be.greaterThan(0);
                    expect(fn.inputs.code).to.not.equal(undefined);
                    expect(fn.inputs.reservedConcurrentExecutions).to.equal(stackName === "prod" ? 1200 : undefined);
                    expect(fn.inputs.timeout).to.equal(10);
                });

                it("creates the function's log group first, with the configured retention", () => {
                    const fn = child("aws:lambda/function:Function", "processor");
                    const logs = child("aws:cloudwatch/logGroup:LogGroup", "processor-logs");
                    expect(logs.inputs.name).to.equal(`/aws/lambda/${fn.inputs.name}`);
                    expect(logs.inputs.retentionInDays).to.equal(stackName === "prod" ? 365 : 7);
                    expect(fn.dependsOn).to.include(logs.urn);
                    expect(fn.inputs.loggingConfig.logGroup).to.equal(logs.inputs.name);
                    expect(child("aws:cloudwatch/logGroup:LogGroup", "api-access-logs").inputs.retentionInDays).to.equal(logs.inputs.retentionInDays);
                });

                it("grants the processor exactly this region's replica, bucket, key and log group", () => {
                    const role_ = child("aws:iam/role:Role", "processor-role");
                    const trust = JSON.parse(role_.inputs.assumeRolePolicy);
                    expect(trust.Statement).to.have.length(1);
                    expect(trust.Statement[0].Principal).to.deep.equal({ Service: "lambda.amazonaws.com" });
                    const policy = policyOf(child("aws:iam/rolePolicy:RolePolicy", "processor-policy"));
                    const tableName = lambdaEnv(child("aws:lambda/function:Function", "processor")).TABLE_NAME;
                    const byAction = (action: string) => policy.Statement.filter((st) => asArray(st.Action).includes(action));
                    expect(byAction("dynamodb:PutItem")[0].Resource).to.equal(`arn:aws:dynamodb:${region}:123456789012:table/${tableName}`);
                    expect(byAction("s3:PutObject")[0].Resource).to.match(new RegExp(`^arn:aws:s3:::documents-${role}-.*/receipts/\\*$`));
                    // GetObject only to compare an existing receipt after a 412.
                    expect(byAction("s3:GetObject")[0].Resource).to.equal(byAction("s3:PutObject")[0].Resource);
                    expect(byAction("kms:GenerateDataKey")[0].Resource).to.equal(keyArn);
                    expect(byAction("sqs:SendMessage")).to.deep.equal([]);
                    expect(byAction("logs:PutLogEvents")[0].Resource).to.equal(`${child("aws:cloudwatch/logGroup:LogGroup", "processor-logs").state.arn}:*`);
                    for (const st of policy.Statement) {
                        for (const resource of asArray(st.Resource)) {
                            if (resource === "*") {
                                expect(WILDCARD_RESOURCE_ACTIONS, JSON.stringify(st)).to.include.members(asArray(st.Action));
                            } else {
                                expect(resource).to.not.match(/^arn:aws:[^:]+:[^:]*:[^:]*:\*$/);
                                // The takeover alarm lives in the standby region on purpose: it must outlive this one.
                                if (!resource.startsWith("arn:aws:s3:::") && st.Sid !== "ReadTakeoverSignal") {
                                    expect(regionOfArn(resource), resource).to.equal(region);
                                }
                            }
                        }
                        expect(
                            asArray(st.Action).some((a: string) => a === "*" || a.endsWith(":*")),
                            JSON.stringify(st),
                        ).to.equal(false);
                    }
                });

                it("routes POST /transactions, GET /transactions/{id} (and the rest, for JSON 404/405) to the processor", () => {
                    const routes = children.filter((r) => r.type === "aws:apigatewayv2/route:Route");
                    const integration = child("aws:apigatewayv2/integration:Integration", "processor-integration");
                    expect(routes.filter((r) => r.inputs.target === `integrations/${integration.id}`).map((r) => r.inputs.routeKey)).to.have.members([
                        "POST /transactions",
                        "GET /transactions/{id}",
                        "$default",
                    ]);
                    expect(integration.inputs).to.include({ integrationType: "AWS_PROXY", payloadFormatVersion: "2.0" });
                    expect(integration.inputs.integrationUri).to.equal(child("aws:lambda/function:Function", "processor").state.arn);
                    expect(integration.inputs.timeoutMilliseconds).to.be.at.most(30_000);
                    const stage = child("aws:apigatewayv2/stage:Stage", "stage");
                    expect(stage.inputs).to.include({ name: "$default", autoDeploy: true });
                    expect(stage.inputs.accessLogSettings.destinationArn).to.equal(child("aws:cloudwatch/logGroup:LogGroup", "api-access-logs").state.arn);
                    expect(stage.inputs.defaultRouteSettings.throttlingRateLimit).to.equal(stackName === "prod" ? 10_000 : 100);
                });

                it("lets only this API invoke the function", () => {
                    const permission = child("aws:lambda/permission:Permission", "api-invoke");
                    const api = child("aws:apigatewayv2/api:Api", "api");
                    expect(permission.inputs).to.include({ action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com" });
                    expect(permission.inputs.sourceArn).to.equal(`${api.state.executionArn}/*/*`);
                    expect(regionOfArn(permission.inputs.sourceArn)).to.equal(region);
                });

                it("serves Route 53's probe and the open GET /health from two functions, roles, integrations and route throttles", () => {
                    const health = child("aws:lambda/function:Function", "health");
                    const open = child("aws:lambda/function:Function", "health-public");
                    const processor = child("aws:lambda/function:Function", "processor");
                    // Route 53's: its own function and role, with concurrency reserved for it alone.
                    expect(health.inputs.name).to.match(new RegExp(`^payments-health-${role}-${stackName}-[a-z0-9]{6}$`));
                    expect(health.inputs.role).to.equal(child("aws:iam/role:Role", "health-role").state.arn);
                    expect(health.inputs.role).to.not.equal(processor.inputs.role);
                    expect(health.inputs.reservedConcurrentExecutions).to.equal(HEALTH_RESERVED_CONCURRENCY);
                    expect(health.inputs).to.include({ timeout: HEALTH_FUNCTION_TIMEOUT_SECONDS, runtime: processor.inputs.runtime });
                    expect(lambdaEnv(health)).to.deep.equal({
                        TABLE_NAME: lambdaEnv(processor).TABLE_NAME,
                        BUCKET_NAME: lambdaEnv(processor).BUCKET_NAME,
                        APP_REGION: region,
                        REGION_ROLE: role,
                        KMS_KEY_ID: keyArn,
                    });
                    expect(health.inputs.code).to.not.deep.equal(processor.inputs.code);
                    // The open route's: the same code and environment, another function and role, no reserved concurrency.
                    expect(open.inputs.name).to.match(new RegExp(`^payments-health-public-${role}-${stackName}-[a-z0-9]{6}$`));
                    expect(open.inputs.role).to.equal(child("aws:iam/role:Role", "health-public-role").state.arn);
                    expect(open.inputs.environment.variables).to.deep.equal(health.inputs.environment.variables);
                    expect(open.inputs.reservedConcurrentExecutions).to.equal(undefined);
                    // Each its own route and integration; the probe route's key holds the secret token.
                    const integration = child("aws:apigatewayv2/integration:Integration", "health-integration");
                    expect(integration.inputs.integrationUri).to.equal(health.state.arn);
                    const probeRoute = child("aws:apigatewayv2/route:Route", "route-health-probe");
                    expect(isSecret(probeRoute.inputs.routeKey)).to.equal(true);
                    const probeKey = plain<string>(probeRoute.inputs.routeKey);
                    expect(probeKey).to.match(/^GET \/health\/[a-z0-9]{32}$/);
                    expect(probeRoute.inputs).to.include({ target: `integrations/${integration.id}`, authorizationType: "NONE" });
                    const openIntegration = child("aws:apigatewayv2/integration:Integration", "health-public-integration");
                    expect(openIntegration.inputs.integrationUri).to.equal(open.state.arn);
                    expect(child("aws:apigatewayv2/route:Route", "route-health").inputs).to.include({
                        routeKey: "GET /health",
                        target: `integrations/${openIntegration.id}`,
                    });
                    // Their own throttles, beside the payments' stage default.
                    const stage = child("aws:apigatewayv2/stage:Stage", "stage");
                    expect(plain<Record<string, unknown>[]>(stage.inputs.routeSettings)).to.deep.equal([
                        {
                            routeKey: "GET /health",
                            throttlingRateLimit: HEALTH_ROUTE_RATE_LIMIT,
                            throttlingBurstLimit: HEALTH_ROUTE_BURST_LIMIT,
                            detailedMetricsEnabled: false,
                        },
                        {
                            routeKey: probeKey,
                            throttlingRateLimit: HEALTH_PROBE_ROUTE_RATE_LIMIT,
                            throttlingBurstLimit: HEALTH_PROBE_ROUTE_BURST_LIMIT,
                            detailedMetricsEnabled: false,
                        },
                    ]);
                    expect(stage.dependsOn).to.include.members([child("aws:apigatewayv2/route:Route", "route-health").urn, probeRoute.urn]);
                    const executionArn = child("aws:apigatewayv2/api:Api", "api").state.executionArn;
                    expect(child("aws:lambda/permission:Permission", "health-invoke").inputs).to.include({
                        function: health.state.name,
                        sourceArn: `${executionArn}/*/GET/health/*`,
                    });
                    expect(child("aws:lambda/permission:Permission", "health-public-invoke").inputs).to.include({
                        function: open.state.name,
                        sourceArn: `${executionArn}/*/GET/health`,
                    });
                });

                it("lets the health role write only this region's health item and probe object", () => {
                    const policy = policyOf(child("aws:iam/rolePolicy:RolePolicy", "health-policy"));
                    const tableName = lambdaEnv(child("aws:lambda/function:Function", "health")).TABLE_NAME;
                    const actions = policy.Statement.flatMap((st) => asArray(st.Action));
                    expect(actions).to.have.members([
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                        "dynamodb:PutItem",
                        "s3:PutObject",
                        "kms:Decrypt",
                        "kms:GenerateDataKey",
                        "xray:PutTraceSegments",
                        "xray:PutTelemetryRecords",
                    ]);
                    const put = policy.Statement.find((st) => st.Action === "dynamodb:PutItem");
                    expect(put.Resource).to.equal(`arn:aws:dynamodb:${region}:123456789012:table/${tableName}`);
                    expect(put.Condition).to.deep.equal({ "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`HEALTH#${region}`] } });
                    expect(policy.Statement.find((st) => st.Action === "s3:PutObject").Resource).to.match(
                        new RegExp(`^arn:aws:s3:::documents-${role}-.*/health/\\*$`),
                    );
                });

                it("alarms when payments fail: the Average of the handler's 0/1 PaymentFailed metric, a form Route 53 accepts", () => {
                    const alarm = child("aws:cloudwatch/metricAlarm:MetricAlarm", "payment-failures");
                    expect(alarm.inputs).to.include({
                        namespace: "PaymentsDR",
                        metricName: "PaymentFailed",
                        statistic: "Average",
                        threshold: PAYMENT_FAILURE_SHARE_THRESHOLD,
                        period: 60,
                        treatMissingData: "notBreaching",
                    });
                    expect(alarm.inputs.dimensions).to.deep.equal({ Region: region });
                    // No metric math and no percentile: Route 53 refuses CloudWatch-alarm health checks on those.
                    expect(alarm.inputs.metricQueries).to.equal(undefined);
                    expect(alarm.inputs.extendedStatistic).to.equal(undefined);
                });

                it("completes PENDING receipts with its own finisher, whose failures land in the DLQ and page", () => {
                    const finisher = child("aws:lambda/function:Function", "finisher");
                    expect(finisher.inputs.name).to.match(new RegExp(`^receipt-finisher-${role}-${stackName}-[a-z0-9]{6}$`));
                    expect(lambdaEnv(finisher)).to.include({ APP_REGION: region, REGION_ROLE: role, KMS_KEY_ID: keyArn });
                    expect(finisher.inputs.deadLetterConfig).to.equal(undefined);
                    const policy = policyOf(child("aws:iam/rolePolicy:RolePolicy", "finisher-policy"));
                    const bySid = Object.fromEntries(policy.Statement.map((st) => [st.Sid, st]));
                    const tableArn = bySid.CompleteTransactions.Resource;
                    expect(regionOfArn(tableArn)).to.equal(region);
                    expect(bySid.ReadTableStream.Resource).to.equal(`${tableArn}/stream/*`);
                    expect(bySid.CompleteTransactions.Action).to.deep.equal(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
                    expect(bySid.OnFailureQueue.Resource).to.equal(child("aws:sqs/queue:Queue", "dlq").state.arn);
                    // A receipt PENDING past the configured age: the stream records waiting for the finisher.
                    const pending = child("aws:cloudwatch/metricAlarm:MetricAlarm", "receipt-pending");
                    expect(pending.inputs).to.include({ namespace: "AWS/Lambda", metricName: "IteratorAge", statistic: "Maximum", threshold: 5 * 60_000 });
                    expect(pending.inputs.dimensions).to.deep.equal({ FunctionName: finisher.inputs.name });
                    const dlqAlarm = child("aws:cloudwatch/metricAlarm:MetricAlarm", "dlq-messages");
                    expect(dlqAlarm.inputs.dimensions).to.deep.equal({ QueueName: child("aws:sqs/queue:Queue", "dlq").inputs.name });
                });

                it("alarms on Lambda, API and DLQ metrics with the right dimensions, all to this region's topic", () => {
                    const topicArn = child("aws:sns/topic:Topic", "alerts").state.arn;
                    expect(regionOfArn(topicArn)).to.equal(region);
                    // The payment signal's share alarms (Average) are tested in tests/payment-signal.test.ts; here the paging counts.
                    const all = children.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
                    const alarms = all.filter((a) => !/^payments-(api-5xx|lambda-)/.test(a.inputs.name));
                    expect(all.length - alarms.length).to.equal(3);
                    const byMetric = Object.fromEntries(alarms.map((a) => [`${a.inputs.namespace}/${a.inputs.metricName}`, a]));
                    expect(Object.keys(byMetric)).to.have.members([
                        "AWS/Lambda/Errors",
                        "AWS/Lambda/Throttles",
                        "AWS/Lambda/Duration",
                        "AWS/ApiGateway/5xx",
                        "AWS/ApiGateway/Latency",
                        "AWS/SQS/ApproximateNumberOfMessagesVisible",
                        "PaymentsDR/PaymentFailed",
                        ...(stackName === "dev" ? ["PaymentsDR/CrossRegionConflicts"] : []),
                        "AWS/Lambda/IteratorAge",
                    ]);
                    const fnName = child("aws:lambda/function:Function", "processor").inputs.name;
                    expect(alarms.filter((a) => a.inputs.metricName === "Errors").map((a) => a.inputs.dimensions)).to.deep.equal([{ FunctionName: fnName }]);
                    expect(byMetric["AWS/Lambda/Duration"].inputs).to.include({ unit: "Milliseconds", threshold: 8000, extendedStatistic: "p99" });
                    expect(byMetric["AWS/ApiGateway/5xx"].inputs.dimensions).to.deep.equal({ ApiId: child("aws:apigatewayv2/api:Api", "api").id });
                    expect(byMetric["AWS/SQS/ApproximateNumberOfMessagesVisible"].inputs.dimensions).to.deep.equal({
                        QueueName: child("aws:sqs/queue:Queue", "dlq").inputs.name,
                    });
                    for (const alarm of all) {
                        expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([topicArn]);
                        expect(alarm.inputs.name).to.include(`-${role}-${stackName}-`);
                    }
                });

                // The committed stacks carry no alarmEmail (personal data, set as a secret): tests/secrets.test.ts
                // subscribes one and checks it stays secret.
                it("has no e-mail subscription without alarmEmail", () => {
                    const subs = children.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription");
                    expect(subs).to.deep.equal([]);
                });
            });
        }
    });
}

describe("RegionalStack warm standby (standbyProvisionedConcurrency, mocked runtime)", () => {
    it("keeps nothing warm by default: no alias, no provisioned concurrency", async () => {
        const s = await stack("prod");
        expect(ofType(s, "aws:lambda/alias:Alias")).to.deep.equal([]);
        expect(ofType(s, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig")).to.deep.equal([]);
        expect((s.outputs.capacity as { standbyScaleUpSeconds: number }).standbyScaleUpSeconds).to.equal(10);
    });

    it("keeps N environments warm in the secondary only, behind the alias both regions' APIs call", async () => {
        const s = await stackWith("prod", { standbyProvisionedConcurrency: "400" });
        const warm = ofType(s, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig");
        expect(warm.map((w) => [w.region, w.inputs.provisionedConcurrentExecutions, w.inputs.qualifier])).to.deep.equal([["us-west-2", 400, "live"]]);
        for (const [role, region] of Object.entries(REGIONS)) {
            const fn = one(s, "aws:lambda/function:Function", `${role}-processor`);
            expect(fn.inputs.publish).to.equal(true);
            const alias = one(s, "aws:lambda/alias:Alias", `${role}-processor-live`);
            expect([alias.region, alias.inputs.name, alias.inputs.functionName]).to.deep.equal([region, "live", fn.inputs.name]);
            expect(one(s, "aws:apigatewayv2/integration:Integration", `${role}-processor-integration`).inputs.integrationUri).to.equal(alias.state.arn);
            expect(one(s, "aws:lambda/permission:Permission", `${role}-api-invoke`).inputs.qualifier).to.equal("live");
        }
        expect(s.outputs.capacity).to.include({ standbyWarmEnvironments: 400, standbyScaleUpSeconds: 10 });
    });
});
