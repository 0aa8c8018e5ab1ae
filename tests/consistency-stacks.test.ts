import { expect } from "chai";
import { computeRecoveryObjectives } from "../program/objectives";
import { parseStackSettings } from "../program/config";
import { CROSS_REGION_CONFLICT_METRIC } from "../contracts/payment-metrics";
import { VALID_CONFIG as VALID } from "./support/config-problems";
import { ofType, one, stack, stackWith, lambdaEnv } from "./support/stacks";

const TABLE = "aws:dynamodb/table:Table";

describe("the transactions table's consistency (mocked runtime)", () => {
    it("prod: a multi-Region strong consistency table, replica in us-west-2 with its own key and PITR, witness in us-east-2, no TTL", async () => {
        const s = await stack("prod");
        const [table] = ofType(s, TABLE);
        expect(table.region).to.equal("us-east-1");
        expect(table.inputs.globalTableWitness).to.deep.equal({ regionName: "us-east-2" });
        expect(table.inputs.ttl).to.equal(undefined);
        expect(table.inputs.pointInTimeRecovery).to.deep.equal({ enabled: true });
        expect(table.inputs.localSecondaryIndexes ?? []).to.deep.equal([]);
        const secondaryKey = one(s, "aws:kms/key:Key", "secondary-key").state.arn;
        const primaryKey = one(s, "aws:kms/key:Key", "primary-key").state.arn;
        expect(table.inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: primaryKey });
        expect(table.inputs.replicas).to.have.length(1);
        expect(table.inputs.replicas[0]).to.deep.include({
            regionName: "us-west-2",
            consistencyMode: "STRONG",
            kmsKeyArn: secondaryKey,
            pointInTimeRecovery: true,
        });
        expect(secondaryKey.split(":")[3]).to.equal("us-west-2");
        for (const fn of ofType(s, "aws:lambda/function:Function").filter((f) => f.name.endsWith("-processor"))) {
            expect(lambdaEnv(fn).CONSISTENCY_MODE).to.equal("strong");
        }
        const conflictAlarms = ofType(s, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.metricName === CROSS_REGION_CONFLICT_METRIC);
        expect(conflictAlarms).to.have.length(0);
    });

    it("dev: an eventually consistent table (TTL, no witness), a version-writing processor and a conflict alarm per Region", async () => {
        const s = await stack("dev");
        const [table] = ofType(s, TABLE);
        expect(table.inputs.globalTableWitness).to.equal(undefined);
        expect(table.inputs.ttl).to.deep.equal({ attributeName: "expiresAt", enabled: true });
        expect(table.inputs.replicas[0].consistencyMode).to.equal(undefined);
        expect(table.inputs.replicas[0].pointInTimeRecovery).to.equal(true);
        for (const fn of ofType(s, "aws:lambda/function:Function").filter((f) => f.name.endsWith("-processor"))) {
            expect(lambdaEnv(fn).CONSISTENCY_MODE).to.equal("eventual");
        }
        const alarms = ofType(s, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.metricName === CROSS_REGION_CONFLICT_METRIC);
        expect(alarms.map((a) => a.region).sort()).to.deep.equal(["us-east-1", "us-west-2"]);
        for (const alarm of alarms) {
            expect(alarm.inputs).to.deep.include({
                namespace: "PaymentsDR",
                statistic: "Sum",
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
            });
            expect(alarm.inputs.dimensions).to.deep.equal({ TableName: table.inputs.name });
            expect(alarm.inputs.alarmActions).to.have.length(1);
        }
    });

    it("follows the witness the stack names, and eventual mode in prod drops the witness", async () => {
        const eu = await stackWith("prod", {
            primaryRegion: "eu-west-1",
            secondaryRegion: "eu-central-1",
            witnessRegion: "eu-west-3",
        });
        expect(ofType(eu, TABLE)[0].inputs.globalTableWitness).to.deep.equal({ regionName: "eu-west-3" });
        const eventual = await stackWith("prod", { consistency: "eventual", witnessRegion: undefined, tableWarmWriteUnits: "30000" });
        expect(ofType(eventual, TABLE)[0].inputs.globalTableWitness).to.equal(undefined);
        expect(ofType(eventual, TABLE)[0].inputs.replicas[0].consistencyMode).to.equal(undefined);
    });

    it("lets the processor Query a transaction's partition, and nothing transactional", async () => {
        const s = await stack("prod");
        for (const policy of ofType(s, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.endsWith("-processor-policy"))) {
            const actions = JSON.parse(policy.inputs.policy).Statement.flatMap((st: { Action: string | string[] }) => [st.Action].flat());
            expect(actions).to.include("dynamodb:Query");
            expect(actions.filter((a: string) => /Transact/.test(a))).to.deep.equal([]);
        }
    });
});

describe("recovery objectives by consistency mode", () => {
    it("states RPO 0 for transactions in strong mode and the replication alarm bound in eventual mode", () => {
        const strong = computeRecoveryObjectives(parseStackSettings({ ...VALID, environment: "prod", targetTps: "100" }));
        expect(strong.rpo[0]).to.include({ worstCaseSeconds: 0 });
        expect(strong.rpo[0].basis).to.contain("witness us-east-2");
        expect(strong.problems.filter((problem) => problem.includes("DynamoDB"))).to.deep.equal([]);
        const eventual = computeRecoveryObjectives(parseStackSettings(VALID));
        expect(eventual.rpo[0]).to.include({ worstCaseSeconds: 60 });
    });
});
