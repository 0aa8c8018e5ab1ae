import { expect } from "chai";
import * as fc from "fast-check";
import { fitName, IAM_ROLE_NAME, LAMBDA_FUNCTION_NAME, NAME_LIMITS, names, REGION_ROLES, S3_BUCKET_NAME } from "../components/shared/naming";

const ctx = { envLabel: "dev", suffix: "k3x9qa" };

describe("naming", () => {
    it("keeps the names operators know, with role, environment and random suffix", () => {
        expect(names.table(ctx)).to.equal("transactions-table-dev-k3x9qa");
        expect(names.documentsBucket(ctx, "primary")).to.equal("documents-primary-dev-k3x9qa");
        expect(names.processorFunction(ctx, "secondary")).to.equal("transaction-processor-secondary-dev-k3x9qa");
        expect(names.kmsAlias(ctx, "primary")).to.equal("alias/transaction-encryption-primary-dev");
        expect(names.alertsTopic(ctx, "secondary")).to.equal("dr-alerts-secondary-dev-k3x9qa");
        expect(names.functionLogGroup(names.processorFunction(ctx, "primary"))).to.equal("/aws/lambda/transaction-processor-primary-dev-k3x9qa");
    });

    it("shortens the environment, never the role or the suffix, to fit each service's limit", () => {
        const long = { envLabel: "prod-" + "x".repeat(300), suffix: "k3x9qa" };
        const bucket = names.documentsBucket(long, "secondary");
        expect(bucket).to.have.length.at.most(NAME_LIMITS.s3Bucket);
        expect(bucket).to.match(/^documents-secondary-prod-x+-k3x9qa$/);
        expect(names.processorFunction(long, "secondary")).to.have.length.at.most(NAME_LIMITS.lambdaFunction);
        expect(names.processorFunction(long, "secondary")).to.match(/^transaction-processor-secondary-p.*-k3x9qa$/);
        expect(names.processorRole(long, "secondary")).to.have.length.at.most(NAME_LIMITS.iamRole);
        expect(names.processorDlq(long, "secondary")).to.have.length.at.most(NAME_LIMITS.sqsQueue);
        expect(names.alarm(long, "dynamodb-replication-latency", "secondary")).to.have.length.at.most(NAME_LIMITS.alarm);
        expect(names.table(long)).to.have.length.at.most(NAME_LIMITS.dynamodbTable);
    });

    it("never ends the shortened environment with a hyphen", () => {
        // 63 - "documents-secondary-".length - "-k3x9qa".length = 36 characters of environment.
        const env = "a".repeat(35) + "-b";
        expect(names.documentsBucket({ envLabel: env, suffix: "k3x9qa" }, "secondary")).to.equal(`documents-secondary-${"a".repeat(35)}-k3x9qa`);
    });

    it("produces valid S3, IAM and Lambda names for any environment label (property)", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 200 }), fc.stringMatching(/^[a-z0-9]{6}$/), fc.constantFrom(...REGION_ROLES), (env, suffix, role) => {
                const c = { envLabel: env.length === 0 ? "x" : env, suffix };
                const bucket = names.documentsBucket(c, role);
                expect(bucket).to.match(S3_BUCKET_NAME);
                expect(bucket).to.not.match(/--|\.\./);
                expect(names.processorRole(c, role)).to.match(IAM_ROLE_NAME);
                expect(names.replicationRole(c)).to.match(IAM_ROLE_NAME);
                expect(names.processorFunction(c, role)).to.match(LAMBDA_FUNCTION_NAME);
                expect(bucket.endsWith(`-${suffix}`)).to.equal(true);
            }),
            { numRuns: 500 },
        );
    });

    it("refuses a prefix that leaves no room for the environment", () => {
        expect(() => fitName("x".repeat(60), ctx, 63)).to.throw(/leaves no room/);
    });
});
