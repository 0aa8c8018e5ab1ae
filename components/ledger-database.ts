import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AuroraLedgerSettings, SERVERLESS_INSTANCE_CLASS } from "./ledger-config";
import { ledgerNames } from "./ledger-naming";
import { LedgerNetwork, POSTGRES_PORT } from "./ledger-network";
import { NameContext, REGION_ROLES, RegionRole } from "./naming";

export const LEDGER_ENGINE = "aurora-postgresql";
/**
 * A current major with global-database and Serverless v2 support; upgrades go through the global cluster's
 * `engineVersion` (the regional clusters ignore theirs, see below).
 */
export const LEDGER_ENGINE_VERSION = "16.6";
export const LEDGER_PARAMETER_FAMILY = "aurora-postgresql16";
export const LEDGER_DATABASE_NAME = "ledger";
export const LEDGER_MASTER_USERNAME = "ledger_admin";
/** Services that use the regional keys once the ledger is on: RDS (storage) and Secrets Manager (the master secret). */
export const LEDGER_KEY_SERVICES = ["rds", "secretsmanager"];
/**
 * Inputs of the regional clusters that AWS itself changes during a global switchover or failover (and minor
 * version upgrades of the global cluster): Pulumi must never "restore" them. The Terraform AWS provider's
 * `aws_rds_cluster` docs say the same of `replication_source_identifier` for global cluster members, and its
 * `aws_rds_global_cluster` docs of `engine_version` on the member clusters.
 */
export const CLUSTER_IGNORED_AFTER_FAILOVER = ["replicationSourceIdentifier", "engineVersion", "globalClusterIdentifier"];

export interface LedgerDatabaseArgs {
    readonly ledger: AuroraLedgerSettings;
    readonly environment: string;
    readonly envLabel: string;
    readonly nameSuffix: pulumi.Input<string>;
    readonly networks: Readonly<Record<RegionRole, LedgerNetwork>>;
    /** Each region's customer-managed key: storage of that region's cluster (and, in the primary, the master secret). */
    readonly keyArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
}

/**
 * The Aurora PostgreSQL Global Database: the global cluster, the primary cluster (created with it, master
 * password managed by RDS in Secrets Manager), the secondary cluster joined to it in the other region, each on
 * its own provider, subnets, security group and key, with TLS forced and IAM database authentication on.
 * Spans regions: every child names its provider.
 */
export class LedgerDatabase extends pulumi.ComponentResource {
    public readonly globalClusterId: pulumi.Output<string>;
    public readonly globalClusterArn: pulumi.Output<string>;
    /** Always points at the writer of the current primary cluster: the projectors' only address. */
    public readonly globalWriterEndpoint: pulumi.Output<string>;
    public readonly clusterIdentifiers: Record<RegionRole, pulumi.Output<string>>;
    /** `DbClusterResourceId`s: what `rds-db:connect` ARNs name. */
    public readonly clusterResourceIds: Record<RegionRole, pulumi.Output<string>>;
    public readonly clusterArns: Record<RegionRole, pulumi.Output<string>>;
    /** The master user secret RDS manages (in the primary region, encrypted with the primary's key). */
    public readonly masterSecretArn: pulumi.Output<string>;
    /** Every instance: what the migration waits for. */
    public readonly instances: aws.rds.ClusterInstance[];
    public readonly port = POSTGRES_PORT;

    constructor(name: string, args: LedgerDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments-dr:ledger:LedgerDatabase", name, {}, opts);
        const { ledger, networks, providers } = args;
        const isProd = args.environment === "prod";
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: args.envLabel, suffix }));
        // Prod data survives a mistaken `pulumi destroy`; dev comes down cleanly.
        const inRegion = (role: RegionRole, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({
            parent: this,
            provider: providers[role],
            ...extra,
        });
        const dataOpts = (role: RegionRole, extra?: pulumi.CustomResourceOptions) => inRegion(role, { protect: isProd, ...extra });

        const globalCluster = new aws.rds.GlobalCluster(
            `${name}-global`,
            {
                globalClusterIdentifier: nameOf(ledgerNames.globalCluster),
                engine: LEDGER_ENGINE,
                engineVersion: LEDGER_ENGINE_VERSION,
                databaseName: LEDGER_DATABASE_NAME,
                storageEncrypted: true,
                deletionProtection: isProd,
            },
            dataOpts("primary"),
        );
        this.globalClusterId = globalCluster.id;
        this.globalClusterArn = globalCluster.arn;
        this.globalWriterEndpoint = globalCluster.endpoint;

        this.clusterIdentifiers = {} as Record<RegionRole, pulumi.Output<string>>;
        this.clusterResourceIds = {} as Record<RegionRole, pulumi.Output<string>>;
        this.clusterArns = {} as Record<RegionRole, pulumi.Output<string>>;
        this.instances = [];
        const clusters = {} as Record<RegionRole, aws.rds.Cluster>;
        const serverless = ledger.instanceClass === SERVERLESS_INSTANCE_CLASS;

        for (const role of REGION_ROLES) {
            const network = networks[role];
            const subnetGroup = new aws.rds.SubnetGroup(
                `${name}-${role}-subnets`,
                {
                    name: nameOf((ctx) => ledgerNames.subnetGroup(ctx, role)),
                    description: `Ledger ${role} cluster: private isolated subnets in three AZs`,
                    subnetIds: network.subnetIds,
                },
                inRegion(role),
            );
            // TLS required: with rds.force_ssl=1 the cluster refuses unencrypted connections.
            const parameters = new aws.rds.ClusterParameterGroup(
                `${name}-${role}-parameters`,
                {
                    name: nameOf((ctx) => ledgerNames.parameterGroup(ctx, role)),
                    family: LEDGER_PARAMETER_FAMILY,
                    description: "Ledger: TLS required",
                    parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
                },
                inRegion(role),
            );
            const common = {
                clusterIdentifier: nameOf((ctx) => ledgerNames.cluster(ctx, role)),
                engine: LEDGER_ENGINE,
                engineVersion: globalCluster.engineVersion,
                globalClusterIdentifier: globalCluster.id,
                dbSubnetGroupName: subnetGroup.name,
                dbClusterParameterGroupName: parameters.name,
                vpcSecurityGroupIds: [network.databaseSecurityGroupId],
                port: POSTGRES_PORT,
                // Each region's cluster on its own region's key (a KMS key cannot be used from another region).
                storageEncrypted: true,
                kmsKeyId: args.keyArns[role],
                iamDatabaseAuthenticationEnabled: true,
                deletionProtection: isProd,
                skipFinalSnapshot: !isProd,
                finalSnapshotIdentifier: isProd ? nameOf((ctx) => ledgerNames.finalSnapshot(ctx, role)) : undefined,
                backupRetentionPeriod: isProd ? 35 : 1,
                copyTagsToSnapshot: true,
                serverlessv2ScalingConfiguration: serverless ? { minCapacity: ledger.minCapacityAcu, maxCapacity: ledger.maxCapacityAcu } : undefined,
                applyImmediately: !isProd,
            };
            const failoverSafe = { ignoreChanges: CLUSTER_IGNORED_AFTER_FAILOVER };
            clusters[role] =
                role === "primary"
                    ? new aws.rds.Cluster(
                          `${name}-${role}-cluster`,
                          {
                              ...common,
                              databaseName: LEDGER_DATABASE_NAME,
                              masterUsername: LEDGER_MASTER_USERNAME,
                              // RDS keeps the master password in Secrets Manager and rotates it; nobody ever sees it in config.
                              manageMasterUserPassword: true,
                              masterUserSecretKmsKeyId: args.keyArns.primary,
                          },
                          // The global cluster must exist first (the race the earlier systems lost).
                          dataOpts(role, { dependsOn: [globalCluster], ...failoverSafe }),
                      )
                    : new aws.rds.Cluster(
                          `${name}-${role}-cluster`,
                          // AWS refuses master credentials and a database name on a secondary ("Cannot specify
                          // password for cross region replication cluster"); it inherits them from the primary.
                          { ...common },
                          // A secondary can only join once the primary has a writer instance.
                          dataOpts(role, { dependsOn: [globalCluster, clusters.primary, ...this.instances], ...failoverSafe }),
                      );
            const cluster = clusters[role];
            this.clusterIdentifiers[role] = cluster.clusterIdentifier;
            this.clusterResourceIds[role] = cluster.clusterResourceId;
            this.clusterArns[role] = cluster.arn;

            for (let n = 1; n <= ledger.instancesPerCluster; n++) {
                this.instances.push(
                    new aws.rds.ClusterInstance(
                        `${name}-${role}-instance-${n}`,
                        {
                            identifier: nameOf((ctx) => ledgerNames.instance(ctx, role, n)),
                            clusterIdentifier: cluster.id,
                            engine: LEDGER_ENGINE,
                            instanceClass: ledger.instanceClass,
                            dbSubnetGroupName: subnetGroup.name,
                            publiclyAccessible: false,
                            autoMinorVersionUpgrade: true,
                            // Instance 1 is the failover target of choice within the region.
                            promotionTier: n - 1,
                        },
                        dataOpts(role, { dependsOn: [cluster], ignoreChanges: ["engineVersion"] }),
                    ),
                );
            }
        }
        this.masterSecretArn = clusters.primary.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");

        this.registerOutputs({
            globalClusterId: this.globalClusterId,
            globalWriterEndpoint: this.globalWriterEndpoint,
            clusterIdentifiers: this.clusterIdentifiers,
        });
    }
}
