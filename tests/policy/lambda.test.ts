import { expect } from "chai";
import {
    lambdaDeadLetterConfig,
    lambdaLogGroupRetention,
    lambdaNoReservedEnvNames,
    lambdaNoVpcWithoutEndpoints,
    lambdaSupportedRuntime,
    SUPPORTED_LAMBDA_RUNTIMES,
} from "../../policy/rules/lambda";
import { EAST, messages, view, WEST } from "./support";

const fn = (props: Record<string, unknown> = {}, region = EAST) =>
    view({
        type: "aws:lambda/function:Function",
        name: "processor",
        region,
        props: {
            name: "transaction-processor-primary-dev-abc",
            runtime: "nodejs24.x",
            deadLetterConfig: { targetArn: "arn:aws:sqs:us-east-1:1:dlq" },
            ...props,
        },
    });
const logGroup = (name: string, props: Record<string, unknown> = { retentionInDays: 7 }, region = EAST) =>
    view({ type: "aws:cloudwatch/logGroup:LogGroup", name: "logs", region, props: { name, ...props } });

describe("policy: Lambda", () => {
    describe("lambda-supported-runtime", () => {
        it("flags nodejs16.x and nodejs18.x", async () => {
            for (const runtime of ["nodejs16.x", "nodejs18.x"]) {
                const found = await messages(lambdaSupportedRuntime, fn({ runtime }));
                expect(found, runtime).to.have.length(1);
                expect(found[0]).to.contain(runtime);
            }
        });

        it("passes every runtime of the supported list, and container images", async () => {
            for (const runtime of SUPPORTED_LAMBDA_RUNTIMES) {
                expect(await messages(lambdaSupportedRuntime, fn({ runtime })), runtime).to.deep.equal([]);
            }
            expect(await messages(lambdaSupportedRuntime, fn({ runtime: undefined, packageType: "Image" }))).to.deep.equal([]);
        });
    });

    describe("lambda-log-group-retention", () => {
        it("flags a missing log group, one in another region, and one without retention", async () => {
            expect(await messages(lambdaLogGroupRetention, fn())).to.have.length(1);
            expect(
                await messages(lambdaLogGroupRetention, fn(), logGroup("/aws/lambda/transaction-processor-primary-dev-abc", { retentionInDays: 7 }, WEST)),
            ).to.have.length(1);
            expect(await messages(lambdaLogGroupRetention, fn(), logGroup("/aws/lambda/transaction-processor-primary-dev-abc", {}))).to.have.length(1);
        });

        it("passes /aws/lambda/<name> with retention, and a custom loggingConfig.logGroup", async () => {
            expect(await messages(lambdaLogGroupRetention, fn(), logGroup("/aws/lambda/transaction-processor-primary-dev-abc"))).to.deep.equal([]);
            expect(
                await messages(lambdaLogGroupRetention, fn({ loggingConfig: { logGroup: "/custom/processor" } }), logGroup("/custom/processor")),
            ).to.deep.equal([]);
        });
    });

    describe("lambda-dead-letter-config", () => {
        const FN_ARN = "arn:aws:lambda:us-east-1:1:function:sweeper";
        const sweeper = (props: Record<string, unknown> = {}) => fn({ name: "sweeper", arn: FN_ARN, ...props });
        const eventTarget = view({ type: "aws:cloudwatch/eventTarget:EventTarget", name: "sweep-target", region: EAST, props: { arn: FN_ARN } });
        const permission = (principal: string) =>
            view({ type: "aws:lambda/permission:Permission", name: "invoke", region: EAST, props: { function: "sweeper", principal } });
        const mapping = (props: Record<string, unknown> = {}) =>
            view({
                type: "aws:lambda/eventSourceMapping:EventSourceMapping",
                name: "stream",
                region: EAST,
                props: {
                    eventSourceArn: "arn:aws:dynamodb:us-east-1:1:table/t/stream/2026",
                    functionName: FN_ARN,
                    destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:us-east-1:1:dlq" } },
                    ...props,
                },
            });

        it("flags an asynchronously invoked function (EventBridge target or permission) without a dead-letter target", async () => {
            expect(await messages(lambdaDeadLetterConfig, sweeper({ deadLetterConfig: undefined }), eventTarget)).to.have.length(1);
            expect(await messages(lambdaDeadLetterConfig, sweeper({ deadLetterConfig: undefined }), permission("events.amazonaws.com"))).to.have.length(1);
        });

        it("flags a dead-letter target that can never receive: the function is only invoked synchronously (API Gateway)", async () => {
            const found = await messages(lambdaDeadLetterConfig, sweeper(), permission("apigateway.amazonaws.com"));
            expect(found).to.have.length(1);
            expect(found[0]).to.contain("can never receive a message");
        });

        it("flags a stream event source mapping without an on-failure destination", async () => {
            expect(await messages(lambdaDeadLetterConfig, sweeper({ deadLetterConfig: undefined }), mapping({ destinationConfig: undefined }))).to.have.length(
                1,
            );
        });

        it("passes an asynchronously invoked function with one, an API-only function without one, and a mapping with an on-failure queue", async () => {
            expect(await messages(lambdaDeadLetterConfig, sweeper(), eventTarget)).to.deep.equal([]);
            expect(await messages(lambdaDeadLetterConfig, sweeper({ deadLetterConfig: undefined }), permission("apigateway.amazonaws.com"))).to.deep.equal([]);
            expect(await messages(lambdaDeadLetterConfig, sweeper({ deadLetterConfig: undefined }), mapping())).to.deep.equal([]);
        });
    });

    describe("lambda-no-vpc-without-endpoints", () => {
        const inVpc = fn({ vpcConfig: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] } });

        it("flags a function in a VPC with no endpoints in its region", async () => {
            const elsewhere = view({ type: "aws:ec2/vpcEndpoint:VpcEndpoint", region: WEST, props: { serviceName: "com.amazonaws.us-west-2.dynamodb" } });
            expect(await messages(lambdaNoVpcWithoutEndpoints, inVpc, elsewhere)).to.have.length(1);
        });

        it("passes no VPC, and a VPC with endpoints in the region", async () => {
            expect(await messages(lambdaNoVpcWithoutEndpoints, fn())).to.deep.equal([]);
            const endpoint = view({ type: "aws:ec2/vpcEndpoint:VpcEndpoint", region: EAST, props: { serviceName: "com.amazonaws.us-east-1.dynamodb" } });
            expect(await messages(lambdaNoVpcWithoutEndpoints, inVpc, endpoint)).to.deep.equal([]);
        });
    });

    describe("lambda-no-reserved-env-names", () => {
        it("flags AWS_REGION and friends", async () => {
            const found = await messages(
                lambdaNoReservedEnvNames,
                fn({ environment: { variables: { AWS_REGION: "us-east-1", TABLE_NAME: "t", _HANDLER: "x" } } }),
            );
            expect(found).to.have.length(1);
            expect(found[0]).to.contain("AWS_REGION, _HANDLER");
        });

        it("passes the names AWS documents for functions to set: Lambda's wrapper script and the FIS extension's settings", async () => {
            const fisWired = fn({
                environment: {
                    variables: { AWS_LAMBDA_EXEC_WRAPPER: "/opt/aws-fis/bootstrap", AWS_FIS_CONFIGURATION_LOCATION: "arn:aws:s3:::b/FisConfigs/" },
                },
            });
            expect(await messages(lambdaNoReservedEnvNames, fisWired)).to.deep.equal([]);
            const lookalike = fn({ environment: { variables: { AWS_LAMBDA_EXEC_WRAPPER_X: "x", AWS_LAMBDA_FUNCTION_NAME: "f" } } });
            expect((await messages(lambdaNoReservedEnvNames, lookalike))[0]).to.contain("AWS_LAMBDA_EXEC_WRAPPER_X, AWS_LAMBDA_FUNCTION_NAME");
        });

        it("passes application names such as APP_REGION", async () => {
            expect(await messages(lambdaNoReservedEnvNames, fn({ environment: { variables: { APP_REGION: "us-east-1", TABLE_NAME: "t" } } }))).to.deep.equal(
                [],
            );
        });
    });
});
