import { expect } from "chai";
import { prodDataStoresProtected, prodDynamodbDeletionProtection, prodKmsDeletionWindow, prodNoForceDestroyBuckets } from "../../policy/rules/prod";
import { fromRecorded } from "../../policy/rules/view";
import { messages, view } from "./support";

const PROD_PROVIDER = {
    urn: "urn:pulumi:prod::payments-dr::pulumi:providers:aws::aws-primary",
    type: "pulumi:providers:aws",
    name: "aws-primary",
    inputs: { region: "us-east-1", defaultTags: JSON.stringify({ tags: { Environment: "prod" } }) },
    state: {},
    protect: false,
    retainOnDelete: false,
    dependsOn: [],
};

describe("policy: prod only", () => {
    describe("prod-dynamodb-deletion-protection", () => {
        it("flags a prod table without deletion protection (environment from the provider's default tags)", async () => {
            const table = fromRecorded(
                {
                    ...PROD_PROVIDER,
                    urn: "urn:pulumi:prod::payments-dr::aws:dynamodb/table:Table::t",
                    type: "aws:dynamodb/table:Table",
                    name: "t",
                    inputs: { deletionProtectionEnabled: false },
                    state: {},
                    providerUrn: PROD_PROVIDER.urn,
                },
                new Map([[PROD_PROVIDER.urn, PROD_PROVIDER]]),
            );
            expect(table.environment).to.equal("prod");
            expect(await messages(prodDynamodbDeletionProtection, table)).to.have.length(1);
        });

        it("passes a protected prod table, and ignores dev", async () => {
            expect(
                await messages(
                    prodDynamodbDeletionProtection,
                    view({ type: "aws:dynamodb/table:Table", environment: "prod", props: { deletionProtectionEnabled: true } }),
                ),
            ).to.deep.equal([]);
            expect(await messages(prodDynamodbDeletionProtection, view({ type: "aws:dynamodb/table:Table", environment: "dev", props: {} }))).to.deep.equal([]);
        });
    });

    describe("prod-no-force-destroy-buckets", () => {
        it("flags forceDestroy in prod (environment from the resource's own tags too); passes dev", async () => {
            expect(
                await messages(prodNoForceDestroyBuckets, view({ type: "aws:s3/bucket:Bucket", props: { forceDestroy: true, tags: { Environment: "prod" } } })),
            ).to.have.length(1);
            expect(
                await messages(prodNoForceDestroyBuckets, view({ type: "aws:s3/bucket:Bucket", environment: "dev", props: { forceDestroy: true } })),
            ).to.deep.equal([]);
            expect(
                await messages(prodNoForceDestroyBuckets, view({ type: "aws:s3/bucket:Bucket", environment: "prod", props: { forceDestroy: false } })),
            ).to.deep.equal([]);
        });
    });

    describe("prod-kms-deletion-window", () => {
        it("flags a 7-day window in prod; passes 30 and the default", async () => {
            expect(
                await messages(prodKmsDeletionWindow, view({ type: "aws:kms/key:Key", environment: "prod", props: { deletionWindowInDays: 7 } })),
            ).to.have.length(1);
            expect(
                await messages(prodKmsDeletionWindow, view({ type: "aws:kms/key:Key", environment: "prod", props: { deletionWindowInDays: 30 } })),
            ).to.deep.equal([]);
            expect(await messages(prodKmsDeletionWindow, view({ type: "aws:kms/key:Key", environment: "prod", props: {} }))).to.deep.equal([]);
        });
    });

    describe("prod-data-stores-protected (advisory)", () => {
        it("flags an unprotected prod table and a replica without deletion protection; passes protected ones", async () => {
            const found = await messages(
                prodDataStoresProtected,
                view({ type: "aws:dynamodb/table:Table", environment: "prod", props: { replicas: [{ regionName: "us-west-2" }] } }),
            );
            expect(found).to.have.length(2);
            expect(
                await messages(
                    prodDataStoresProtected,
                    view({
                        type: "aws:dynamodb/table:Table",
                        environment: "prod",
                        protect: true,
                        props: { replicas: [{ regionName: "us-west-2", deletionProtectionEnabled: true }] },
                    }),
                ),
            ).to.deep.equal([]);
        });
    });
});
