import { expect } from "chai";
import { accessLogFormat } from "../components/regional/access-log-format";
import { keyOnlyBucketPolicy } from "../components/shared/bucket-key-policy";
import { archiveLockRule } from "../components/safety-net/log-archive-lock";
import { OPERATOR_TAG_KEY } from "../components/global/operator-trust";
import { one, ofType, policyOf, stack, stackWith } from "./support/stacks";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/k1";

/** Whether a bucket policy's Deny statements refuse a PutObject with these SSE headers (an IAM evaluation of just them). */
function deniesUpload(policy: { Statement: any[] }, headers: Record<string, string | undefined>): boolean {
    return policy.Statement.filter((st) => st.Effect === "Deny" && st.Action === "s3:PutObject").some((st) => {
        const isNull = Object.entries(st.Condition.Null as Record<string, string>).every(
            ([key, wanted]) => (headers[key] === undefined) === (wanted === "true"),
        );
        const notEquals = Object.entries((st.Condition.StringNotEquals ?? {}) as Record<string, string>).every(
            ([key, value]) => headers[key] !== undefined && headers[key] !== value,
        );
        return isNull && notEquals;
    });
}

describe("audit: who did what, and logs nobody can rewrite", () => {
    describe("the access log names the caller", () => {
        it("jwt: the token's sub, client_id and tenant claim, and why an authorizer refused", () => {
            const format = JSON.parse(accessLogFormat({ mode: "jwt", issuer: "https://i/", audiences: ["a"], tenantClaim: "merchant_id" }));
            expect(format).to.include({
                callerSub: "$context.authorizer.claims.sub",
                callerClientId: "$context.authorizer.claims.client_id",
                tenant: "$context.authorizer.claims.merchant_id",
                authorizerError: "$context.authorizer.error",
                sourceIp: "$context.identity.sourceIp",
                status: "$context.status",
            });
            // A namespaced claim cannot be named in a $context variable: the function's line carries the tenant then.
            expect(JSON.parse(accessLogFormat({ mode: "jwt", issuer: "https://i/", audiences: ["a"], tenantClaim: "custom:merchant" }))).to.not.have.property(
                "tenant",
            );
        });

        it("iam: the role session's ARN, AROA id and account", () => {
            expect(JSON.parse(accessLogFormat({ mode: "iam" }))).to.include({
                callerArn: "$context.identity.userArn",
                callerId: "$context.identity.caller",
                callerAccount: "$context.identity.accountId",
            });
        });

        it("is the format of both regions' stages in both committed stacks (prod jwt, dev iam)", async () => {
            for (const [name, field] of [
                ["prod", "callerSub"],
                ["dev", "callerArn"],
            ] as const) {
                const stages = ofType(await stack(name), "aws:apigatewayv2/stage:Stage");
                expect(stages, name).to.have.length(2);
                for (const stage of stages) {
                    expect(JSON.parse(stage.inputs.accessLogSettings.format), `${name} ${stage.region}`).to.have.property(field);
                }
            }
        });
    });

    describe("bucket policies refuse uploads that skip the stack's key", () => {
        const policy = keyOnlyBucketPolicy("arn:aws:s3:::docs", KEY);
        const SSE = "s3:x-amz-server-side-encryption";
        const KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";

        it("denies SSE-S3, DSSE-KMS, another KMS key and aws/s3; allows the stack's key and the bucket default", () => {
            expect(deniesUpload(policy, { [SSE]: "AES256" })).to.equal(true);
            expect(deniesUpload(policy, { [SSE]: "aws:kms:dsse", [KEY_ID]: KEY })).to.equal(true);
            expect(deniesUpload(policy, { [SSE]: "aws:kms", [KEY_ID]: "arn:aws:kms:us-east-1:123456789012:key/other" })).to.equal(true);
            expect(deniesUpload(policy, { [SSE]: "aws:kms", [KEY_ID]: KEY })).to.equal(false);
            // SSE-KMS without a key id means the AWS managed key aws/s3.
            expect(deniesUpload(policy, { [SSE]: "aws:kms" })).to.equal(true);
            expect(deniesUpload(policy, {})).to.equal(false);
            // and still TLS 1.2+ only
            expect(policy.Statement.map((st) => st.Sid)).to.include.members(["DenyInsecureTransport", "DenyOutdatedTls"]);
        });

        it("is on the documents and log archive buckets, each with its own region's key (mocked runtime)", async () => {
            const s = await stack("prod");
            const keyArnOf = (region: string) => ofType(s, "aws:kms/key:Key", region).map((k) => k.state.arn);
            const policies = ofType(s, "aws:s3/bucketPolicy:BucketPolicy");
            const covered = policies.filter((p) => policyOf(p).Statement.some((st) => st.Sid === "DenyUploadsWithOtherKey"));
            expect(covered.map((p) => p.name)).to.include.members([
                "primary-documents-tls-only",
                "secondary-documents-tls-only",
                "log-archive-primary-tls-only",
            ]);
            for (const p of covered) {
                const other = policyOf(p).Statement.find((st) => st.Sid === "DenyUploadsWithOtherKey");
                expect(keyArnOf(p.region!), p.name).to.include(other.Condition.StringNotEquals["s3:x-amz-server-side-encryption-aws-kms-key-id"]);
            }
        });
    });

    describe("the log archive is versioned and locked", () => {
        it("prod: COMPLIANCE for a year (or the retention if shorter); elsewhere GOVERNANCE for a day", () => {
            expect(archiveLockRule(true, 400)).to.deep.equal({ mode: "COMPLIANCE", days: 365 });
            expect(archiveLockRule(true, 200)).to.deep.equal({ mode: "COMPLIANCE", days: 200 });
            expect(archiveLockRule(false, 400)).to.deep.equal({ mode: "GOVERNANCE", days: 1 });
        });

        it("prod's archive buckets: versioning on, then Object Lock, noncurrent versions expire (mocked runtime)", async () => {
            const s = await stack("prod");
            for (const host of ["primary", "secondary"]) {
                const versioning = one(s, "aws:s3/bucketVersioning:BucketVersioning", `log-archive-${host}-versioning`);
                expect(versioning.inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
                const lock = one(s, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", `log-archive-${host}-object-lock`);
                expect(lock.inputs).to.deep.include({ objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } } });
                expect(lock.dependsOn).to.include(versioning.urn);
                const lifecycle = one(s, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `log-archive-${host}-lifecycle`);
                expect(lifecycle.inputs.rules[0].noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 1 });
            }
        });
    });

    describe("the DR operator role trusts operators, not any MFA principal of the account", () => {
        it("without operatorPrincipalArn: the account's principals tagged payments-dr-operator=<env label>, MFA within the hour", async () => {
            const trust = policyOf(one(await stack("prod"), "aws:iam/role:Role", "global-operator-role"), "assumeRolePolicy").Statement[0];
            expect(trust.Principal).to.deep.equal({ AWS: "arn:aws:iam::123456789012:root" });
            expect(trust.Condition).to.deep.equal({
                Bool: { "aws:MultiFactorAuthPresent": "true" },
                NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
                StringEquals: { [`aws:PrincipalTag/${OPERATOR_TAG_KEY}`]: "prod" },
            });
        });

        it("with operatorPrincipalArn: exactly that principal, MFA within the hour", async () => {
            const arn = "arn:aws:iam::123456789012:role/dr-operators";
            const trust = policyOf(one(await stackWith("prod", { operatorPrincipalArn: arn }), "aws:iam/role:Role", "global-operator-role"), "assumeRolePolicy")
                .Statement[0];
            expect(trust.Principal).to.deep.equal({ AWS: arn });
            expect(trust.Condition).to.deep.equal({ Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } });
        });
    });
});
