import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_RESERVED_CONCURRENCY, HEALTH_ROUTE_BURST_LIMIT, HEALTH_ROUTE_RATE_LIMIT } from "./capacity";
import { functionArchive, LAMBDA_RUNTIME } from "./function-bundle";
import { healthPolicy, serviceTrustPolicy, trustPolicyJson } from "./iam";
import { RegionRole } from "./naming";

/** The route Route 53's HTTPS checks call; it has its own throttle in the stage's `routeSettings`. */
export const HEALTH_ROUTE_KEY = "GET /health";
/**
 * Route 53 needs the answer within 2 s of connecting (the probes give up after 1 s, functions/health/health.ts);
 * past 3 s the answer is useless, so a stuck invocation ends there instead of holding a reserved environment.
 */
export const HEALTH_FUNCTION_TIMEOUT_SECONDS = 3;
export const HEALTH_FUNCTION_MEMORY_MB = 256;

export interface HealthEndpointArgs {
    readonly role: RegionRole;
    readonly region: string;
    readonly functionName: pulumi.Input<string>;
    readonly roleName: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly apiId: pulumi.Input<string>;
    readonly apiExecutionArn: pulumi.Input<string>;
    readonly tableName: pulumi.Input<string>;
    readonly tableArn: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
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
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-health-logs`,
        { name: pulumi.interpolate`/aws/lambda/${a.functionName}`, retentionInDays: a.logRetentionDays, kmsKeyId: a.keyArn },
        opts,
    );
    const role = new aws.iam.Role(
        `${name}-health-role`,
        {
            name: a.roleName,
            description: `payments health check ${a.role} (${a.region}) execution role`,
            assumeRolePolicy: pulumi.output(a.accountId).apply((accountId) => trustPolicyJson(serviceTrustPolicy("lambda.amazonaws.com", accountId))),
        },
        opts,
    );
    const rolePolicy = new aws.iam.RolePolicy(
        `${name}-health-policy`,
        {
            role: role.id,
            policy: pulumi
                .all([a.tableArn, a.bucketArn, a.keyArn, logGroup.arn])
                .apply(([tableArn, bucketArn, keyArn, logGroupArn]) =>
                    JSON.stringify(healthPolicy({ region: a.region, tableArn, bucketArn, keyArn, logGroupArn })),
                ),
        },
        opts,
    );
    const fn = new aws.lambda.Function(
        `${name}-health`,
        {
            name: a.functionName,
            description: `payments-dr health: proves the ${a.role} region (${a.region}) can write a payment`,
            role: role.arn,
            runtime: LAMBDA_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            code: functionArchive("health"),
            memorySize: HEALTH_FUNCTION_MEMORY_MB,
            timeout: HEALTH_FUNCTION_TIMEOUT_SECONDS,
            reservedConcurrentExecutions: HEALTH_RESERVED_CONCURRENCY,
            kmsKeyArn: a.keyArn,
            environment: {
                variables: { TABLE_NAME: a.tableName, BUCKET_NAME: a.bucketName, APP_REGION: a.region, REGION_ROLE: a.role, KMS_KEY_ID: a.keyArn },
            },
            tracingConfig: { mode: "Active" },
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        },
        { ...opts, dependsOn: [logGroup, rolePolicy] },
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
