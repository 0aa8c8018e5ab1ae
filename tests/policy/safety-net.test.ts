import { expect } from "chai";
import { iamRoleTrustsItsService } from "../../policy/rules/iam";
import { backupPlanCopiesToOtherRegion, backupVaultCmk, cloudTrailLogIntegrity, prodLogGroupsArchived } from "../../policy/rules/safety-net";
import { ACCOUNT, doc, EAST, KEY_EAST, KEY_WEST, messages, view, WEST } from "./support";

const VAULT_WEST = `arn:aws:backup:${WEST}:${ACCOUNT}:backup-vault:payments-dr-secondary-prod-abc123`;
const VAULT_EAST = `arn:aws:backup:${EAST}:${ACCOUNT}:backup-vault:payments-dr-primary-prod-abc123`;

describe("policy: safety net", () => {
    describe("backup-vault-cmk-encryption", () => {
        const vault = (kmsKeyArn?: string) => view({ type: "aws:backup/vault:Vault", region: EAST, props: { name: "v", kmsKeyArn } });

        it("flags a vault on AWS's default key, and one keyed from another region", async () => {
            expect(await messages(backupVaultCmk, vault())).to.deep.equal([
                "`kmsKeyArn`: no customer-managed key is set; without it AWS Backup uses an AWS-managed key.",
            ]);
            const [found] = await messages(backupVaultCmk, vault(KEY_WEST));
            expect(found).to.contain(`is in ${WEST}, but the resource is in ${EAST}`);
        });

        it("passes a vault on its region's customer-managed key", async () => {
            expect(await messages(backupVaultCmk, vault(KEY_EAST))).to.deep.equal([]);
        });
    });

    describe("backup-plan-copies-to-other-region", () => {
        const plan = (...copyTargets: string[]) =>
            view({
                type: "aws:backup/plan:Plan",
                name: "plan",
                region: EAST,
                props: {
                    rules: [
                        { ruleName: "hourly", targetVaultName: "v" },
                        { ruleName: "daily", targetVaultName: "v", copyActions: copyTargets.map((destinationVaultArn) => ({ destinationVaultArn })) },
                    ],
                },
            });

        it("flags a plan that copies nowhere, or only within its own region", async () => {
            expect(await messages(backupPlanCopiesToOtherRegion, plan())).to.deep.equal([
                "backup plan plan (us-east-1) copies to no other vault: add a `copyActions` entry whose `destinationVaultArn` is a vault in the other region, or a regional outage takes every recovery point with it.",
            ]);
            expect(await messages(backupPlanCopiesToOtherRegion, plan(VAULT_EAST))).to.have.length(1);
        });

        it("passes a plan whose daily rule copies to the other region's vault", async () => {
            expect(await messages(backupPlanCopiesToOtherRegion, plan(VAULT_WEST))).to.deep.equal([]);
        });
    });

    describe("cloudtrail-log-integrity", () => {
        const trail = (props: Record<string, unknown>) =>
            view({ type: "aws:cloudtrail/trail:Trail", name: "trail", region: EAST, props: { enableLogFileValidation: true, kmsKeyId: KEY_EAST, ...props } });

        it("flags a trail without log file validation, and one without a key or on another region's key", async () => {
            expect(await messages(cloudTrailLogIntegrity, trail({ enableLogFileValidation: false }))).to.deep.equal([
                "trail without `enableLogFileValidation: true`: a deleted or rewritten log file would go unnoticed (no digest files).",
            ]);
            expect(await messages(cloudTrailLogIntegrity, trail({ kmsKeyId: undefined }))).to.deep.equal([
                "`kmsKeyId`: no customer-managed key is set; the log files would not be on the stack's key.",
            ]);
            expect(await messages(cloudTrailLogIntegrity, trail({ kmsKeyId: KEY_WEST }))).to.have.length(1);
        });

        it("passes a validated trail on its region's key", async () => {
            expect(await messages(cloudTrailLogIntegrity, trail({}))).to.deep.equal([]);
        });
    });

    describe("prod-log-groups-archived", () => {
        const group = (name: string, environment = "prod", region = EAST) =>
            view({ type: "aws:cloudwatch/logGroup:LogGroup", name, environment, region, props: { name } });
        const filter = (logGroup: string, region = EAST) =>
            view({ type: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", name: `f-${logGroup}`, region, props: { logGroup } });

        it("flags a prod log group without a subscription filter, and one whose filter is in another region", async () => {
            const found = await messages(prodLogGroupsArchived, group("/aws/lambda/health"), group("/aws/lambda/sweeper"), filter("/aws/lambda/sweeper", WEST));
            expect(found).to.have.length(2);
            expect(found[0]).to.equal(
                "prod log group /aws/lambda/health (us-east-1) has no subscription filter: its logs are not archived in the other region. " +
                    "Create it under a RegionalStack (collected automatically) or add it to the log archive's list.",
            );
        });

        it("passes subscribed prod log groups, and ignores dev", async () => {
            expect(
                await messages(prodLogGroupsArchived, group("/aws/lambda/health"), filter("/aws/lambda/health"), group("/aws/lambda/x", "dev")),
            ).to.deep.equal([]);
        });
    });

    describe("iam-role-trusts-its-service (backup selections and log subscriptions)", () => {
        const roleArn = `arn:aws:iam::${ACCOUNT}:role/r`;
        const role = (service: string) =>
            view({
                type: "aws:iam/role:Role",
                name: "r-role",
                props: { name: "r", arn: roleArn, assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }) },
            });
        const selection = view({ type: "aws:backup/selection:Selection", name: "selection", props: { iamRoleArn: roleArn } });
        const subscription = view({ type: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", name: "subscription", props: { roleArn } });

        it("flags a backup selection whose role trusts another service, and a subscription whose role does", async () => {
            expect(await messages(iamRoleTrustsItsService, selection, role("lambda.amazonaws.com"))).to.deep.equal([
                "selection hands role r-role to backup.amazonaws.com, but the role trusts lambda.amazonaws.com: the service cannot assume it (deploy fails or the feature silently stops). Trust backup.amazonaws.com.",
            ]);
            expect(await messages(iamRoleTrustsItsService, subscription, role("firehose.amazonaws.com"))).to.have.length(1);
        });

        it("passes roles that trust AWS Backup and CloudWatch Logs", async () => {
            expect(await messages(iamRoleTrustsItsService, selection, role("backup.amazonaws.com"))).to.deep.equal([]);
            expect(await messages(iamRoleTrustsItsService, subscription, role("logs.amazonaws.com"))).to.deep.equal([]);
        });
    });
});

describe("policy: safety net on the real prod stack (mocked runtime)", () => {
    it("catches a log group losing its subscription, and a plan losing its cross-region copy", async () => {
        const { fromSynthesis } = await import("../../policy/rules/view");
        const { stack } = await import("../support/stacks");
        const views = fromSynthesis((await stack("prod")).resources);
        expect(await messages(prodLogGroupsArchived, ...views)).to.deep.equal([]);
        expect(await messages(backupPlanCopiesToOtherRegion, ...views)).to.deep.equal([]);
        const firstFilter = views.find((v) => v.type === "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter")!;
        expect(await messages(prodLogGroupsArchived, ...views.filter((v) => v !== firstFilter))).to.have.length(1);
        const withoutCopies = views.map((v) =>
            v.type === "aws:backup/plan:Plan" ? { ...v, props: { ...v.props, rules: (v.props.rules as object[]).map((r) => ({ ...r, copyActions: [] })) } } : v,
        );
        expect(await messages(backupPlanCopiesToOtherRegion, ...withoutCopies)).to.have.length(2);
    });
});
