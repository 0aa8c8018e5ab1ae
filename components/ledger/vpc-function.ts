import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functionArchive, LAMBDA_RUNTIME } from "../shared/function-bundle";
import { PolicyDocument, serviceTrustPolicy, trustPolicyJson } from "../shared/iam";
import { LedgerNetwork } from "./network";
import { names, RegionRole } from "../shared/naming";
import { NamedLogGroup, namedLogGroup } from "../shared/log-groups";

/** Lambda's Node.js runtimes ship Amazon RDS's CA certificates here; Node loads them only through NODE_EXTRA_CA_CERTS. */
export const RDS_CA_BUNDLE_PATH = "/var/runtime/ca-cert.pem";

/** What every ledger function component takes: where it runs and how it reaches the ledger. */
export interface LedgerFunctionPlacement {
    readonly role: RegionRole;
    readonly region: string;
    readonly network: LedgerNetwork;
    /** This region's customer-managed key (log group, environment, queues). */
    readonly keyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    /** The global writer endpoint, its port and the database name. */
    readonly writerEndpoint: pulumi.Input<string>;
    readonly port: number;
    readonly databaseName: string;
    readonly logRetentionDays: number;
    readonly envLabel: string;
    readonly nameSuffix: pulumi.Input<string>;
}

/** What the policy builder receives: the ARNs that exist only once the log group is created. */
export interface VpcFunctionArns {
    readonly logGroupArn: string;
    readonly subnetArns: string[];
    readonly securityGroupArn: string;
}

export interface LedgerVpcFunctionArgs {
    /** The folder under `functions/` to bundle. */
    readonly code: string;
    readonly functionName: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;
    readonly description: string;
    readonly network: LedgerNetwork;
    readonly keyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    readonly logRetentionDays: number;
    /** The role's permissions, from real ARNs. */
    readonly policy: (arns: VpcFunctionArns) => pulumi.Input<PolicyDocument>;
    readonly environment: Record<string, pulumi.Input<string>>;
    readonly memorySize: number;
    readonly timeout: number;
}

/**
 * A ledger function in the ledger VPC (its subnets and the functions' security group): its encrypted log group
 * created first, a role only Lambda may assume with exactly the given policy, TLS to RDS verified with Lambda's
 * CA bundle. No dead-letter queue: nothing invokes these asynchronously (a stream mapping and Pulumi's
 * Invocation call them synchronously; the mapping has its own on-failure destination). `name` prefixes the children (`<name>-logs`, `-role`, `-policy`, `-function`).
 */
export function createLedgerVpcFunction(
    name: string,
    a: LedgerVpcFunctionArgs,
    parent: pulumi.Resource,
): { fn: aws.lambda.Function; rolePolicy: aws.iam.RolePolicy; logGroup: aws.cloudwatch.LogGroup; namedLogGroup: NamedLogGroup } {
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-logs`,
        { name: a.functionName.apply(names.functionLogGroup), retentionInDays: a.logRetentionDays, kmsKeyId: a.keyArn },
        { parent },
    );
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            name: a.roleName,
            description: `${a.description}: execution role`,
            assumeRolePolicy: pulumi.output(a.accountId).apply((id) => trustPolicyJson(serviceTrustPolicy("lambda.amazonaws.com", id))),
        },
        { parent },
    );
    const rolePolicy = new aws.iam.RolePolicy(
        `${name}-policy`,
        {
            role: role.id,
            policy: pulumi
                .all([logGroup.arn, pulumi.all(a.network.subnetArns), a.network.functionSecurityGroupArn])
                .apply(([logGroupArn, subnetArns, securityGroupArn]) => pulumi.output(a.policy({ logGroupArn, subnetArns, securityGroupArn })))
                .apply((doc) => JSON.stringify(doc)),
        },
        { parent },
    );
    const fn = new aws.lambda.Function(
        `${name}-function`,
        {
            name: a.functionName,
            description: a.description,
            role: role.arn,
            runtime: LAMBDA_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            code: functionArchive(a.code),
            memorySize: a.memorySize,
            timeout: a.timeout,
            kmsKeyArn: a.keyArn,
            vpcConfig: { subnetIds: a.network.subnetIds, securityGroupIds: [a.network.functionSecurityGroupId] },
            environment: { variables: { ...a.environment, NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE_PATH } },
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        },
        { parent, dependsOn: [logGroup, rolePolicy] },
    );
    return { fn, rolePolicy, logGroup, namedLogGroup: namedLogGroup(`${name}-logs`, logGroup) };
}
