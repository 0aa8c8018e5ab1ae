import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functionArchive, LAMBDA_RUNTIME } from "../shared/function-bundle";
import { serviceTrustPolicy, trustPolicyJson } from "../shared/iam";
import { RegionRole } from "../shared/naming";
import { NamedLogGroup, namedLogGroup } from "../shared/log-groups";

/** What a regional function that reads and writes this region's stores needs (the health endpoint, the receipt finisher). */
export interface RegionalStoreFunctionArgs {
    readonly role: RegionRole;
    readonly region: string;
    readonly functionName: pulumi.Input<string>;
    readonly roleName: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly tableName: pulumi.Input<string>;
    readonly tableArn: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
}

/** What such a function's code reads from its environment (functions/transaction-processor/store-config.ts). */
export function regionalStoreEnvironment(a: RegionalStoreFunctionArgs): Record<string, pulumi.Input<string>> {
    return { TABLE_NAME: a.tableName, BUCKET_NAME: a.bucketName, APP_REGION: a.region, REGION_ROLE: a.role, KMS_KEY_ID: a.keyArn };
}

export interface RegionalFunctionArgs {
    /** `functions/<source>/index.ts`; also the logical-name part (`<name>-<id>`, `<name>-<id>-role`, ...). */
    readonly source: string;
    readonly id: string;
    readonly functionName: pulumi.Input<string>;
    readonly roleName: pulumi.Input<string>;
    readonly description: string;
    readonly roleDescription: string;
    readonly memoryMb: number;
    readonly timeoutSeconds: number;
    /** @default - none: the account's unreserved pool */
    readonly reservedConcurrency?: number;
    readonly environment: Record<string, pulumi.Input<string>>;
    readonly logRetentionDays: number;
    readonly keyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    /** The role's policy document, given the function's log group ARN. */
    readonly policy: (logGroupArn: pulumi.Output<string>) => pulumi.Input<string>;
}

/**
 * A small regional Lambda with what every function here gets: its own encrypted log group created first (Lambda
 * would otherwise create an unencrypted one kept forever), its own role trusted only by Lambda for this account,
 * arm64, X-Ray, a KMS-encrypted environment and JSON logs. Children are parented to the calling component.
 */
/** A regional function and its log group. */
export interface RegionalFunction {
    readonly fn: aws.lambda.Function;
    readonly logGroup: NamedLogGroup;
}

export function createRegionalFunction(name: string, a: RegionalFunctionArgs, opts: { parent: pulumi.Resource }): RegionalFunction {
    const logGroupName = `${name}-${a.id}-logs`;
    const logGroup = new aws.cloudwatch.LogGroup(
        logGroupName,
        { name: pulumi.interpolate`/aws/lambda/${a.functionName}`, retentionInDays: a.logRetentionDays, kmsKeyId: a.keyArn },
        opts,
    );
    const role = new aws.iam.Role(
        `${name}-${a.id}-role`,
        {
            name: a.roleName,
            description: a.roleDescription,
            assumeRolePolicy: pulumi.output(a.accountId).apply((accountId) => trustPolicyJson(serviceTrustPolicy("lambda.amazonaws.com", accountId))),
        },
        opts,
    );
    const rolePolicy = new aws.iam.RolePolicy(`${name}-${a.id}-policy`, { role: role.id, policy: a.policy(logGroup.arn) }, opts);
    const fn = new aws.lambda.Function(
        `${name}-${a.id}`,
        {
            name: a.functionName,
            description: a.description,
            role: role.arn,
            runtime: LAMBDA_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            code: functionArchive(a.source),
            memorySize: a.memoryMb,
            timeout: a.timeoutSeconds,
            reservedConcurrentExecutions: a.reservedConcurrency,
            kmsKeyArn: a.keyArn,
            environment: { variables: a.environment },
            tracingConfig: { mode: "Active" },
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        },
        { ...opts, dependsOn: [logGroup, rolePolicy] },
    );
    return { fn, logGroup: namedLogGroup(logGroupName, logGroup) };
}
