import { expect } from "chai";
import {
    s3OneReplicationConfigPerBucket,
    s3PublicAccessBlock,
    s3ReplicationSchema,
    s3ReplicationSseKms,
    s3ReplicationVersionedBuckets,
    s3TlsOnlyBucketPolicy,
} from "../../policy/rules/s3";
import { ResourceView } from "../../policy/rules/view";
import { ACCOUNT, doc, EAST, KEY_EAST, KEY_WEST, messages, view, WEST } from "./support";

const bucket = (role: string, region: string) =>
    view({ type: "aws:s3/bucket:Bucket", name: `${role}-documents`, region, props: { bucket: `docs-${role}`, arn: `arn:aws:s3:::docs-${role}` } });
const SOURCE = bucket("primary", EAST);
const DEST = bucket("secondary", WEST);

const versioning = (b: ResourceView, status = "Enabled") =>
    view({
        type: "aws:s3/bucketVersioning:BucketVersioning",
        name: `${b.name}-versioning`,
        region: b.region,
        props: { bucket: b.props.bucket, versioningConfiguration: { status } },
    });

const goodRule = {
    id: "primary-to-secondary",
    status: "Enabled",
    priority: 1,
    filter: { prefix: "" },
    deleteMarkerReplication: { status: "Enabled" },
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    destination: {
        bucket: DEST.props.arn,
        encryptionConfiguration: { replicaKmsKeyId: KEY_WEST },
        replicationTime: { status: "Enabled", time: { minutes: 15 } },
        metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    },
};
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/replication`;
const replication = (rules: Record<string, unknown>[], dependsOn: string[] = []) =>
    view({
        type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        name: "replication",
        region: EAST,
        props: { bucket: SOURCE.props.bucket, role: ROLE_ARN, rules },
        dependsOn,
    });

describe("policy: S3", () => {
    describe("s3-public-access-block", () => {
        const pab = (flags: Partial<Record<string, boolean>>) =>
            view({
                type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                props: {
                    bucket: "docs-primary",
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                    ...flags,
                },
            });

        it("flags a bucket without a block and a block with a setting off", async () => {
            expect(await messages(s3PublicAccessBlock, SOURCE)).to.have.length(1);
            const found = await messages(s3PublicAccessBlock, SOURCE, pab({ restrictPublicBuckets: false }));
            expect(found).to.deep.equal(["public access block bucketpublicaccessblock leaves restrictPublicBuckets off: set all four to true."]);
        });

        it("passes a bucket with all four on", async () => {
            expect(await messages(s3PublicAccessBlock, SOURCE, pab({}))).to.deep.equal([]);
        });
    });

    describe("s3-tls-only-bucket-policy", () => {
        const tlsDeny = {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [SOURCE.props.arn, `${SOURCE.props.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        };
        const policy = (statement: Record<string, unknown>) =>
            view({ type: "aws:s3/bucketPolicy:BucketPolicy", props: { bucket: "docs-primary", policy: doc(statement) } });

        it("flags no policy, and a TLS deny that misses the objects", async () => {
            expect(await messages(s3TlsOnlyBucketPolicy, SOURCE)).to.have.length(1);
            expect(await messages(s3TlsOnlyBucketPolicy, SOURCE, policy({ ...tlsDeny, Resource: SOURCE.props.arn }))).to.have.length(1);
        });

        it("passes a deny of s3:* without SecureTransport on bucket and objects", async () => {
            expect(await messages(s3TlsOnlyBucketPolicy, SOURCE, policy(tlsDeny))).to.deep.equal([]);
        });
    });

    describe("s3-replication-versioned-buckets", () => {
        it("flags an unversioned destination and a configuration that does not wait for versioning", async () => {
            const sourceVersioning = versioning(SOURCE);
            const found = await messages(s3ReplicationVersionedBuckets, SOURCE, DEST, sourceVersioning, versioning(DEST, "Suspended"), replication([goodRule]));
            expect(found).to.have.length(2);
            expect(found.join("\n"))
                .to.contain("destination bucket secondary-documents is not versioned")
                .and.contain("does not depend on primary-documents-versioning");
        });

        it("passes versioned buckets with dependsOn both versioning resources", async () => {
            const [sv, dv] = [versioning(SOURCE), versioning(DEST)];
            expect(await messages(s3ReplicationVersionedBuckets, SOURCE, DEST, sv, dv, replication([goodRule], [sv.urn, dv.urn]))).to.deep.equal([]);
        });
    });

    describe("s3-one-replication-config-per-bucket", () => {
        it("flags two configurations on one bucket; passes one", async () => {
            const second = view({
                type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                name: "replication-2",
                region: EAST,
                props: { bucket: "docs-primary", rules: [] },
            });
            expect(await messages(s3OneReplicationConfigPerBucket, SOURCE, replication([goodRule]), second)).to.have.length(1);
            expect(await messages(s3OneReplicationConfigPerBucket, SOURCE, replication([goodRule]))).to.deep.equal([]);
        });
    });

    describe("s3-replication-rule-schema", () => {
        it("flags RTC without metrics, a 10-minute RTC, and a filter without priority or deleteMarkerReplication", async () => {
            const { metrics: _m, ...destinationWithoutMetrics } = goodRule.destination;
            expect(await messages(s3ReplicationSchema, replication([{ ...goodRule, destination: destinationWithoutMetrics }]))).to.deep.equal([
                'rule "primary-to-secondary" has Replication Time Control but no `destination.metrics`: RTC and metrics go together.',
            ]);
            expect(
                await messages(
                    s3ReplicationSchema,
                    replication([{ ...goodRule, destination: { ...goodRule.destination, replicationTime: { status: "Enabled", time: { minutes: 10 } } } }]),
                ),
            ).to.have.length(1);
            const { priority: _p, deleteMarkerReplication: _d, ...v2WithoutRequired } = goodRule;
            expect(await messages(s3ReplicationSchema, replication([v2WithoutRequired]))).to.have.length(2);
        });

        it("flags RTC on the V1 schema (no filter) and a rule without id", async () => {
            const { filter: _f, id: _id, ...v1 } = goodRule;
            const found = await messages(s3ReplicationSchema, replication([v1]));
            expect(found.join("\n")).to.contain("only accepted on the V2 schema").and.contain("has no `id`");
        });

        it("passes a V2 rule with RTC and metrics at 15 minutes", async () => {
            expect(await messages(s3ReplicationSchema, replication([goodRule]))).to.deep.equal([]);
        });

        it("flags a metrics event threshold without RTC (S3 refuses it); passes metrics alone", async () => {
            const { replicationTime: _r, ...withoutRtc } = goodRule.destination;
            expect(await messages(s3ReplicationSchema, replication([{ ...goodRule, destination: withoutRtc }]))).to.deep.equal([
                'rule "primary-to-secondary" has `metrics.eventThreshold` without Replication Time Control: S3 refuses it ("Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled"); keep `metrics: { status: "Enabled" }` alone.',
            ]);
            const disabled = { ...goodRule.destination, replicationTime: { status: "Disabled", time: { minutes: 15 } } };
            expect(await messages(s3ReplicationSchema, replication([{ ...goodRule, destination: disabled }]))).to.have.length(1);
            const metricsAlone = { ...withoutRtc, metrics: { status: "Enabled" } };
            expect(await messages(s3ReplicationSchema, replication([{ ...goodRule, destination: metricsAlone }]))).to.deep.equal([]);
        });
    });

    describe("s3-replication-sse-kms", () => {
        const sourceSse = view({
            type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            props: { bucket: "docs-primary", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_EAST } }] },
        });
        const roleWith = (...statements: Record<string, unknown>[]) =>
            view({ type: "aws:iam/role:Role", props: { name: "replication", arn: ROLE_ARN, inlinePolicies: [{ name: "kms", policy: doc(...statements) }] } });
        const kmsGrants = [
            { Effect: "Allow", Action: "kms:Decrypt", Resource: KEY_EAST },
            { Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: KEY_WEST },
        ];

        it("flags a rule that skips KMS-encrypted objects, a replica key from the wrong region, and a role without kms:Encrypt", async () => {
            const { sourceSelectionCriteria: _s, ...withoutCriteria } = goodRule;
            expect(await messages(s3ReplicationSseKms, SOURCE, DEST, replication([withoutCriteria]))).to.have.length(1);
            const wrongKey = { ...goodRule, destination: { ...goodRule.destination, encryptionConfiguration: { replicaKmsKeyId: KEY_EAST } } };
            expect((await messages(s3ReplicationSseKms, SOURCE, DEST, replication([wrongKey])))[0]).to.contain("the replica key is in us-east-1");
            const found = await messages(s3ReplicationSseKms, SOURCE, DEST, sourceSse, roleWith(kmsGrants[0]), replication([goodRule]));
            expect(found).to.deep.equal([
                `replication replication rule "primary-to-secondary": the replication role may not kms:Encrypt with the replica key ${KEY_WEST}.`,
            ]);
        });

        it("passes SSE-KMS replication with the destination's key and a role that may use both keys", async () => {
            expect(await messages(s3ReplicationSseKms, SOURCE, DEST, sourceSse, roleWith(...kmsGrants), replication([goodRule]))).to.deep.equal([]);
        });
    });
});
