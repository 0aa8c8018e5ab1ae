import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_RESERVED_CONCURRENCY, HEALTH_ROUTE_BURST_LIMIT, HEALTH_ROUTE_RATE_LIMIT } from "./capacity";
import { healthPolicy } from "./iam";
import { createRegionalFunction, regionalStoreEnvironment, RegionalStoreFunctionArgs } from "./regional-function";

/** The route Route 53's HTTPS checks call; it has its own throttle in the stage's `routeSettings`. */
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
}

export interface HealthEndpoint {
    readonly functionName: pulumi.Output<string>;
    readonly functionArn: pulumi.Output<string>;
    /** The stage's `routeSettings` must wait for it (API Gateway refuses settings for a route that does not exist). */
    readonly route: aws.apigatewayv2.Route;
    /** The stage's throttle for this route: separate from the payments' default route settings. */
    readonly routeSettings: aws.types.input.apigatewayv2.StageRouteSetting;
}

/**
 * `GET /health` in its own function, role, log group and integration. Its reserved concurrency and its own route
 * throttle mean a payment spike (stage throttle, processor concurrency) can never turn into a failing health
 * check and a failover to a cold standby. Children are parented to the calling component.
 */
export function createHealthEndpoint(name: string, a: HealthEndpointArgs, opts: { parent: pulumi.Resource }): HealthEndpoint {
    const fn = createRegionalFunction(
        name,
        {
            source: "health",
            id: "health",
            functionName: a.functionName,
            roleName: a.roleName,
            description: `payments-dr health: proves the ${a.role} region (${a.region}) can write a payment`,
            roleDescription: `payments health check ${a.role} (${a.region}) execution role`,
            memoryMb: HEALTH_FUNCTION_MEMORY_MB,
            timeoutSeconds: HEALTH_FUNCTION_TIMEOUT_SECONDS,
            reservedConcurrency: HEALTH_RESERVED_CONCURRENCY,
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
    const integration = new aws.apigatewayv2.Integration(
        `${name}-health-integration`,
        {
            apiId: a.apiId,
            integrationType: "AWS_PROXY",
            integrationMethod: "POST",
            integrationUri: fn.arn,
            payloadFormatVersion: "2.0",
            timeoutMilliseconds: HEALTH_FUNCTION_TIMEOUT_SECONDS * 1000,
        },
        opts,
    );
    // The logical name of the old route (then served by the processor) is kept: same route, new target.
    const route = new aws.apigatewayv2.Route(
        `${name}-route-health`,
        {
            apiId: a.apiId,
            routeKey: HEALTH_ROUTE_KEY,
            target: pulumi.interpolate`integrations/${integration.id}`,
            // Open on purpose, and said so: Route 53's checkers can neither sign requests nor present tokens.
            authorizationType: "NONE",
        },
        opts,
    );
    new aws.lambda.Permission(
        `${name}-health-invoke`,
        {
            action: "lambda:InvokeFunction",
            function: fn.name,
            principal: "apigateway.amazonaws.com",
            // This API's health route only.
            sourceArn: pulumi.interpolate`${a.apiExecutionArn}/*/GET/health`,
        },
        opts,
    );
    return {
        functionName: fn.name,
        functionArn: fn.arn,
        route,
        routeSettings: {
            routeKey: HEALTH_ROUTE_KEY,
            throttlingRateLimit: HEALTH_ROUTE_RATE_LIMIT,
            throttlingBurstLimit: HEALTH_ROUTE_BURST_LIMIT,
            detailedMetricsEnabled: false,
        },
    };
}
