import { expect } from "chai";
import fc from "fast-check";
import { lookupActions, resourceFitsAction, resourceFitsFormat } from "../../policy/rules/iam-catalogue";

const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/);
const objectKey = fc.stringMatching(/^([a-z0-9/_.-]{1,30}\*?|\*)$/);

describe("policy: IAM catalogue (ARN fit)", () => {
    it("knows actions case-insensitively, expands wildcards, and refuses typos", async () => {
        expect((await lookupActions("DynamoDB:putitem")).map((a) => a.name)).to.deep.equal(["dynamodb:PutItem"]);
        expect((await lookupActions("kms:Describe*")).map((a) => a.name)).to.include("kms:DescribeKey");
        expect(await lookupActions("dynamodb:PutItems")).to.deep.equal([]);
        expect(await lookupActions("nosuchservice:Get")).to.deep.equal([]);
    });

    it("matches placeholders one segment at a time, paths anywhere", () => {
        expect(resourceFitsFormat("arn:aws:s3:::b", "arn:${Partition}:s3:::${BucketName}")).to.equal(true);
        expect(resourceFitsFormat("arn:aws:s3:::b/*", "arn:${Partition}:s3:::${BucketName}")).to.equal(false);
        expect(resourceFitsFormat("arn:aws:s3:::b/a/b/c", "arn:${Partition}:s3:::${BucketName}/${ObjectName}")).to.equal(true);
        expect(resourceFitsFormat("arn:aws:s3:::*", "arn:${Partition}:s3:::${BucketName}/${ObjectName}")).to.equal(true);
        expect(
            resourceFitsFormat("arn:aws:dynamodb:us-east-1:1:table/t/index/*", "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"),
        ).to.equal(false);
        expect(resourceFitsFormat("arn:aws:iam::1:role/path/name", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}")).to.equal(true);
    });

    it("property: object actions never fit a bucket ARN, bucket actions never fit an object ARN", async () => {
        const [getObject] = await lookupActions("s3:GetObject");
        const [listBucket] = await lookupActions("s3:ListBucket");
        fc.assert(
            fc.property(bucketName, objectKey, (bucket, key) => {
                const bucketArn = `arn:aws:s3:::${bucket}`;
                const objectArn = `${bucketArn}/${key}`;
                expect(resourceFitsAction(bucketArn, listBucket), bucketArn).to.equal(true);
                expect(resourceFitsAction(bucketArn, getObject), bucketArn).to.equal(false);
                expect(resourceFitsAction(objectArn, getObject), objectArn).to.equal(true);
                expect(resourceFitsAction(objectArn, listBucket), objectArn).to.equal(false);
            }),
        );
    });
});
