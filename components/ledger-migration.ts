import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MIGRATIONS } from "../functions/ledger-projector/schema";
import { functionArchive, LAMBDA_RUNTIME } from "./function-bundle";
import { serviceTrustPolicy, trustPolicyJson } from "./iam";
import { migratorPolicy } from "./ledger-iam";
import { ledgerNames } from "./ledger-naming";
import { LedgerNetwork } from "./ledger-network";
import { RDS_CA_BUNDLE_PATH } from "./ledger-projector";
import { names, NameContext, RegionRole } from "./naming";

/** Hash of every migration: a new or changed migration re-runs the deploy-time invocation, nothing else does. */
export function migrationsHash(): string {
    return crypto.createHash("sha256").update(JSON.stringify(MIGRATIONS)).digest("hex");
}

export interface LedgerMigrationArgs {
    readonly role: RegionRole;
    readonly region: string;
    readonly network: LedgerNetwork;
    readonly keyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    readonly writerEndpoint: pulumi.Input<string>;
    readonly port: number;
    readonly databaseName: string;
    readonly masterSecretArn: pulumi.Input<string>;
    /** The key the master secret is encrypted with (the primary's). */
    readonly secretKeyArn: pulumi.Input<string>;
    readonly failureQueueArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly envLabel: string;
    readonly nameSuffix: pulumi.Input<string>;
    /** What must exist before migrating (the clusters' instances, the endpoint, the peering routes). */
    readonly runAfter: pulumi.Input<pulumi.Resource>[];
}

/**
 * The deploy-time migration step: a small Lambda function in the writer region's ledger VPC that applies the
 * ledger's migrations as the master user, and an `aws.lambda.Invocation` that runs it during `pulumi up`
 * whenever the migrations' hash changes (a failed migration fails the deployment). The migrations themselves
 * are idempotent, so re-running one (a replaced invocation, a manual invoke) is harmless.
 */
export class LedgerMigration extends pulumi.ComponentResource {
    public readonly functionName: pulumi.Output<string>;
    public readonly invocation: aws.lambda.Invocation;

    constructor(name: string, args: LedgerMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments-dr:ledger:LedgerMigration", name, {}, opts);
        const { role, region, network } = args;
        const parent = { parent: this };
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: args.envLabel, suffix }));

        const functionName = nameOf((ctx) => ledgerNames.migratorFunction(ctx, role));
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: functionName.apply(names.functionLogGroup), retentionInDays: args.logRetentionDays, kmsKeyId: args.keyArn },
            parent,
        );
        const executionRole = new aws.iam.Role(
            `${name}-role`,
            {
                name: nameOf((ctx) => ledgerNames.migratorRole(ctx, role)),
                description: `ledger migrator ${role} (${region}) execution role`,
                assumeRolePolicy: pulumi.output(args.accountId).apply((id) => trustPolicyJson(serviceTrustPolicy("lambda.amazonaws.com", id))),
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: executionRole.id,
                policy: pulumi
                    .all([
                        pulumi.all([args.accountId, logGroup.arn, args.failureQueueArn, args.masterSecretArn, args.secretKeyArn, args.keyArn, network.functionSecurityGroupArn]),
                        pulumi.all(network.subnetArns),
                    ])
                    .apply(([[accountId, logGroupArn, failureQueueArn, masterSecretArn, secretKeyArn, keyArn, securityGroupArn], subnetArns]) =>
                        JSON.stringify(
                            migratorPolicy({ region, accountId, logGroupArn, failureQueueArn, masterSecretArn, secretKeyArn, keyArn, subnetArns, securityGroupArn }),
                        ),
                    ),
            },
            parent,
        );
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                name: functionName,
                description: `payments-dr ledger migrator (${role}, ${region}): applies ledger schema migrations`,
                role: executionRole.arn,
                runtime: LAMBDA_RUNTIME,
                architectures: ["arm64"],
                handler: "index.handler",
                code: functionArchive("ledger-migrator"),
                memorySize: 256,
                timeout: 120,
                kmsKeyArn: args.keyArn,
                vpcConfig: { subnetIds: network.subnetIds, securityGroupIds: [network.functionSecurityGroupId] },
                environment: {
                    variables: {
                        LEDGER_DB_HOST: args.writerEndpoint,
                        LEDGER_DB_PORT: String(args.port),
                        LEDGER_DB_NAME: args.databaseName,
                        LEDGER_MASTER_SECRET_ARN: args.masterSecretArn,
                        NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE_PATH,
                    },
                },
                deadLetterConfig: { targetArn: args.failureQueueArn },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
            },
            { parent: this, dependsOn: [logGroup, rolePolicy] },
        );
        this.functionName = fn.name;

        const hash = migrationsHash();
        this.invocation = new aws.lambda.Invocation(
            `${name}-run`,
            { functionName: fn.name, input: JSON.stringify({ migrationsHash: hash }), triggers: { migrationsHash: hash } },
            { parent: this, dependsOn: [fn, ...args.runAfter] },
        );

        this.registerOutputs({ functionName: this.functionName });
    }
}
