import { expect } from "chai";
import { ALL_RULES } from "../../policy/rules";
import { toPolicy } from "../../policy/rules/pack";
import type { RecordedResource } from "../../scripts/synth/synthesize";
import { stack } from "../support/stacks";

// Drives the pack through @pulumi/policy's own analyzer handlers (the functions its gRPC server registers),
// with requests built as the engine builds them: protobuf structs, unknown sentinels, provider resources.
// Internal API of @pulumi/policy 1.21.0 (pinned); no server is started.
const server = require("@pulumi/policy/server");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** JSON-safe properties (the Lambda archive is not a plain value). */
const plain = (v: object): object => JSON.parse(JSON.stringify(v, (k, x) => (k === "code" ? null : x)));

function call(handler: any, request: any): Promise<{ policy: string; level: number; urn: string; message: string }[]> {
    return new Promise((resolve, reject) =>
        handler({ request }, (err: unknown, resp: any) =>
            err
                ? reject(err)
                : resolve(
                      resp
                          .getDiagnosticsList()
                          .map((d: any) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), urn: d.getUrn(), message: d.getMessage() })),
                  ),
        ),
    );
}

describe("policy pack under @pulumi/policy's analyzer (engine-shaped requests)", () => {
    let resources: readonly RecordedResource[];
    const policies = ALL_RULES.map(toPolicy);
    const analyze = server.makeAnalyzeRpcFun("payments-dr-guardrails", "0.1.0", "advisory", policies);
    const analyzeStack = server.makeAnalyzeStackRpcFun("payments-dr-guardrails", "0.1.0", "advisory", policies);
    let provider: (r: RecordedResource) => any;
    const options = (r: RecordedResource) => {
        const o = new pb.AnalyzerResourceOptions();
        o.setProtect(r.protect);
        if (r.parentUrn) {
            o.setParent(r.parentUrn);
        }
        return o;
    };

    before(async () => {
        resources = (await stack("dev")).resources;
        const providers = new Map(resources.filter((r) => r.type === "pulumi:providers:aws").map((r) => [r.urn, r]));
        provider = (r) => {
            const p = r.providerUrn ? providers.get(r.providerUrn) : undefined;
            if (!p) {
                return undefined;
            }
            const pr = new pb.AnalyzerProviderResource();
            pr.setType(p.type);
            pr.setUrn(p.urn);
            pr.setName(p.name);
            pr.setProperties(Struct.fromJavaScript(plain(p.inputs)));
            return pr;
        };
    });

    it("reports resource violations and skips values unknown during the first preview", async () => {
        const diagnostics = [];
        for (const r of resources) {
            const props: Record<string, unknown> = { ...plain(r.inputs) };
            if (r.type === "aws:iam/rolePolicy:RolePolicy") {
                props.policy = UNKNOWN_STRING; // built from ARNs that do not exist yet
            }
            if (r.name === "primary-processor") {
                props.runtime = "nodejs18.x";
            }
            const req = new pb.AnalyzeRequest();
            req.setType(r.type);
            req.setUrn(r.urn);
            req.setName(r.name);
            req.setProperties(Struct.fromJavaScript(props));
            req.setOptions(options(r));
            const pr = provider(r);
            if (pr) {
                req.setProvider(pr);
            }
            diagnostics.push(...(await call(analyze, req)));
        }
        expect(diagnostics.map((d) => d.policy)).to.deep.equal(["lambda-supported-runtime"]);
        expect(diagnostics[0].message).to.contain('`runtime` is "nodejs18.x"');
    });

    it("passes the stack validation of the real dev stack, and reports a missing failover partner by URN", async () => {
        const request = (drop: (r: RecordedResource) => boolean) => {
            const req = new pb.AnalyzeStackRequest();
            req.setResourcesList(
                resources
                    .filter((r) => !drop(r))
                    .map((r) => {
                        const a = new pb.AnalyzerResource();
                        a.setType(r.type);
                        a.setUrn(r.urn);
                        a.setName(r.name);
                        a.setProperties(Struct.fromJavaScript(plain(r.state)));
                        a.setOptions(options(r));
                        const pr = provider(r);
                        if (pr) {
                            a.setProvider(pr);
                        }
                        if (r.parentUrn) {
                            a.setParent(r.parentUrn);
                        }
                        a.setDependenciesList([...r.dependsOn]);
                        return a;
                    }),
            );
            return req;
        };
        expect(
            await call(
                analyzeStack,
                request(() => false),
            ),
        ).to.deep.equal([]);
        const found = await call(
            analyzeStack,
            request((r) => r.type === "aws:route53/record:Record" && JSON.stringify(r.inputs.failoverRoutingPolicies ?? "").includes("SECONDARY")),
        );
        expect(found.map((d) => d.policy)).to.include("route53-failover-pair");
        expect(found.find((d) => d.policy === "route53-failover-pair")!.urn).to.match(/aws:route53\/record:Record::/);
    });
});
