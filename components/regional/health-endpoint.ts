import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_RESERVED_CONCURRENCY, HEALTH_ROUTE_BURST_LIMIT, HEALTH_ROUTE_RATE_LIMIT } from "./health-capacity";
import { healthPolicy } from "./function-policies";
import { NamedLogGroup } from "../shared/log-groups";
import { createRegionalFunction, regionalStoreEnvironment, RegionalStoreFunctionArgs } from "./function";
import { HEALTH_PROBE_ROUTE_BURST_LIMIT, HEALTH_PROBE_ROUTE_RATE_LIMIT, healthProbePath, healthProbeRouteKey } from "./health-probe";

/** The open health route (people, canaries, scripts); Route 53 probes `GET /health/<token>` (components/regional/health-probe.ts). */
export const HEALTH_ROUTE_KEY = "GET /health";
/**
 * Route 53 needs the answer within 2 s of connecting (the probes give up after 1 s, functions/health/health.ts);
 * past 3 s the answer is useless, so a stuck invocation ends there instead of holding a reserved environment.
 */
export const HEALTH_FUNCTION_TIMEOUT_SECONDS = 3;
export const HEALTH_FUNCTION_MEMORY_MB = 256;

export interface HealthEndpointArgs extends RegionalStoreFunctionArgs {
    readonly apiId: pulumi.Input<string>;
    readonly apiExecutionArn: pulumi.Input<string>;
    /** The open `GET /health`'s own function (no reserved concurrency: nothing depends on it). */
    readonly publicFunctionName: pulumi.Input<string>;
    readonly publicRoleName: pulumi.Input<string>;
    /** The secret last segment of Route 53's probe path (components/regional/health-probe.ts). */
    readonly probeToken: pulumi.Input<string>;
}

export interface HealthEndpoint {
    /** The function Route 53 probes (reserved concurrency, reached only through the probe route). */
    readonly functionName: pulumi.Output<string>;
    readonly functionArn: pulumi.Output<string>;
    /** The open `GET /health`'s function. */
    readonly publicFunctionName: pulumi.Output<string>;
    /** Both functions' log groups (the probe's, then the open route's). */
    readonly logGroups: readonly NamedLogGroup[];
    /** The stage's `routeSettings` must wait for them (API Gateway refuses settings for a route that does not exist). */
    readonly routes: aws.apigatewayv2.Route[];
    /** The stage's throttles for the open route and the probe route: separate from the payments' default route settings. */
    readonly routeSettings: pulumi.Input<aws.types.input.apigatewayv2.StageRouteSetting>[];
    /** `/health/<token>`, secret: what Route 53's HTTPS check requests. */
    readonly probePath: pulumi.Output<string>;
}

/** One health function behind one route: integration, route and invoke permission. */
function createHealthRoute(
    name: string,
    a: {
        apiId: pulumi.Input<string>;
        functionArn: pulumi.Input<string>;
        functionName: pulumi.Input<string>;
        routeKey: pulumi.Input<string>;
        sourceArn: pulumi.Input<string>;
    },
    ids: { integration: string; route: string; permission: string },
    opts: { parent: pulumi.Resource },
): aws.apigatewayv2.Route {
    const integration = new aws.apigatewayv2.Integration(
        `${name}-${ids.integration}`,
        {
            apiId: a.apiId,
            integrationType: "AWS_PROXY",
            integrationMethod: "POST",
            integrationUri: a.functionArn,
            payloadFormatVersion: "2.0",
            timeoutMilliseconds: HEALTH_FUNCTION_TIMEOUT_SECONDS * 1000,
        },
        opts,
    );
    const route = new aws.apigatewayv2.Route(
        `${name}-${ids.route}`,
        {
            apiId: a.apiId,
            routeKey: a.routeKey,
            target: pulumi.interpolate`integrations/${integration.id}`,
            // Open on purpose, and said so: Route 53's checkers can neither sign requests nor present tokens.
            authorizationType: "NONE",
        },
        opts,
    );
    new aws.lambda.Permission(
        `${name}-${ids.permission}`,
        { action: "lambda:InvokeFunction", function: a.functionName, principal: "apigateway.amazonaws.com", sourceArn: a.sourceArn },
        opts,
    );
    return route;
}

/**
 * The region's health endpoints, each with its own function, role, log group, integration and route throttle:
 * - Route 53's probe, `GET /health/<token>`: reserved concurrency, reachable only by whoever knows the token, so
 *   neither payment load nor a flood of the open route can make it answer 429 (components/regional/health-probe.ts);
 * - the open `GET /health` for people, canaries and `npm run failover`'s "who answers": the same code and answer,
 *   its own function on the account's unreserved pool, its own throttle; a flood of it decides nothing.
 * Children are parented to the calling component.
 */
export function createHealthEndpoint(name: string, a: HealthEndpointArgs, opts: { parent: pulumi.Resource }): HealthEndpoint {
    const healthFunction = (id: string, functionName: pulumi.Input<string>, roleName: pulumi.Input<string>, reservedConcurrency?: number) =>
        createRegionalFunction(
            name,
            {
                source: "health",
                id,
                functionName,
                roleName,
                description: `payments-dr health: proves the ${a.role} region (${a.region}) can write a payment`,
                roleDescription: `payments health check ${a.role} (${a.region}) execution role`,
                memoryMb: HEALTH_FUNCTION_MEMORY_MB,
                timeoutSeconds: HEALTH_FUNCTION_TIMEOUT_SECONDS,
                reservedConcurrency,
                environment: regionalStoreEnvironment(a),
                logRetentionDays: a.logRetentionDays,
                keyArn: a.keyArn,
                accountId: a.accountId,
                policy: (logGroupArn) =>
                    pulumi
                        .all([a.tableArn, a.bucketArn, a.keyArn, logGroupArn])
                        .apply(([tableArn, bucketArn, keyArn, logs]) =>
                            JSON.stringify(healthPolicy({ region: a.region, tableArn, bucketArn, keyArn, logGroupArn: logs })),
                        ),
            },
            opts,
        );
    // Route 53's: the logical names that shipped with the single health function are kept for it.
    const probe = healthFunction("health", a.functionName, a.roleName, HEALTH_RESERVED_CONCURRENCY);
    const open = healthFunction("health-public", a.publicFunctionName, a.publicRoleName);
    const probeFn = probe.fn;
    const publicFn = open.fn;
    const probeToken = pulumi.output(a.probeToken);
    const probeRouteKey = pulumi.secret(probeToken.apply(healthProbeRouteKey));
    const probeRoute = createHealthRoute(
        name,
        {
            apiId: a.apiId,
            functionArn: probeFn.arn,
            functionName: probeFn.name,
            routeKey: probeRouteKey,
            // Any path under /health/: the API routes only the exact token here, and the token stays out of the policy.
            sourceArn: pulumi.interpolate`${a.apiExecutionArn}/*/GET/health/*`,
        },
        { integration: "health-integration", route: "route-health-probe", permission: "health-invoke" },
        opts,
    );
    const publicRoute = createHealthRoute(
        name,
        {
            apiId: a.apiId,
            functionArn: publicFn.arn,
            functionName: publicFn.name,
            routeKey: HEALTH_ROUTE_KEY,
            sourceArn: pulumi.interpolate`${a.apiExecutionArn}/*/GET/health`,
        },
        // The open route keeps the logical name it shipped with (then served by the processor, later by the probe's function).
        { integration: "health-public-integration", route: "route-health", permission: "health-public-invoke" },
        opts,
    );
    return {
        functionName: probeFn.name,
        functionArn: probeFn.arn,
        publicFunctionName: publicFn.name,
        logGroups: [probe.logGroup, open.logGroup],
        routes: [publicRoute, probeRoute],
        routeSettings: [
            {
                routeKey: HEALTH_ROUTE_KEY,
                throttlingRateLimit: HEALTH_ROUTE_RATE_LIMIT,
                throttlingBurstLimit: HEALTH_ROUTE_BURST_LIMIT,
                detailedMetricsEnabled: false,
            },
            {
                routeKey: probeRouteKey,
                throttlingRateLimit: HEALTH_PROBE_ROUTE_RATE_LIMIT,
                throttlingBurstLimit: HEALTH_PROBE_ROUTE_BURST_LIMIT,
                detailedMetricsEnabled: false,
            },
        ],
        probePath: pulumi.secret(probeToken.apply(healthProbePath)),
    };
}
