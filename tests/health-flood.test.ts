import { expect } from "chai";
import { API_ACCOUNT_BURST_LIMIT } from "../program/capacity";
import type { Synthesis } from "../scripts/synth/synthesize";
import { FloodScenario, ModelRoute, simulateFlood } from "./support/health-flood-model";
import { one, ofType, plain, stack } from "./support/stacks";

/**
 * Issue 27 item 1: nobody on the internet can fail a region over by flooding `/health`. The model
 * (tests/support/health-flood-model.ts) takes every figure from the synthesized stack: the routes, their
 * throttles and functions, the HTTPS check's path, interval and failure threshold.
 */

/** API Gateway's default account-level rate per region (requests per second); the burst is in program/capacity.ts. */
const API_ACCOUNT_RATE_LIMIT = 10_000;
/** Route 53 runs about 16 checkers for a check with the default regions (tests/drill-status.test.ts sees 16). */
const CHECKERS = 16;
/** A warm invocation answering from the health cache, or the processor refusing an unsigned request. */
const INVOCATION_MS = 5;
const SECONDS = 240;

function scenarioOf(s: Synthesis, role: "primary" | "secondary", floods: FloodScenario["floods"], checkPath?: string, seconds = SECONDS): FloodScenario {
    const check = one(s, "aws:route53/healthCheck:HealthCheck", `global-${role}-health`);
    const region = ofType(s, "aws:apigatewayv2/api:Api").find((api) => api.name === `${role}-api`)!.region;
    const stage = ofType(s, "aws:apigatewayv2/stage:Stage", region)[0];
    const settings = new Map(plain<Record<string, any>[]>(stage.inputs.routeSettings).map((r) => [plain<string>(r.routeKey), r]));
    const integrations = ofType(s, "aws:apigatewayv2/integration:Integration", region);
    const functions = ofType(s, "aws:lambda/function:Function", region);
    const routes: Record<string, ModelRoute> = {};
    for (const route of ofType(s, "aws:apigatewayv2/route:Route", region)) {
        const key = plain<string>(route.inputs.routeKey);
        const integration = integrations.find((i) => route.inputs.target === `integrations/${i.id}`)!;
        const fn = functions.find((f) => f.state.arn === integration.inputs.integrationUri)!;
        const throttle = settings.get(key) ?? stage.inputs.defaultRouteSettings;
        routes[key] = {
            bucket: { rate: throttle.throttlingRateLimit, burst: throttle.throttlingBurstLimit },
            functionId: fn.name,
            reservedConcurrency: fn.inputs.reservedConcurrentExecutions,
            durationMs: INVOCATION_MS,
        };
    }
    return {
        routes,
        account: { rate: API_ACCOUNT_RATE_LIMIT, burst: API_ACCOUNT_BURST_LIMIT },
        check: {
            path: checkPath ?? plain<string>(check.inputs.resourcePath),
            intervalSeconds: check.inputs.requestInterval,
            failureThreshold: check.inputs.failureThreshold,
            checkers: CHECKERS,
        },
        floods,
        seconds,
    };
}

describe("a flood of /health cannot fail a region over (issue 27 item 1, model from the synthesized stacks)", function () {
    this.timeout(120_000);

    for (const stackName of ["dev", "prod"] as const) {
        for (const role of ["primary", "secondary"] as const) {
            describe(`${stackName} ${role}`, () => {
                let s: Synthesis;
                before(async () => {
                    s = await stack(stackName);
                });

                it("stays healthy through 500 rps on GET /health (the attack the review found), which mostly gets 429", () => {
                    const outcome = simulateFlood(scenarioOf(s, role, [{ path: "/health", rps: 500 }]));
                    expect(outcome.everUnhealthy).to.equal(false);
                    expect(outcome.checkerSuccessShare).to.equal(1);
                    // The open route still throttles the flood to its own limit (50 of 500 per second).
                    expect(outcome.floodSuccessShare).to.be.within(0.09, 0.12);
                });

                it("stays healthy through 6,000 rps on GET /health plus 3,000 rps of guessed /health/<token> paths (under the account's quota)", () => {
                    const guesses = Array.from({ length: 3 }, (_, i) => ({ path: `/health/${String(i).repeat(32)}`, rps: 1000 }));
                    const outcome = simulateFlood(scenarioOf(s, role, [{ path: "/health", rps: 6000 }, ...guesses]));
                    expect(outcome.everUnhealthy).to.equal(false);
                    expect(outcome.checkerSuccessShare).to.equal(1);
                });

                it("would fail over if the check probed the open GET /health (the model reproduces the finding)", () => {
                    const outcome = simulateFlood(scenarioOf(s, role, [{ path: "/health", rps: 500 }], "/health"));
                    expect(outcome.everUnhealthy).to.equal(true);
                    expect(outcome.checkerSuccessShare).to.be.below(0.2);
                });

                it("fails only far above the account's regional quota (10,000 rps), where every route of every API fails, payments included", () => {
                    const outcome = simulateFlood(scenarioOf(s, role, [{ path: "/health", rps: 30_000 }], undefined, 150));
                    expect(outcome.everUnhealthy).to.equal(true);
                });
            });
        }
    }
});
