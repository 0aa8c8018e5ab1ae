import { expect } from "chai";
import {
    alarmActionsSameRegionSns,
    REGIONAL_ALARMS,
    regionalAlarmCoverage,
    replicationAlarmDimensions,
    route53AlarmsInUsEast1,
    route53FailoverPair,
    s3ReplicationAlarmed,
} from "../../policy/rules/monitoring";
import { ResourceView } from "../../policy/rules/view";
import { ACCOUNT, EAST, KEY_WEST, messages, view, WEST } from "./support";

const topic = (region: string) => `arn:aws:sns:${region}:${ACCOUNT}:dr-alerts`;
let alarmCount = 0;
const alarm = (region: string, namespace: string, metricName: string, dimensions: Record<string, string> = {}, props: Record<string, unknown> = {}) =>
    view({
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        name: `alarm-${++alarmCount}`,
        region,
        props: { namespace, metricName, dimensions, alarmActions: [topic(region)], okActions: [topic(region)], ...props },
    });

describe("policy: monitoring and failover", () => {
    describe("alarm-actions-same-region-sns", () => {
        it("flags a topic from another region, a non-SNS action and an alarm without actions", async () => {
            const found = await messages(
                alarmActionsSameRegionSns,
                alarm(WEST, "AWS/Lambda", "Errors", {}, { alarmActions: [topic(EAST)], okActions: [] }),
                alarm(EAST, "AWS/Lambda", "Errors", {}, { okActions: ["arn:aws:automate:us-east-1:ec2:stop"] }),
                alarm(EAST, "AWS/Lambda", "Errors", {}, { alarmActions: [] }),
            );
            expect(found).to.have.length(3);
            expect(found[0]).to.contain("is a topic in us-east-1");
        });

        it("passes topics in the alarm's own region", async () => {
            expect(await messages(alarmActionsSameRegionSns, alarm(EAST, "AWS/Lambda", "Errors"), alarm(WEST, "AWS/Lambda", "Errors"))).to.deep.equal([]);
        });
    });

    describe("route53-alarms-in-us-east-1", () => {
        it("flags a health-check alarm in us-west-2; passes us-east-1", async () => {
            expect(await messages(route53AlarmsInUsEast1, alarm(WEST, "AWS/Route53", "HealthCheckStatus", { HealthCheckId: "hc" }))).to.have.length(1);
            expect(await messages(route53AlarmsInUsEast1, alarm(EAST, "AWS/Route53", "HealthCheckStatus", { HealthCheckId: "hc" }))).to.deep.equal([]);
        });
    });

    describe("route53-failover-pair", () => {
        const check = (name: string, props: Record<string, unknown> = { type: "HTTPS", resourcePath: "/health" }) =>
            view({ type: "aws:route53/healthCheck:HealthCheck", name, region: EAST, id: `${name}-id`, props });
        const record = (failover: string, props: Record<string, unknown> = {}) =>
            view({
                type: "aws:route53/record:Record",
                name: `failover-${failover.toLowerCase()}`,
                region: EAST,
                props: {
                    zoneId: "Z1",
                    name: "api.payments.acme-pay.net",
                    type: "A",
                    setIdentifier: failover.toLowerCase(),
                    failoverRoutingPolicies: [{ type: failover }],
                    healthCheckId: `${failover.toLowerCase()}-hc-id`,
                    aliases: [{ name: "d-1.execute-api.us-east-1.amazonaws.com", zoneId: "ZR", evaluateTargetHealth: true }],
                    ...props,
                },
            });
        const checks = [check("primary-hc"), check("secondary-hc")];

        it("flags a stack without a failover pair", async () => {
            expect(await messages(route53FailoverPair, ...checks)).to.have.length(1);
        });

        it("flags two PRIMARY records, a shared setIdentifier and a record without health check", async () => {
            expect((await messages(route53FailoverPair, record("PRIMARY"), record("PRIMARY", { setIdentifier: "other" })))[0]).to.contain(
                "2 PRIMARY and 0 SECONDARY",
            );
            const found = await messages(
                route53FailoverPair,
                record("PRIMARY", { setIdentifier: "same" }),
                record("SECONDARY", { setIdentifier: "same", healthCheckId: undefined }),
            );
            expect(found.join("\n")).to.contain("share a `setIdentifier`").and.contain("has no `healthCheckId`");
        });

        it("flags a TTL above 60 s, placeholder IPs and a childless CALCULATED health check", async () => {
            const cname = { aliases: undefined, ttl: 300, records: ["203.0.113.10"] };
            const calculated = check("primary-hc", { type: "CALCULATED", childHealthchecks: [] });
            const found = await messages(route53FailoverPair, calculated, checks[1], record("PRIMARY", cname), record("SECONDARY"));
            expect(found).to.have.length(3);
        });

        it("passes a PRIMARY/SECONDARY pair with health checks", async () => {
            expect(await messages(route53FailoverPair, ...checks, record("PRIMARY"), record("SECONDARY"))).to.deep.equal([]);
        });
    });

    describe("regional-alarm-coverage", () => {
        const TABLE = "transactions-table-dev-abc";
        const fn = (region: string) => view({ type: "aws:lambda/function:Function", name: `fn-${region}`, region, props: { name: `fn-${region}` } });
        const table = view({
            type: "aws:dynamodb/table:Table",
            name: "table",
            region: EAST,
            props: { name: TABLE, replicas: [{ regionName: WEST, kmsKeyArn: KEY_WEST }] },
        });
        const fullSet = (region: string): ResourceView[] =>
            REGIONAL_ALARMS.map((a) => alarm(region, a.namespace, a.metrics[0], a.dimensions ? { TableName: TABLE } : {}));
        const replicationLatency = alarm(EAST, "AWS/DynamoDB", "ReplicationLatency", { TableName: TABLE, ReceivingRegion: WEST });

        it("flags a region without the DynamoDB throttle alarms, and a home region without ReplicationLatency", async () => {
            const partial = fullSet(WEST).filter((a) => a.props.namespace !== "AWS/DynamoDB");
            const found = await messages(regionalAlarmCoverage, fn(EAST), fn(WEST), table, ...fullSet(EAST), ...partial);
            expect(found).to.deep.equal([
                "region us-west-2 runs the application but has no alarm on AWS/DynamoDB WriteThrottleEvents.",
                "region us-west-2 runs the application but has no alarm on AWS/DynamoDB ReadThrottleEvents.",
                `table table (home us-east-1) has no ReplicationLatency alarm in us-east-1 with dimensions TableName and ReceivingRegion=us-west-2: replication lag to that replica would go unnoticed.`,
            ]);
        });

        it("flags throttle alarms without TableName, or on a table the stack does not have", async () => {
            const noDims = fullSet(EAST).map((a) => (a.props.namespace === "AWS/DynamoDB" ? alarm(EAST, "AWS/DynamoDB", String(a.props.metricName)) : a));
            expect(await messages(regionalAlarmCoverage, fn(EAST), ...noDims)).to.have.length(2);
            const typo = fullSet(EAST).map((a) =>
                a.props.namespace === "AWS/DynamoDB" ? alarm(EAST, "AWS/DynamoDB", String(a.props.metricName), { TableName: "transactions" }) : a,
            );
            expect(await messages(regionalAlarmCoverage, fn(EAST), table, replicationLatency, ...typo)).to.have.length(2);
        });

        it("passes the full set in every app region plus ReplicationLatency in the home region", async () => {
            expect(await messages(regionalAlarmCoverage, fn(EAST), fn(WEST), table, replicationLatency, ...fullSet(EAST), ...fullSet(WEST))).to.deep.equal([]);
        });
    });

    describe("replication-alarm-dimensions", () => {
        const replication = view({
            type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            name: "replication",
            region: EAST,
            props: { bucket: "docs-primary", rules: [{ id: "primary-to-secondary", destination: { bucket: "arn:aws:s3:::docs-secondary" } }] },
        });
        const s3Alarm = (dims: Record<string, string>) => alarm(EAST, "AWS/S3", "ReplicationLatency", dims);
        const good = { SourceBucket: "docs-primary", DestinationBucket: "docs-secondary", RuleId: "primary-to-secondary" };

        it("flags a made-up RuleId, a missing dimension, and ReplicationLatency without ReceivingRegion", async () => {
            expect((await messages(replicationAlarmDimensions, replication, s3Alarm({ ...good, RuleId: "rule-1" })))[0]).to.contain(
                'RuleId "rule-1" is not the id',
            );
            expect(
                await messages(replicationAlarmDimensions, replication, s3Alarm({ SourceBucket: "docs-primary", RuleId: "primary-to-secondary" })),
            ).to.have.length(1);
            expect(await messages(replicationAlarmDimensions, alarm(EAST, "AWS/DynamoDB", "ReplicationLatency", { TableName: "t" }))).to.have.length(1);
            expect(await messages(replicationAlarmDimensions, replication, s3Alarm({ ...good, DestinationBucket: "docs-elsewhere" }))).to.have.length(1);
        });

        it("passes the real rule's id and buckets", async () => {
            expect(
                await messages(
                    replicationAlarmDimensions,
                    replication,
                    s3Alarm(good),
                    alarm(EAST, "AWS/DynamoDB", "ReplicationLatency", { TableName: "t", ReceivingRegion: WEST }),
                ),
            ).to.deep.equal([]);
        });

        it("s3-replication-alarmed (advisory): flags an unwatched rule, passes a watched one", async () => {
            expect(await messages(s3ReplicationAlarmed, replication)).to.have.length(1);
            expect(await messages(s3ReplicationAlarmed, replication, s3Alarm(good))).to.deep.equal([]);
        });
    });
});
