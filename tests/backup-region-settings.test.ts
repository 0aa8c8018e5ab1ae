import { BackupClient, DescribeRegionSettingsCommand } from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { advancedDynamoDbProblem, enableAdvancedDynamoDbCommand, regionSettingsProblem } from "../components/safety-net/backup-region-settings";
import { ofType, one, stack } from "./support/stacks";

const CHECK = "pulumi-nodejs:dynamic/payments-dr:BackupRegionCheck";

describe("AWS Backup's advanced DynamoDB features (issue 20: verified, with the fix, before anything deploys)", () => {
    it("passes only when DynamoDB is under AWS Backup's management in the region", () => {
        expect(advancedDynamoDbProblem("us-east-1", { ResourceTypeManagementPreference: { DynamoDB: true, EFS: true } })).to.equal(undefined);
        for (const settings of [{}, { ResourceTypeManagementPreference: { EFS: true } }, { ResourceTypeManagementPreference: { DynamoDB: false } }]) {
            const problem = advancedDynamoDbProblem("us-west-2", settings);
            expect(problem, JSON.stringify(settings)).to.match(/^AWS Backup's advanced features for Amazon DynamoDB are off in us-west-2/);
            expect(problem).to.include("`aws backup update-region-settings --region us-west-2 --resource-type-management-preference DynamoDB=true`");
        }
    });

    describe("reads the region's settings (Backup API mocked)", () => {
        let backup: ReturnType<typeof mockClient>;
        before(() => (backup = mockClient(BackupClient)));
        const client = new BackupClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
        afterEach(() => backup.reset());
        after(() => backup.restore());

        it("reports the missing setting, and nothing once it is on", async () => {
            backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeOptInPreference: { DynamoDB: true }, ResourceTypeManagementPreference: {} });
            expect(await regionSettingsProblem(client, "us-east-1")).to.include(enableAdvancedDynamoDbCommand("us-east-1"));
            backup.reset();
            backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeManagementPreference: { DynamoDB: true } });
            expect(await regionSettingsProblem(client, "us-east-1")).to.equal(undefined);
        });

        it("says which permission is missing when it cannot read them", async () => {
            backup.on(DescribeRegionSettingsCommand).rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));
            expect(await regionSettingsProblem(client, "us-east-1")).to.equal(
                "could not read AWS Backup's region settings in us-east-1 (AccessDeniedException: not authorized); the deployer needs backup:DescribeRegionSettings",
            );
        });
    });

    it("prod (backup on) checks both regions, and each region's selection waits for its check; dev (backup off) checks nothing", async () => {
        const prod = await stack("prod");
        const checks = ofType(prod, CHECK);
        expect(checks.map((c) => c.inputs.region).sort()).to.deep.equal(["us-east-1", "us-west-2"]);
        for (const [role, region] of [
            ["primary", "us-east-1"],
            ["secondary", "us-west-2"],
        ]) {
            const check = one(prod, CHECK, `backup-${role}-region-settings`);
            expect(check.inputs.region).to.equal(region);
            expect(one(prod, "aws:backup/selection:Selection", `backup-${role}-selection`).dependsOn).to.include(check.urn);
        }
        expect(ofType(await stack("dev"), CHECK)).to.deep.equal([]);
    });
});
