import { expect } from "chai";
import { REGION_SWITCH_OPERATOR_ACTIONS } from "../components/takeover/region-switch-iam";
import { ALL_RULES, evaluate } from "../policy/rules";
import { mandatory } from "../policy/rules/evaluate";
import { fromSynthesis } from "../policy/rules/view";
import { Synthesis } from "../scripts/synth/synthesize";
import { listViolations } from "./policy/support";
import { asArray, one, ofType, policyOf, stack, stackWith, lambdaEnv } from "./support/stacks";

const PLAN = "aws:arcregionswitch/plan:Plan";
const FUNCTION = "aws:lambda/function:Function";
const switchFunctions = (s: Synthesis) => ofType(s, FUNCTION).filter((f) => /^takeover-(set|clear)-/.test(f.inputs.name));

describe("ARC Region switch plan (config regionSwitchPlan, mocked runtime)", () => {
    it("is off by default: no plan, no switch functions", async () => {
        for (const name of ["dev", "prod"] as const) {
            const s = await stack(name);
            expect(ofType(s, PLAN), name).to.deep.equal([]);
            expect(switchFunctions(s), name).to.deep.equal([]);
        }
    });

    describe("when enabled", () => {
        let s: Synthesis;
        before(async () => {
            s = await stackWith("dev", { regionSwitchPlan: "true" });
        });

        it("activates the secondary (approval, then set the signal) and the primary (approval, then clear it)", () => {
            const plan = one(s, PLAN, "global-region-switch-plan");
            expect(plan.inputs).to.deep.include({ recoveryApproach: "activePassive", primaryRegion: "us-east-1", regions: ["us-east-1", "us-west-2"] });
            const operatorRole = one(s, "aws:iam/role:Role", "global-operator-role").state.arn;
            const byTarget = Object.fromEntries(plan.inputs.workflows.map((w: any) => [w.workflowTargetRegion, w]));
            for (const [region, action, regionToRun] of [
                ["us-west-2", "set", "activatingRegion"],
                ["us-east-1", "clear", "deactivatingRegion"],
            ]) {
                const workflow = byTarget[region];
                expect(workflow.workflowTargetAction).to.equal("activate");
                // No ledger: approval and the signal, nothing else.
                expect(workflow.steps).to.have.length(2);
                const [approve, lambda] = workflow.steps;
                expect(approve.executionBlockType).to.equal("ManualApproval");
                expect(approve.executionApprovalConfigs).to.deep.equal([{ approvalRole: operatorRole, timeoutMinutes: 60 }]);
                expect(lambda.executionBlockType).to.equal("CustomActionLambda");
                const config = lambda.customActionLambdaConfigs[0];
                expect(config.regionToRun).to.equal(regionToRun);
                // One function per plan region (ARC requires it); both publish in the standby region.
                const arns = config.lambdas.map((l: any) => l.arn);
                expect(arns).to.deep.equal(["primary", "secondary"].map((role) => one(s, FUNCTION, `global-region-switch-${action}-${role}`).state.arn));
                expect(arns.map((arn: string) => arn.split(":")[3])).to.deep.equal(["us-east-1", "us-west-2"]);
            }
        });

        it("runs four switch functions that publish 1 (set) or 0 (clear) to the takeover metric, with only that permission", () => {
            const signal = s.outputs.takeoverSignal as { namespace: string; metricName: string; dimensions: Record<string, string> };
            expect(switchFunctions(s)).to.have.length(4);
            for (const fn of switchFunctions(s)) {
                const action = fn.inputs.name.startsWith("takeover-set-") ? "set" : "clear";
                expect(lambdaEnv(fn).TAKEOVER_VALUE).to.equal(action === "set" ? "1" : "0");
                expect(JSON.parse(lambdaEnv(fn).TAKEOVER_SIGNAL)).to.deep.equal({
                    region: "us-west-2",
                    namespace: signal.namespace,
                    metricName: signal.metricName,
                    dimensions: signal.dimensions,
                });
                const role = fn.name.replace(/^global-region-switch-/, "");
                const policy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", `global-region-switch-${role}-policy`));
                expect(policy.Statement.flatMap((st) => asArray(st.Action)).sort()).to.deep.equal([
                    "cloudwatch:PutMetricData",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    // Active tracing: Lambda sends the traces with the function's role (issue 20).
                    "xray:PutTelemetryRecords",
                    "xray:PutTraceSegments",
                ]);
                const publish = policy.Statement.find((st) => st.Sid === "PublishTakeoverSignal")!;
                expect(publish.Condition).to.deep.equal({ StringEquals: { "cloudwatch:namespace": "PaymentsDR/Failover" } });
            }
        });

        it("gives the execution role exactly: invoke the switch functions, simulate itself, read its own plan", () => {
            const role = one(s, "aws:iam/role:Role", "global-region-switch-execution-role");
            const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement;
            expect(trust).to.have.length(1);
            expect(trust[0].Principal).to.deep.equal({ Service: "arc-region-switch.amazonaws.com" });
            const policy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", "global-region-switch-execution-policy"));
            const bySid = Object.fromEntries(policy.Statement.map((st) => [st.Sid, st]));
            expect(Object.keys(bySid).sort()).to.deep.equal(["CheckOwnPermissions", "ReadOwnPlan", "RunTakeoverSwitch"]);
            expect(bySid.RunTakeoverSwitch.Action).to.deep.equal(["lambda:GetFunction", "lambda:InvokeFunction"]);
            expect([...bySid.RunTakeoverSwitch.Resource].sort()).to.deep.equal(
                switchFunctions(s)
                    .map((f) => f.state.arn)
                    .sort(),
            );
            expect(bySid.CheckOwnPermissions.Resource).to.equal(role.state.arn);
            expect(bySid.ReadOwnPlan.Resource).to.equal(one(s, PLAN, "global-region-switch-plan").state.arn);
            expect(s.outputs.regionSwitchPlanArn).to.equal(one(s, PLAN, "global-region-switch-plan").state.arn);
        });

        it("lets the DR operator role start, approve and follow executions of this plan only", () => {
            const policy = one(s, "aws:iam/rolePolicy:RolePolicy", "global-region-switch-operator-policy");
            expect(policy.inputs.role).to.equal(one(s, "aws:iam/role:Role", "global-operator-role").inputs.name);
            expect(policyOf(policy).Statement).to.deep.equal([
                {
                    Sid: "RunRegionSwitchPlan",
                    Effect: "Allow",
                    Action: [...REGION_SWITCH_OPERATOR_ACTIONS],
                    Resource: one(s, PLAN, "global-region-switch-plan").state.arn,
                },
            ]);
        });

        it("passes every mandatory policy of the pack", async () => {
            const found = mandatory(await evaluate(fromSynthesis(s.resources), ALL_RULES));
            expect(found, listViolations(found)).to.deep.equal([]);
        });

        it("gives no ledger permissions without a ledger", () => {
            expect(s.resources.filter((r) => r.name === "global-region-switch-ledger-policy")).to.deep.equal([]);
        });
    });

    describe("with the relational ledger (regionSwitchPlan and ledger: aurora-global)", () => {
        let s: Synthesis;
        before(async () => {
            s = await stackWith("prod", { regionSwitchPlan: "true", ledger: "aurora-global" });
        });

        it("moves the ledger's writer after the takeover signal, in both workflows", () => {
            const plan = one(s, PLAN, "global-region-switch-plan");
            const globalCluster = one(s, "aws:rds/globalCluster:GlobalCluster", "ledger-database-global");
            const clusterArns = ["primary", "secondary"].map((role) => one(s, "aws:rds/cluster:Cluster", `ledger-database-${role}-cluster`).state.arn);
            expect(plan.inputs.workflows).to.have.length(2);
            for (const workflow of plan.inputs.workflows) {
                expect(workflow.steps.map((step: any) => step.executionBlockType)).to.deep.equal([
                    "ManualApproval",
                    "CustomActionLambda",
                    "AuroraGlobalDatabase",
                ]);
                const [config] = workflow.steps[2].globalAuroraConfigs;
                expect(config.globalClusterIdentifier).to.equal(globalCluster.id);
                expect(config.databaseClusterArns).to.deep.equal(clusterArns);
                expect(config).to.deep.include({ behavior: "switchoverOnly", ungracefuls: [{ ungraceful: "failover" }] });
            }
        });

        it("gives the execution role the ledger's switchover and failover calls on exactly this global database and its clusters", () => {
            const policy = one(s, "aws:iam/rolePolicy:RolePolicy", "global-region-switch-ledger-policy");
            expect(policy.inputs.role).to.equal(one(s, "aws:iam/role:Role", "global-region-switch-execution-role").id);
            const globalArn = one(s, "aws:rds/globalCluster:GlobalCluster", "ledger-database-global").state.arn;
            const clusterArns = ["primary", "secondary"].map((role) => one(s, "aws:rds/cluster:Cluster", `ledger-database-${role}-cluster`).state.arn);
            expect(policyOf(policy).Statement).to.deep.equal([
                { Sid: "ReadLedgerGlobalCluster", Effect: "Allow", Action: "rds:DescribeGlobalClusters", Resource: globalArn },
                { Sid: "ReadLedgerClusters", Effect: "Allow", Action: "rds:DescribeDBClusters", Resource: clusterArns },
                {
                    Sid: "MoveLedgerWriter",
                    Effect: "Allow",
                    Action: ["rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster"],
                    Resource: [globalArn, ...clusterArns],
                },
            ]);
            expect(s.outputs.regionSwitchPlanArn).to.equal(one(s, PLAN, "global-region-switch-plan").state.arn);
        });

        it("passes every mandatory policy of the pack", async () => {
            const found = mandatory(await evaluate(fromSynthesis(s.resources), ALL_RULES));
            expect(found, listViolations(found)).to.deep.equal([]);
        });
    });
});
