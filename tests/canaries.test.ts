import { expect } from "chai";
import { canaryPeriodSeconds } from "../components/resilience/canary-alarm";
import { CANARY_ESBUILD_TARGET, CANARY_HANDLER, CANARY_RUNTIME } from "../components/resilience/canaries";
import { parseStackSettings } from "../program/config";
import { bundleFunction } from "../components/shared/function-bundle";
import { ALL_RULES, evaluate } from "../policy/rules";
import { mandatory } from "../policy/rules/evaluate";
import { fromSynthesis } from "../policy/rules/view";
import { fixedMonthlyCosts } from "../scripts/cost/estimate";
import { Synthesis } from "../scripts/synth/synthesize";
import { problemsOf, VALID_CONFIG } from "./support/config-problems";
import { listViolations } from "./policy/support";
import { asArray, one, ofType, policyOf, stack, stackWith } from "./support/stacks";

const CANARY = "aws:synthetics/canary:Canary";
const REGIONS = { primary: "us-east-1", secondary: "us-west-2" } as const;
const RATE_RULE = "must be empty (no canaries) or a Synthetics rate from rate(1 minute) to rate(1 hour), such as rate(5 minutes)";

describe("synthetic canaries (config canarySchedule)", () => {
    describe("config", () => {
        it("gives each schedule its alarm period: one run per period", () => {
            expect(["rate(1 minute)", "rate(5 minutes)", "rate(60 minutes)", "rate(1 hour)"].map(canaryPeriodSeconds)).to.deep.equal([60, 300, 3600, 3600]);
            expect(() => canaryPeriodSeconds("cron(0 12 * * ? *)")).to.throw(/not a rate expression/);
        });

        it("is off unless set, and takes a Synthetics rate", () => {
            expect(parseStackSettings(VALID_CONFIG).canarySchedule).to.equal(undefined);
            expect(parseStackSettings({ ...VALID_CONFIG, canarySchedule: "rate(5 minutes)" }).canarySchedule).to.equal("rate(5 minutes)");
            expect(parseStackSettings({ ...VALID_CONFIG, canarySchedule: "rate(1 hour)" }).canarySchedule).to.equal("rate(1 hour)");
        });

        for (const bad of ["rate(90 minutes)", "rate(0 minute)", "rate(1 minutes)", "cron(0 12 * * ? *)", "5m"]) {
            it(`refuses ${bad}, naming key, value and rule`, () => {
                expect(problemsOf({ canarySchedule: bad })).to.deep.equal([`\`payments-dr:canarySchedule\` is "${bad}": ${RATE_RULE}.`]);
            });
        }

        const JWT = { apiAuth: "jwt", jwtIssuer: "https://auth.acme-pay.net/", jwtAudience: "payments-api" };

        it("refuses canaries on a jwt stack without client credentials for a token, naming key, value and rule", () => {
            expect(problemsOf({ canarySchedule: "rate(5 minutes)", ...JWT })).to.deep.equal([
                '`payments-dr:canarySchedule` is "rate(5 minutes)": needs `payments-dr:canaryTokenSecret` on a jwt stack: the name of a Secrets Manager secret, in both regions, with the canaries\' OAuth client credentials (README, Synthetic canaries).',
            ]);
            expect(problemsOf({ canarySchedule: "rate(5 minutes)", canaryTokenSecret: "payments-dr/canary-client", ...JWT })).to.deep.equal([]);
        });

        it("refuses a token secret that no canary would use, or that an iam stack does not need, or that is no secret name", () => {
            expect(problemsOf({ canaryTokenSecret: "payments-dr/canary-client", ...JWT })).to.deep.equal([
                '`payments-dr:canaryTokenSecret` is "payments-dr/canary-client": is used only by canaries: set `payments-dr:canarySchedule` too, or remove it (`pulumi config rm canaryTokenSecret`).',
            ]);
            expect(problemsOf({ canaryTokenSecret: "payments-dr/canary-client", canarySchedule: "rate(5 minutes)" })).to.deep.equal([
                '`payments-dr:canaryTokenSecret` is "payments-dr/canary-client": is for jwt stacks: with `payments-dr:apiAuth` iam the canaries sign with their own role; remove it (`pulumi config rm canaryTokenSecret`).',
            ]);
            expect(problemsOf({ canaryTokenSecret: "has space", canarySchedule: "rate(5 minutes)", ...JWT })).to.deep.equal([
                '`payments-dr:canaryTokenSecret` is "has space": must be a Secrets Manager secret name: 1 to 512 letters, digits and /_+=.@-.',
            ]);
        });

        it("is off in both committed stacks: no canary, no artifacts bucket, no output", async () => {
            for (const name of ["dev", "prod"] as const) {
                const s = await stack(name);
                expect(ofType(s, CANARY), name).to.deep.equal([]);
                expect(
                    s.resources.filter((r) => r.name.startsWith("canaries")),
                    name,
                ).to.deep.equal([]);
                expect(s.outputs.canaryNames, name).to.equal(undefined);
            }
        });
    });

    for (const [stackName, overrides, withFailover] of [
        ["dev", { canarySchedule: "rate(5 minutes)" }, false],
        ["prod", { canarySchedule: "rate(5 minutes)", apiAuth: "iam", jwtIssuer: undefined, jwtAudience: undefined, tenantClaim: undefined }, true],
    ] as const) {
        describe(`when enabled (${stackName}: ${withFailover ? "HTTPS on the failover name" : "DNS-only failover name"})`, () => {
            let s: Synthesis;
            before(async () => {
                s = await stackWith(stackName, overrides);
            });

            it(`runs the journey against each regional name${withFailover ? " and, from the standby region, the failover name" : " (the DNS-only failover name cannot serve HTTPS)"}`, () => {
                const canaries = ofType(s, CANARY);
                const byId = Object.fromEntries(canaries.map((c) => [c.name.replace(/^canaries-/, ""), c]));
                expect(Object.keys(byId).sort()).to.deep.equal(withFailover ? ["failover", "primary", "secondary"] : ["primary", "secondary"]);
                for (const role of ["primary", "secondary"] as const) {
                    // The host Route 53 probes: the regional name with HTTPS on it, else the region's execute-api host.
                    const host = one(s, "aws:route53/healthCheck:HealthCheck", `global-${role}-health`).inputs.fqdn;
                    expect(host).to.equal(
                        withFailover
                            ? `${role}.api.payments-dr.acme-pay.net`
                            : one(s, "aws:apigatewayv2/api:Api", `${role}-api`).state.apiEndpoint.replace(/^https:\/\//, ""),
                    );
                    expect(byId[role].region).to.equal(REGIONS[role]);
                    expect(byId[role].inputs.runConfig.environmentVariables).to.deep.equal({
                        CANARY_BASE_URL: `https://${host}`,
                        CANARY_SIGNING_REGION: REGIONS[role],
                    });
                }
                if (withFailover) {
                    expect(byId.failover.region).to.equal("us-west-2");
                    // The failover canary signs for the region of the role /health reports (the body names no region).
                    expect(byId.failover.inputs.runConfig.environmentVariables).to.deep.equal({
                        CANARY_BASE_URL: s.outputs.failoverUrl,
                        CANARY_REGIONS: JSON.stringify(REGIONS),
                    });
                }
                for (const canary of canaries) {
                    expect(canary.inputs).to.deep.include({
                        runtimeVersion: CANARY_RUNTIME,
                        handler: CANARY_HANDLER,
                        schedule: { expression: "rate(5 minutes)" },
                    });
                    expect(canary.inputs.name).to.match(/^[a-z0-9_-]+$/);
                }
                expect(s.outputs.canaryNames).to.deep.equal(Object.fromEntries(canaries.map((c) => [c.name.replace(/^canaries-/, ""), c.inputs.name])));
            });

            it("pages on every canary: SuccessPercent (CloudWatchSynthetics, CanaryName) below 100 for 2 runs in a row, to the topic of the region that runs it", () => {
                const canaries = ofType(s, CANARY);
                expect(ofType(s, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "CloudWatchSynthetics")).to.have.length(
                    canaries.length,
                );
                for (const canary of canaries) {
                    const id = canary.name.replace(/^canaries-/, "");
                    const alarm = one(s, "aws:cloudwatch/metricAlarm:MetricAlarm", `canaries-${id}-alarm`);
                    expect(alarm.region, id).to.equal(canary.region);
                    expect(alarm.inputs).to.deep.include({
                        namespace: "CloudWatchSynthetics",
                        metricName: "SuccessPercent",
                        dimensions: { CanaryName: canary.inputs.name },
                        statistic: "Average",
                        unit: "Percent",
                        comparisonOperator: "LessThanThreshold",
                        threshold: 100,
                        period: 300,
                        evaluationPeriods: 2,
                        datapointsToAlarm: 2,
                        treatMissingData: "breaching",
                    });
                    const role = canary.region === REGIONS.primary ? "primary" : "secondary";
                    expect(alarm.inputs.alarmActions).to.deep.equal([one(s, "aws:sns/topic:Topic", `${role}-alerts`).state.arn]);
                }
            });

            it("deploys the bundled journey as nodejs/node_modules/canary.js, in each region's artifacts bucket", async () => {
                for (const canary of ofType(s, CANARY)) {
                    const role = canary.region === "us-east-1" ? "primary" : "secondary";
                    const bucket = one(s, "aws:s3/bucket:Bucket", `canaries-${role}-artifacts`);
                    const code = one(s, "aws:s3/bucketObjectv2:BucketObjectv2", `canaries-${role}-code`);
                    expect(canary.inputs.s3Bucket).to.equal(bucket.id);
                    expect(canary.inputs.s3Key).to.equal(code.inputs.key);
                    expect(canary.inputs.artifactS3Location).to.equal(`s3://${bucket.id}/canary/`);
                    expect(canary.inputs.artifactConfig).to.deep.equal({
                        s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: one(s, "aws:kms/key:Key", `${role}-key`).state.arn },
                    });
                    // The archive Pulumi zips: its assets (and each asset's text) are promises in the mocked runtime.
                    const assets = (await code.inputs.source.assets) as Record<string, { text: Promise<string> }>;
                    expect(Object.keys(assets)).to.deep.equal(["nodejs/node_modules/canary.js"]);
                    expect(await assets["nodejs/node_modules/canary.js"].text).to.equal(bundleFunction("canary", CANARY_ESBUILD_TARGET).code);
                    expect(code.inputs.key).to.equal(`code/canary-${bundleFunction("canary", CANARY_ESBUILD_TARGET).sha256.slice(0, 16)}.zip`);
                }
            });

            it("keeps the artifacts on the region's key, private, TLS-only and for 30 days", () => {
                for (const role of ["primary", "secondary"] as const) {
                    const bucket = one(s, "aws:s3/bucket:Bucket", `canaries-${role}-artifacts`);
                    expect(bucket.region).to.equal(REGIONS[role]);
                    const sse = one(
                        s,
                        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                        `canaries-${role}-artifacts-encryption`,
                    );
                    expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({
                        sseAlgorithm: "aws:kms",
                        kmsMasterKeyId: one(s, "aws:kms/key:Key", `${role}-key`).state.arn,
                    });
                    expect(one(s, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `canaries-${role}-artifacts-public-access`).inputs).to.deep.include(
                        {
                            blockPublicAcls: true,
                            blockPublicPolicy: true,
                            ignorePublicAcls: true,
                            restrictPublicBuckets: true,
                        },
                    );
                    const lifecycle = one(s, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `canaries-${role}-artifacts-lifecycle`);
                    expect(lifecycle.inputs.rules[0].expiration).to.deep.equal({ days: 30 });
                    const tls = policyOf(one(s, "aws:s3/bucketPolicy:BucketPolicy", `canaries-${role}-artifacts-policy`)).Statement;
                    expect(tls.some((st) => st.Effect === "Deny" && JSON.stringify(st.Condition).includes("aws:SecureTransport"))).to.equal(true);
                }
            });

            it("signs as its own tenant (payments-tenant-canary-…), allowed its artifacts, its logs, Synthetics metrics and exactly the journey's routes", () => {
                const role = one(s, "aws:iam/role:Role", "canaries-role");
                expect(role.inputs.name).to.match(new RegExp(`^payments-tenant-canary-${stackName}-[a-z0-9]+$`));
                expect(role.inputs.name.replace(/^payments-tenant-/, "")).to.match(/^[A-Za-z0-9_-]{1,48}$/);
                expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "lambda.amazonaws.com" });
                const bySid: Record<string, any> = Object.fromEntries(
                    policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "canaries-policy")).Statement.map((st) => [st.Sid, st]),
                );
                const buckets = (["primary", "secondary"] as const).map((r) => one(s, "aws:s3/bucket:Bucket", `canaries-${r}-artifacts`).state.arn);
                expect(bySid.WriteArtifacts.Resource).to.deep.equal(buckets.map((b) => `${b}/canary/*`));
                expect(bySid.LocateArtifactsBuckets.Resource).to.deep.equal(buckets);
                const apis = (["primary", "secondary"] as const).map((r) => one(s, "aws:apigatewayv2/api:Api", `${r}-api`).state.executionArn);
                expect(bySid.CallTheJourney).to.deep.include({
                    Action: "execute-api:Invoke",
                    Resource: apis.flatMap((a) => [`${a}/*/POST/transactions`, `${a}/*/GET/transactions/*`]),
                });
                expect(bySid.PublishRunMetrics.Condition).to.deep.equal({ StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } });
                const names = s.outputs.canaryNames as Record<string, string>;
                expect([...bySid.WriteCanaryLogs.Resource].sort()).to.deep.equal(
                    ofType(s, CANARY)
                        // The first 21 characters of the name: all of it that fits a 64-character Lambda function name.
                        .map(
                            (c) => `arn:aws:logs:${c.region}:123456789012:log-group:/aws/lambda/cwsyn-${names[c.name.replace(/^canaries-/, "")].slice(0, 21)}*`,
                        )
                        .sort(),
                );
                for (const st of Object.values(bySid)) {
                    if (st.Sid.startsWith("EncryptArtifacts")) {
                        expect(st.Condition.StringEquals["kms:ViaService"]).to.match(/^s3\.us-(east-1|west-2)\.amazonaws\.com$/);
                    }
                }
                const wildcard = Object.values(bySid)
                    .filter((st) => asArray(st.Resource).includes("*"))
                    .flatMap((st) => asArray(st.Action));
                expect(wildcard.sort()).to.deep.equal(["cloudwatch:PutMetricData", "s3:ListAllMyBuckets"]);
            });

            it(`costs ${withFailover ? "3" : "2"} canaries × 8,760 runs a month in the estimate`, () => {
                const runs = fixedMonthlyCosts(s.resources).find((l) => l.item === "Synthetics canary runs");
                expect(runs?.quantity).to.equal((withFailover ? 3 : 2) * 8760);
            });

            it("passes every mandatory policy of the pack", async () => {
                const found = mandatory(await evaluate(fromSynthesis(s.resources), ALL_RULES));
                expect(found, listViolations(found)).to.deep.equal([]);
            });
        });
    }

    describe("when enabled on a jwt stack (prod, committed auth) with a token secret", () => {
        let s: Synthesis;
        before(async () => {
            s = await stackWith("prod", { canarySchedule: "rate(5 minutes)", canaryTokenSecret: "payments-dr/canary-client" });
        });

        it("runs all three canaries with a bearer token from the secret, each reading the secret of its own region", () => {
            const canaries = ofType(s, CANARY);
            expect(canaries.map((c) => c.name).sort()).to.deep.equal(["canaries-failover", "canaries-primary", "canaries-secondary"]);
            for (const canary of canaries) {
                expect(canary.inputs.runConfig.environmentVariables).to.deep.include({ CANARY_AUTH: "jwt", CANARY_TOKEN_SECRET: "payments-dr/canary-client" });
            }
        });

        it("may read exactly that secret in each region (and decrypt it through Secrets Manager), and may not invoke the API with IAM", async () => {
            const bySid: Record<string, any> = Object.fromEntries(
                policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "canaries-policy")).Statement.map((st) => [st.Sid, st]),
            );
            expect(bySid.ReadTokenClientCredentials).to.deep.include({
                Action: "secretsmanager:GetSecretValue",
                Resource: [
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments-dr/canary-client-??????",
                    "arn:aws:secretsmanager:us-west-2:123456789012:secret:payments-dr/canary-client-??????",
                ],
            });
            expect(bySid.DecryptTokenSecretuseast1).to.deep.include({
                Action: "kms:Decrypt",
                Resource: one(s, "aws:kms/key:Key", "primary-key").state.arn,
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
            });
            expect(bySid.CallTheJourney).to.equal(undefined);
            const found = mandatory(await evaluate(fromSynthesis(s.resources), ALL_RULES));
            expect(found, listViolations(found)).to.deep.equal([]);
        });
    });
});
