import { expect } from "chai";
import { WILDCARD_RESOURCE_ACTIONS } from "../../components/shared/iam";
import {
    iamActionsMatchResourceTypes,
    iamNoBroadManagedPolicies,
    iamNoWildcardActions,
    iamNoWildcardResource,
    iamRoleTrustsItsService,
    iamTrustPolicy,
    resourcePolicyActionsExist,
    resourcePolicyNoPublicPrincipal,
} from "../../policy/rules/iam";
import { ACCOUNT, doc, KEY_EAST, messages, view } from "./support";

const BUCKET = "arn:aws:s3:::documents-primary-dev-abc123";
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/transactions-table-dev-abc123`;

const rolePolicy = (...statements: Record<string, unknown>[]) =>
    view({ type: "aws:iam/rolePolicy:RolePolicy", name: "processor-policy", props: { role: "r", policy: doc(...statements) } });
const role = (trust: Record<string, unknown>[], inline: Record<string, unknown>[] = []) =>
    view({
        type: "aws:iam/role:Role",
        name: "processor-role",
        props: { assumeRolePolicy: doc(...trust), inlinePolicies: inline.length ? [{ name: "inline", policy: doc(...inline) }] : undefined },
    });
const lambdaTrust = { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" };

describe("policy: IAM", () => {
    describe("iam-no-wildcard-resource", () => {
        it('flags an Allow on Resource "*" for an action with resource-level permissions', async () => {
            const found = await messages(iamNoWildcardResource, rolePolicy({ Sid: "Table", Effect: "Allow", Action: "dynamodb:PutItem", Resource: "*" }));
            expect(found).to.have.length(1);
            expect(found[0]).to.contain('statement "Table"').and.contain("dynamodb:PutItem");
        });

        it("flags wildcards in Role inline policies and service-wide ARNs", async () => {
            const found = await messages(
                iamNoWildcardResource,
                role([lambdaTrust], [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:*:*:*" }]),
            );
            expect(found).to.have.length(1);
            expect(found[0]).to.contain("inlinePolicies[inline]");
        });

        it("flags NotResource in an Allow", async () => {
            expect(
                await messages(iamNoWildcardResource, rolePolicy({ Effect: "Allow", Action: "s3:GetObject", NotResource: `${BUCKET}/private/*` })),
            ).to.have.length(1);
        });

        it("passes the allowlisted actions on * and exact ARNs, and ignores Deny", async () => {
            const found = await messages(
                iamNoWildcardResource,
                rolePolicy(
                    { Effect: "Allow", Action: [...WILDCARD_RESOURCE_ACTIONS], Resource: "*" },
                    { Effect: "Allow", Action: "dynamodb:PutItem", Resource: TABLE },
                    { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
                ),
            );
            expect(found).to.deep.equal([]);
        });
    });

    describe("iam-no-wildcard-actions", () => {
        it('flags Action "*", "service:*" and NotAction', async () => {
            const found = await messages(
                iamNoWildcardActions,
                view({
                    type: "aws:iam/policy:Policy",
                    props: {
                        policy: doc(
                            { Effect: "Allow", Action: "*", Resource: TABLE },
                            { Effect: "Allow", Action: "s3:*", Resource: BUCKET },
                            { Effect: "Allow", NotAction: "iam:*", Resource: BUCKET },
                        ),
                    },
                }),
            );
            expect(found).to.have.length(3);
        });

        it("passes listed actions and a Deny of s3:*", async () => {
            expect(
                await messages(
                    iamNoWildcardActions,
                    rolePolicy({ Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: TABLE }, { Effect: "Deny", Action: "s3:*", Resource: BUCKET }),
                ),
            ).to.deep.equal([]);
        });
    });

    describe("iam-trust-policy-least-privilege", () => {
        it('flags a "*" principal', async () => {
            const found = await messages(iamTrustPolicy, role([{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }]));
            expect(found.join("\n")).to.contain('trusts any principal ("*")');
        });

        it("flags a role trusted by two services", async () => {
            const found = await messages(
                iamTrustPolicy,
                role([{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, Action: "sts:AssumeRole" }]),
            );
            expect(found).to.deep.equal(["the trust policy admits 2 services (lambda.amazonaws.com, ec2.amazonaws.com): give each service its own role."]);
        });

        it("flags an AWS principal without MFA, and BoolIfExists as not enough", async () => {
            const root = `arn:aws:iam::${ACCOUNT}:root`;
            expect(await messages(iamTrustPolicy, role([{ Effect: "Allow", Principal: { AWS: root }, Action: "sts:AssumeRole" }]))).to.have.length(1);
            expect(
                await messages(
                    iamTrustPolicy,
                    role([
                        {
                            Effect: "Allow",
                            Principal: { AWS: root },
                            Action: "sts:AssumeRole",
                            Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } },
                        },
                    ]),
                ),
            ).to.have.length(1);
        });

        it("passes one service, and an AWS principal with MFA", async () => {
            expect(await messages(iamTrustPolicy, role([{ ...lambdaTrust, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }]))).to.deep.equal([]);
            expect(
                await messages(
                    iamTrustPolicy,
                    role([
                        {
                            Effect: "Allow",
                            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                            Action: "sts:AssumeRole",
                            Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
                        },
                    ]),
                ),
            ).to.deep.equal([]);
        });
    });

    describe("iam-role-trusts-its-service", () => {
        const roleArn = `arn:aws:iam::${ACCOUNT}:role/processor`;
        const fn = view({ type: "aws:lambda/function:Function", name: "processor", props: { role: roleArn } });
        const trusting = (service: string) =>
            view({
                type: "aws:iam/role:Role",
                name: "processor-role",
                props: {
                    name: "processor",
                    arn: roleArn,
                    assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }),
                },
            });

        it("flags a function role that trusts another service", async () => {
            const found = await messages(iamRoleTrustsItsService, fn, trusting("ec2.amazonaws.com"));
            expect(found).to.deep.equal([
                "processor hands role processor-role to lambda.amazonaws.com, but the role trusts ec2.amazonaws.com: the service cannot assume it (deploy fails or the feature silently stops). Trust lambda.amazonaws.com.",
            ]);
        });

        it("passes a function role that trusts Lambda", async () => {
            expect(await messages(iamRoleTrustsItsService, fn, trusting("lambda.amazonaws.com"))).to.deep.equal([]);
        });
    });

    describe("iam-actions-match-resource-types", () => {
        it("flags s3:ListBucket on an object ARN", async () => {
            const found = await messages(
                iamActionsMatchResourceTypes,
                rolePolicy({ Sid: "List", Effect: "Allow", Action: "s3:ListBucket", Resource: `${BUCKET}/*` }),
            );
            expect(found).to.have.length(1);
            expect(found[0]).to.match(
                /^`policy` statement "List": s3:ListBucket does not take arn:aws:s3:::documents-primary-dev-abc123\/\*; it takes .*bucket/,
            );
        });

        it("flags s3:GetObject on a bucket ARN", async () => {
            const found = await messages(iamActionsMatchResourceTypes, rolePolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: BUCKET }));
            expect(found).to.have.length(1);
            expect(found[0]).to.contain("s3:GetObject does not take arn:aws:s3:::documents-primary-dev-abc123;");
        });

        it("takes a Secrets Manager secret whose name has slashes (with the random suffix as ??????), and refuses a bucket there", async () => {
            const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments-dr/canary-client-??????";
            expect(
                await messages(iamActionsMatchResourceTypes, rolePolicy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secret })),
            ).to.deep.equal([]);
            expect(
                await messages(iamActionsMatchResourceTypes, rolePolicy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: BUCKET })),
            ).to.have.length(1);
        });

        it("flags a misspelled action and an unknown service", async () => {
            const found = await messages(
                iamActionsMatchResourceTypes,
                rolePolicy({ Effect: "Allow", Action: ["dynamodb:PutItems", "dynamo:PutItem"], Resource: TABLE }),
            );
            expect(found).to.deep.equal([
                '`policy` statement #1: "dynamodb:PutItems" is not a dynamodb action (misspelled?).',
                '`policy` statement #1: "dynamo:PutItem" names no AWS service ("dynamo").',
            ]);
        });

        it("flags an action that supports only * given an ARN, and a misspelled trust action", async () => {
            expect(
                await messages(iamActionsMatchResourceTypes, rolePolicy({ Effect: "Allow", Action: "xray:PutTraceSegments", Resource: TABLE })),
            ).to.have.length(1);
            expect(await messages(iamActionsMatchResourceTypes, role([{ ...lambdaTrust, Action: "sts:AssumeRoles" }]))).to.have.length(1);
        });

        it("passes the processor's real policy shape", async () => {
            const logGroup = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/transaction-processor-primary-dev-abc123`;
            const found = await messages(
                iamActionsMatchResourceTypes,
                rolePolicy(
                    { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup}:*` },
                    { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], Resource: TABLE },
                    { Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `${BUCKET}/receipts/*` },
                    { Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET },
                    { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: KEY_EAST },
                    { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
                    { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f:*` },
                ),
            );
            expect(found).to.deep.equal([]);
        });
    });

    describe("resource-policy-actions-exist", () => {
        const keyPolicy = (...statements: Record<string, unknown>[]) => view({ type: "aws:kms/key:Key", props: { policy: doc(...statements) } });

        it("flags a misspelled action in a key policy", async () => {
            const found = await messages(
                resourcePolicyActionsExist,
                keyPolicy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "kms:Decrypts", Resource: "*" }),
            );
            expect(found).to.deep.equal(['`policy` statement #1: "kms:Decrypts" is not a kms action (misspelled?).']);
        });

        it("passes wildcard patterns that match real actions, and does not apply identity rules", async () => {
            const found = await messages(
                resourcePolicyActionsExist,
                keyPolicy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: ["kms:Describe*", "kms:GenerateDataKey*"], Resource: "*" }),
            );
            expect(found).to.deep.equal([]);
        });
    });

    describe("resource-policy-no-public-principal", () => {
        const topicPolicy = (...statements: Record<string, unknown>[]) =>
            view({ type: "aws:sns/topicPolicy:TopicPolicy", props: { arn: "t", policy: doc(...statements) } });

        it('flags an Allow to "*" without a condition, and an open Lambda permission', async () => {
            expect(
                await messages(
                    resourcePolicyNoPublicPrincipal,
                    topicPolicy({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: "t" }),
                ),
            ).to.have.length(1);
            expect(
                await messages(
                    resourcePolicyNoPublicPrincipal,
                    view({ type: "aws:lambda/permission:Permission", props: { principal: "*", action: "lambda:InvokeFunction" } }),
                ),
            ).to.have.length(1);
        });

        it('passes a Deny to "*", a conditioned Allow and a service principal', async () => {
            const found = await messages(
                resourcePolicyNoPublicPrincipal,
                topicPolicy(
                    { Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: "t", Condition: { Bool: { "aws:SecureTransport": "false" } } },
                    { Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "t", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } },
                    { Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "t" },
                ),
            );
            expect(found).to.deep.equal([]);
        });
    });

    describe("iam-no-broad-managed-policies (advisory)", () => {
        it("flags AdministratorAccess and passes a narrow managed policy", async () => {
            const attach = (policyArn: string) => view({ type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props: { role: "r", policyArn } });
            expect(await messages(iamNoBroadManagedPolicies, attach("arn:aws:iam::aws:policy/AdministratorAccess"))).to.have.length(1);
            expect(await messages(iamNoBroadManagedPolicies, attach("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))).to.deep.equal([]);
        });
    });

    it("reports an unparseable policy and skips one unknown during preview", async () => {
        expect(await messages(iamNoWildcardResource, view({ type: "aws:iam/rolePolicy:RolePolicy", props: { policy: "{not json" } }))).to.have.length(1);
        expect(
            await messages(iamNoWildcardResource, view({ type: "aws:iam/rolePolicy:RolePolicy", props: { policy: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } })),
        ).to.deep.equal([]);
    });
});
