import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { authEnvironment } from "./api-routes";
import { functionArchive, LAMBDA_RUNTIME } from "../shared/function-bundle";
import { processorPolicy } from "./function-policies";
import { serviceTrustPolicy, trustPolicyJson } from "../shared/iam";
import { NamedLogGroup, namedLogGroup } from "../shared/log-groups";
import { NameContext, names } from "../shared/naming";
import { processorSecurityEnvironment } from "./processor-security";
import type { ResolvedRegionalStackArgs } from "./regional-stack-args";
import { fenceEnvironment } from "../takeover/authority-store";

export interface ProcessorArgs {
    readonly a: ResolvedRegionalStackArgs;
    readonly keyArn: pulumi.Output<string>;
    readonly bucket: aws.s3.Bucket;
    /** The global table's replica in this region. */
    readonly tableReplicaArn: pulumi.Output<string>;
    readonly accountId: pulumi.Output<string>;
    nameOf(f: (ctx: NameContext) => string): pulumi.Output<string>;
}

export interface Processor {
    readonly fn: aws.lambda.Function;
    /** The `live` alias both regions call when the standby keeps warm environments. */
    readonly live?: aws.lambda.Alias;
    readonly logGroup: NamedLogGroup;
    /** The FIS fault-configuration bucket, when `faultInjection` is on. */
    readonly faultConfigBucketArn?: pulumi.Output<string>;
}

/**
 * The transaction processor: log group first (so Lambda never creates an unencrypted one itself), role, policy,
 * function, and with a warm standby the `live` alias and the standby's provisioned concurrency.
 */
export function createProcessor(name: string, args: ProcessorArgs, stack: pulumi.Resource): Processor {
    const { a, keyArn, bucket, nameOf } = args;
    const { role, region } = a;
    const identity = { accountId: args.accountId };
    const key = { arn: keyArn };
    const parent = { parent: stack };
    const warmStandby = a.standbyProvisionedConcurrency > 0;
    const functionName = nameOf((ctx) => names.processorFunction(ctx, role));
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-processor-logs`,
        { name: functionName.apply(names.functionLogGroup), retentionInDays: a.logRetentionDays, kmsKeyId: key.arn },
        parent,
    );
    const processorRole = new aws.iam.Role(
        `${name}-processor-role`,
        {
            name: nameOf((ctx) => names.processorRole(ctx, role)),
            description: `transaction-processor ${role} (${region}) execution role`,
            assumeRolePolicy: identity.accountId.apply((accountId) => trustPolicyJson(serviceTrustPolicy("lambda.amazonaws.com", accountId))),
        },
        parent,
    );
    // Game days: the FIS extension on the processor, reading fault configurations from this region's bucket.
    const faults = a.faultInjection?.({ name, role, keyArn, protectData: a.protectData, nameOf, parent: stack });
    // Reading the authority is granted by the TakeoverAuthority component, which owns the table.
    const fence = a.fence;
    const processorRolePolicy = new aws.iam.RolePolicy(
        `${name}-processor-policy`,
        {
            role: processorRole.id,
            policy: pulumi
                .all([args.tableReplicaArn, bucket.arn, key.arn, logGroup.arn, faults?.policyStatements])
                .apply(([tableArn, bucketArn, keyArn, logGroupArn, extraStatements]) =>
                    JSON.stringify(
                        processorPolicy({
                            region,
                            tableArn,
                            bucketArn,
                            keyArn,
                            logGroupArn,
                            ...(extraStatements ? { extraStatements } : {}),
                        }),
                    ),
                ),
        },
        parent,
    );
    const fn = new aws.lambda.Function(
        `${name}-processor`,
        {
            name: functionName,
            description: `payments-dr transaction processor (${role}, ${region})`,
            role: processorRole.arn,
            runtime: LAMBDA_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            code: functionArchive("transaction-processor"),
            memorySize: a.lambdaMemoryMb,
            timeout: a.lambdaTimeoutSeconds,
            reservedConcurrentExecutions: a.reservedConcurrency,
            // A warm standby needs a published version behind an alias (provisioned concurrency needs a qualifier).
            publish: warmStandby,
            kmsKeyArn: key.arn,
            layers: faults ? [faults.layerArn] : undefined,
            environment: {
                // Lambda reserves AWS_* names (AWS_REGION is set by the runtime); ours are prefixed differently.
                variables: {
                    TABLE_NAME: a.tableName,
                    BUCKET_NAME: bucket.bucket,
                    APP_REGION: region,
                    REGION_ROLE: role,
                    KMS_KEY_ID: key.arn,
                    APP_ENV: a.environment,
                    MAX_AMOUNT_MINOR: String(a.maxAmountMinor),
                    ...authEnvironment(a.apiAuth, a.programTenantRoles),
                    ...processorSecurityEnvironment(a.processorSecurity),
                    CONSISTENCY_MODE: a.consistencyMode,
                    // The takeover authority fences this region's writes (functions/transaction-processor/fence.ts).
                    ...(fence ? fenceEnvironment(fence) : {}),
                    // Game days: Lambda starts the runtime through the FIS extension (fault-injection.ts).
                    ...(faults ? faults.environment : {}),
                },
            },
            tracingConfig: { mode: "Active" },
            // No dead-letter target: API Gateway invokes synchronously, and Lambda only dead-letters asynchronous
            // invocations. What can fail without a client retry is the receipt finisher, whose queue is the DLQ.
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        },
        { parent: stack, dependsOn: [logGroup, processorRolePolicy] },
    );
    // Both regions call the processor through the same alias (parity); only the standby keeps environments warm.
    const live = warmStandby
        ? new aws.lambda.Alias(`${name}-processor-live`, { name: "live", functionName: fn.name, functionVersion: fn.version }, parent)
        : undefined;
    if (live && role === "secondary") {
        new aws.lambda.ProvisionedConcurrencyConfig(
            `${name}-processor-warm`,
            { functionName: fn.name, qualifier: live.name, provisionedConcurrentExecutions: a.standbyProvisionedConcurrency },
            parent,
        );
    }
    return { fn, live, logGroup: namedLogGroup(`${name}-processor-logs`, logGroup), faultConfigBucketArn: faults?.bucketArn };
}
