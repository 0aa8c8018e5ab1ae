import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MIGRATIONS } from "../../contracts/ledger-schema";
import { migratorPolicy } from "./iam";
import { ledgerNames } from "./naming";
import { createLedgerVpcFunction, LedgerFunctionPlacement } from "./vpc-function";
import { NameContext } from "../shared/naming";
import { NamedLogGroup } from "../shared/log-groups";

/** Hash of every migration: a new or changed migration re-runs the deploy-time invocation, nothing else does. */
export function migrationsHash(): string {
    return crypto.createHash("sha256").update(JSON.stringify(MIGRATIONS)).digest("hex");
}

export interface LedgerMigrationArgs extends LedgerFunctionPlacement {
    readonly masterSecretArn: pulumi.Input<string>;
    /** The key the master secret is encrypted with (the primary's). */
    readonly secretKeyArn: pulumi.Input<string>;
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
    /** The migrator's log group. */
    public readonly logGroups: readonly NamedLogGroup[];

    constructor(name: string, args: LedgerMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments-dr:ledger:LedgerMigration", name, {}, opts);
        const { role, region, network } = args;
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: args.envLabel, suffix }));

        const { fn, namedLogGroup } = createLedgerVpcFunction(
            name,
            {
                code: "ledger-migrator",
                functionName: nameOf((ctx) => ledgerNames.migratorFunction(ctx, role)),
                roleName: nameOf((ctx) => ledgerNames.migratorRole(ctx, role)),
                description: `payments-dr ledger migrator (${role}, ${region}): applies ledger schema migrations`,
                network,
                keyArn: args.keyArn,
                accountId: args.accountId,
                logRetentionDays: args.logRetentionDays,
                policy: ({ logGroupArn, subnetArns, securityGroupArn }) =>
                    pulumi
                        .all([args.accountId, args.masterSecretArn, args.secretKeyArn, args.keyArn])
                        .apply(([accountId, masterSecretArn, secretKeyArn, keyArn]) =>
                            migratorPolicy({
                                region,
                                accountId,
                                logGroupArn,
                                masterSecretArn,
                                secretKeyArn,
                                keyArn,
                                subnetArns,
                                securityGroupArn,
                            }),
                        ),
                environment: {
                    LEDGER_DB_HOST: args.writerEndpoint,
                    LEDGER_DB_PORT: String(args.port),
                    LEDGER_DB_NAME: args.databaseName,
                    LEDGER_MASTER_SECRET_ARN: args.masterSecretArn,
                },
                memorySize: 256,
                timeout: 120,
            },
            this,
        );
        this.functionName = fn.name;
        this.logGroups = [namedLogGroup];

        const hash = migrationsHash();
        this.invocation = new aws.lambda.Invocation(
            `${name}-run`,
            { functionName: fn.name, input: JSON.stringify({ migrationsHash: hash }), triggers: { migrationsHash: hash } },
            { parent: this, dependsOn: [fn, ...args.runAfter] },
        );

        this.registerOutputs({ functionName: this.functionName });
    }
}
