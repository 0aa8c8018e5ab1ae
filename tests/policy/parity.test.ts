import { expect } from "chai";
import { regionParity } from "../../policy/rules/parity";
import { fromSynthesis, ResourceView } from "../../policy/rules/view";
import { stack } from "../support/stacks";
import { EAST, messages, view, WEST } from "./support";

const parent = (role: string) => `urn:pulumi:test::payments-dr::payments-dr:regional:RegionalStack::${role}`;
const inRegion = (role: "primary" | "secondary", type: string, what: string, props: Record<string, unknown>, extra: { protect?: boolean } = {}) =>
    view({ type, name: `${role}-${what}`, region: role === "primary" ? EAST : WEST, parentUrn: parent(role), props, ...extra });
const processor = (role: "primary" | "secondary", props: Record<string, unknown> = {}) =>
    inRegion(role, "aws:lambda/function:Function", "processor", {
        runtime: "nodejs24.x",
        memorySize: 1769,
        timeout: 10,
        reservedConcurrentExecutions: 1200,
        ...props,
    });
const alarm = (role: "primary" | "secondary", what: string, threshold = 1) =>
    inRegion(role, "aws:cloudwatch/metricAlarm:MetricAlarm", what, { namespace: "AWS/Lambda", metricName: "Errors", threshold, period: 60 });
const table = (replica: Record<string, unknown>) =>
    view({
        type: "aws:dynamodb/table:Table",
        name: "table",
        region: EAST,
        props: {
            deletionProtectionEnabled: true,
            pointInTimeRecovery: { enabled: true },
            replicas: [{ regionName: WEST, deletionProtectionEnabled: true, pointInTimeRecovery: true, ...replica }],
        },
    });

describe("policy: region-parity (standby readiness)", () => {
    it("flags a standby with less memory, a missing alarm, an unprotected bucket and a replica without deletion protection", async () => {
        const found = await messages(
            regionParity,
            processor("primary"),
            processor("secondary", { memorySize: 1024 }),
            alarm("primary", "lambda-errors"),
            alarm("primary", "payment-failures"),
            alarm("secondary", "lambda-errors"),
            inRegion("primary", "aws:s3/bucket:Bucket", "documents", { forceDestroy: false }, { protect: true }),
            inRegion("secondary", "aws:s3/bucket:Bucket", "documents", { forceDestroy: false }, { protect: false }),
            table({ deletionProtectionEnabled: false }),
        );
        expect(found).to.have.length(4);
        expect(found).to.include(
            "primary-processor and secondary-processor differ in `memorySize`: 1769 in primary, 1024 in secondary; the regions drifted apart.",
        );
        expect(found.find((m) => m.startsWith("primary has primary-payment-failures"))).to.match(/secondary has no counterpart/);
        expect(found.find((m) => m.includes("protect/retainOnDelete"))).to.contain("primary-documents");
        expect(found.find((m) => m.startsWith("table table"))).to.contain("deletion protection false");
    });

    it("flags a different alarm threshold and a different stage throttle", async () => {
        const stage = (role: "primary" | "secondary", rate: number) =>
            inRegion(role, "aws:apigatewayv2/stage:Stage", "stage", { defaultRouteSettings: { throttlingRateLimit: rate, throttlingBurstLimit: 5000 } });
        const found = await messages(
            regionParity,
            alarm("primary", "api-5xx", 5),
            alarm("secondary", "api-5xx", 50),
            stage("primary", 10000),
            stage("secondary", 100),
        );
        expect(found).to.have.length(2);
    });

    it("passes two identical regions, whatever their names, ARNs and dimensions", async () => {
        const found = await messages(
            regionParity,
            processor("primary", { arn: "arn:aws:lambda:us-east-1:1:function:a" }),
            processor("secondary", { arn: "arn:aws:lambda:us-west-2:1:function:b" }),
            alarm("primary", "lambda-errors"),
            alarm("secondary", "lambda-errors"),
            table({}),
        );
        expect(found).to.deep.equal([]);
    });

    for (const name of ["dev", "prod"] as const) {
        it(`holds on the real ${name} stack, and catches a secondary processor given less memory`, async () => {
            const views = fromSynthesis((await stack(name)).resources);
            expect(await messages(regionParity, ...views)).to.deep.equal([]);
            const drifted: ResourceView[] = views.map((v) =>
                v.name === "secondary-processor" && v.type === "aws:lambda/function:Function" ? { ...v, props: { ...v.props, memorySize: 512 } } : v,
            );
            const found = await messages(regionParity, ...drifted);
            expect(found).to.have.length(1);
            expect(found[0]).to.match(/^primary-processor and secondary-processor differ in `memorySize`/);
        });
    }
});
