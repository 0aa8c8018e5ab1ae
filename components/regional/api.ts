import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogFormat } from "./access-log-format";
import { API_ROUTES, authorizationScopesFor, authorizationTypeFor } from "./api-routes";
import { createHealthEndpoint, HealthEndpoint } from "./health-endpoint";
import { createHealthProbeToken } from "./health-probe";
import { NamedLogGroup, namedLogGroup } from "../shared/log-groups";
import { NameContext, names } from "../shared/naming";
import type { Processor } from "./processor";
import type { ResolvedRegionalStackArgs } from "./regional-stack-args";
import type { RegionalStoreFunctionArgs } from "./function";

export interface RegionalApiArgs {
    readonly a: ResolvedRegionalStackArgs;
    readonly keyArn: pulumi.Output<string>;
    readonly processor: Processor;
    /** What the health functions read and write: this region's stores and key. */
    readonly stores: Omit<RegionalStoreFunctionArgs, "functionName" | "roleName">;
    nameOf(f: (ctx: NameContext) => string): pulumi.Output<string>;
}

export interface RegionalApi {
    readonly api: aws.apigatewayv2.Api;
    readonly stage: aws.apigatewayv2.Stage;
    readonly health: HealthEndpoint;
    readonly accessLogs: NamedLogGroup;
}

/**
 * The region's HTTP API: access logs, the processor's integration and the transaction routes (JWT or SigV4, see
 * components/regional/api-routes.ts), the health endpoints, the throttled `$default` stage and the invoke permission.
 */
export function createRegionalApi(name: string, r: RegionalApiArgs, stack: pulumi.Resource): RegionalApi {
    const { a, nameOf } = r;
    const { role, region } = a;
    const { fn, live } = r.processor;
    const key = { arn: r.keyArn };
    const parent = { parent: stack };
    const stores = r.stores;
    const accessLogs = new aws.cloudwatch.LogGroup(
        `${name}-api-access-logs`,
        { name: nameOf((ctx) => names.accessLogGroup(ctx, role)), retentionInDays: a.logRetentionDays, kmsKeyId: key.arn },
        parent,
    );
    const api = new aws.apigatewayv2.Api(
        `${name}-api`,
        {
            name: nameOf((ctx) => names.httpApi(ctx, role)),
            protocolType: "HTTP",
            description: `payments-dr transactions API (${role}, ${region})`,
            disableExecuteApiEndpoint: a.disableExecuteApiEndpoint,
        },
        parent,
    );
    const integration = new aws.apigatewayv2.Integration(
        `${name}-processor-integration`,
        {
            apiId: api.id,
            integrationType: "AWS_PROXY",
            integrationMethod: "POST",
            integrationUri: live ? live.arn : fn.arn,
            payloadFormatVersion: "2.0",
            timeoutMilliseconds: Math.min(30_000, a.lambdaTimeoutSeconds * 1000),
        },
        parent,
    );
    // Authentication (see components/regional/api-routes.ts): a JWT authorizer in jwt mode, SigV4 (AWS_IAM) in iam mode.
    const auth = a.apiAuth;
    const authorizer =
        auth.mode === "jwt"
            ? new aws.apigatewayv2.Authorizer(
                  `${name}-jwt-authorizer`,
                  {
                      apiId: api.id,
                      name: "transactions-jwt",
                      authorizerType: "JWT",
                      identitySources: ["$request.header.Authorization"],
                      jwtConfiguration: { issuer: auth.issuer, audiences: [...auth.audiences] },
                  },
                  parent,
              )
            : undefined;
    for (const route of API_ROUTES) {
        const authorizationType = authorizationTypeFor(route, auth);
        new aws.apigatewayv2.Route(
            `${name}-route-${route.id}`,
            {
                apiId: api.id,
                routeKey: route.routeKey,
                target: pulumi.interpolate`integrations/${integration.id}`,
                authorizationType,
                authorizerId: authorizationType === "JWT" ? authorizer?.id : undefined,
                authorizationScopes: authorizationScopesFor(route, auth),
            },
            parent,
        );
    }
    const health = createHealthEndpoint(
        name,
        {
            ...stores,
            functionName: nameOf((ctx) => names.healthFunction(ctx, role)),
            roleName: nameOf((ctx) => names.healthRole(ctx, role)),
            publicFunctionName: nameOf((ctx) => names.healthPublicFunction(ctx, role)),
            publicRoleName: nameOf((ctx) => names.healthPublicRole(ctx, role)),
            apiId: api.id,
            apiExecutionArn: api.executionArn,
            probeToken: a.healthProbeToken ?? createHealthProbeToken(name, parent),
        },
        parent,
    );
    const stage = new aws.apigatewayv2.Stage(
        `${name}-stage`,
        {
            apiId: api.id,
            name: "$default",
            autoDeploy: true,
            defaultRouteSettings: {
                throttlingRateLimit: a.throttle.rateLimit,
                throttlingBurstLimit: a.throttle.burstLimit,
                detailedMetricsEnabled: false,
            },
            // The health routes' own throttles: payment traffic at the stage limit cannot make them answer 429.
            routeSettings: health.routeSettings,
            accessLogSettings: {
                destinationArn: accessLogs.arn,
                // Who called, too (components/regional/access-log-format.ts).
                format: accessLogFormat(a.apiAuth),
            },
        },
        // API Gateway refuses route settings for a route that does not exist yet.
        { parent: stack, dependsOn: health.routes },
    );
    new aws.lambda.Permission(
        `${name}-api-invoke`,
        {
            action: "lambda:InvokeFunction",
            function: fn.name,
            qualifier: live?.name,
            principal: "apigateway.amazonaws.com",
            // This API only, any stage and route.
            sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
        },
        parent,
    );
    return { api, stage, health, accessLogs: namedLogGroup(`${name}-api-access-logs`, accessLogs) };
}
