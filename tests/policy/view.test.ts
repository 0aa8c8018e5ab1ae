import { expect } from "chai";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ALL_RULES } from "../../policy/rules";
import { lambdaNoReservedEnvNames } from "../../policy/rules/lambda";
import { toPolicy } from "../../policy/rules/pack";
import { s3PublicAccessBlock } from "../../policy/rules/s3";
import { at, fromPolicyResource, fromResourceArgs, fromSynthesis, isUnknown, normalize, UNKNOWN } from "../../policy/rules/view";

// The engine's proxy (internal to @pulumi/policy, not in its typings): reading an unknown value throws.
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T extends object>(o: T): T; unknownStringValue: string };

const PROVIDER = {
    type: "pulumi:providers:aws",
    urn: "urn:pulumi:prod::payments-dr::pulumi:providers:aws::aws-secondary",
    name: "aws-secondary",
    props: proxy.unknownCheckingProxy({ region: "us-west-2", defaultTags: JSON.stringify({ tags: { Environment: "prod" } }) }),
};

function resourceArgs(type: string, props: Record<string, unknown>, protect = false): ResourceValidationArgs {
    return {
        type,
        props: proxy.unknownCheckingProxy(props),
        urn: `urn:pulumi:prod::payments-dr::${type}::r`,
        name: "r",
        opts: {
            protect,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        provider: PROVIDER,
        stackTags: new Map(),
    } as unknown as ResourceValidationArgs;
}

describe("policy: resource views and the pack adapter", () => {
    it("builds a view from @pulumi/policy arguments: provider region and Environment, unknowns kept as UNKNOWN", () => {
        const v = fromResourceArgs(resourceArgs("aws:sqs/queue:Queue", { kmsMasterKeyId: proxy.unknownStringValue, name: "q" }, true));
        expect(v.region).to.equal("us-west-2");
        expect(v.environment).to.equal("prod");
        expect(v.protect).to.equal(true);
        expect(isUnknown(v.props.kmsMasterKeyId)).to.equal(true);
        expect(v.props.name).to.equal("q");
    });

    it("prefers the resource's own region input (AWS provider v7) and own Environment tag", () => {
        const v = fromResourceArgs(resourceArgs("aws:sqs/queue:Queue", { region: "eu-west-1", tags: { Environment: "dev" } }));
        expect(v.region).to.equal("eu-west-1");
        expect(v.environment).to.equal("dev");
    });

    it("unwraps secrets as the mocked runtime records them, and propagates UNKNOWN through at()", () => {
        const wire = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { password: "hunter2" } };
        expect(normalize({ a: wire })).to.deep.equal({ a: { password: "hunter2" } });
        expect(at({ a: UNKNOWN }, "a", "b")).to.equal(UNKNOWN);
        expect(at({ a: {} }, "a", "b")).to.equal(undefined);
    });

    it("maps stack resources' property dependencies to URNs", () => {
        const bucket = {
            type: "aws:s3/bucket:Bucket",
            urn: "urn:b",
            name: "b",
            props: {},
            opts: { protect: true },
            dependencies: [],
            propertyDependencies: {},
        };
        const pab = {
            type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            urn: "urn:pab",
            name: "pab",
            props: proxy.unknownCheckingProxy({ bucket: proxy.unknownStringValue }),
            opts: { protect: false },
            dependencies: [bucket],
            propertyDependencies: { bucket: [bucket] },
            provider: PROVIDER,
        } as unknown as PolicyResource;
        const v = fromPolicyResource(pab);
        expect(v.propertyDependencies).to.deep.equal({ bucket: ["urn:b"] });
        expect(v.dependsOn).to.deep.equal(["urn:b"]);
        expect(v.region).to.equal("us-west-2");
    });

    it("turns a resource rule into a policy that reports through reportViolation", async () => {
        const policy = toPolicy(lambdaNoReservedEnvNames) as ResourceValidationPolicy;
        const reported: string[] = [];
        const validate = policy.validateResource as (args: ResourceValidationArgs, report: (m: string) => void) => Promise<void> | void;
        await validate(resourceArgs("aws:lambda/function:Function", { environment: { variables: { AWS_REGION: "x" } } }), (m) => reported.push(m));
        expect(policy.enforcementLevel).to.equal("mandatory");
        expect(reported).to.have.length(1);
    });

    it("turns a stack rule into a policy that reports the offending URN", async () => {
        const policy = toPolicy(s3PublicAccessBlock) as StackValidationPolicy;
        const reported: [string, string | undefined][] = [];
        const bucket = {
            type: "aws:s3/bucket:Bucket",
            urn: "urn:b",
            name: "b",
            props: { bucket: "b" },
            opts: { protect: false },
            dependencies: [],
            propertyDependencies: {},
        };
        await policy.validateStack({ resources: [bucket] } as unknown as StackValidationArgs, (m, urn) => reported.push([m, urn]));
        expect(reported).to.have.length(1);
        expect(reported[0][1]).to.equal("urn:b");
    });

    it("every rule has a unique kebab-case name, a description, and exactly one kind of validation", () => {
        const names = ALL_RULES.map((r) => r.name);
        expect(new Set(names).size).to.equal(names.length);
        for (const rule of ALL_RULES) {
            expect(rule.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            expect(rule.description.length, rule.name).to.be.greaterThan(20);
            expect(Boolean(rule.validateResource) !== Boolean(rule.validateStack), rule.name).to.equal(true);
        }
    });

    it("reads recorded resources with their provider's default tags", () => {
        const [provider, queue] = fromSynthesis([
            {
                urn: "urn:p",
                type: "pulumi:providers:aws",
                name: "aws-primary",
                inputs: { region: "us-east-1", defaultTags: JSON.stringify({ tags: { Environment: "dev" } }) },
                state: {},
                protect: false,
                retainOnDelete: false,
                dependsOn: [],
            },
            {
                urn: "urn:q",
                type: "aws:sqs/queue:Queue",
                name: "q",
                inputs: { name: "q" },
                state: { name: "q", arn: "arn" },
                region: "us-east-1",
                providerUrn: "urn:p",
                protect: false,
                retainOnDelete: false,
                dependsOn: [],
            },
        ]);
        expect(provider.region).to.equal("us-east-1");
        expect(queue).to.include({ region: "us-east-1", environment: "dev" });
        expect(queue.props.arn).to.equal("arn");
    });
});
