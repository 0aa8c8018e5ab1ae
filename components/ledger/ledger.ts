import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../shared/environment";
import { AuroraLedgerSettings } from "./settings";
import { createLedgerLagAlarms } from "./alarms";
import { LEDGER_DATABASE_NAME, LedgerDatabase } from "./database";
import { LedgerMigration } from "./migration";
import { LedgerNetwork } from "./network";
import { ledgerLagThresholds } from "./objectives";
import { LedgerPeering } from "./peering";
import { LedgerProjector } from "./projector";
import { ledgerRegionSwitchStep } from "./region-switch";
import { NameContext, REGION_ROLES, RegionRole } from "../shared/naming";
import { RegionalStack } from "../regional/regional-stack";
import { RegionalLogGroups } from "../shared/log-groups";

/**
 * AWS services the ledger's functions call from inside each region's VPC, i.e. the interface endpoints it
 * needs. Only the migrator calls one (Secrets Manager, for the master secret), and it runs in the primary
 * region. Not needed, on purpose: STS (IAM auth tokens are signed locally from the role's credentials), KMS
 * (Lambda decrypts environment variables before the code runs; Secrets Manager decrypts the secret),
 * CloudWatch Logs (Lambda ships function logs itself), DynamoDB Streams and SQS (the event source mapping
 * reads the stream and writes the on-failure destination outside the VPC).
 */
export const LEDGER_INTERFACE_ENDPOINTS: Readonly<Record<RegionRole, readonly string[]>> = {
    primary: ["secretsmanager"],
    secondary: [],
};

export interface LedgerArgs {
    /** `dev`, `staging` or `prod`: prod protects what this component keeps. */
    readonly environment: Environment;
    /** The environment part of every physical name (e.g. `prod`, `dev-alice`). */
    readonly envLabel: string;
    /** Retention of the ledger functions' log groups (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
    /** The stack's RPO target: the replication-lag alarms page before the ledger misses it. */
    readonly rpoTargetMinutes: number;
    readonly ledger: AuroraLedgerSettings;
    readonly nameSuffix: pulumi.Input<string>;
    readonly stacks: Readonly<Record<RegionRole, RegionalStack>>;
    /** Each region's stream of the transactions table (the home table's and the replica's). */
    readonly streamArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
}

/**
 * The optional relational ledger (`ledger: aurora-global`): a VPC per region with peering, the Aurora
 * PostgreSQL Global Database, the deploy-time migration, a projector per region feeding `ledger_entries` from
 * the table's streams, and the replication-lag alarms.
 */
export class Ledger extends pulumi.ComponentResource {
    public readonly globalWriterEndpoint: pulumi.Output<string>;
    public readonly globalClusterId: pulumi.Output<string>;
    public readonly clusterIdentifiers: Record<RegionRole, pulumi.Output<string>>;
    public readonly vpcIds: Record<RegionRole, pulumi.Output<string>>;
    /** The region config records as the writer (`ledgerWriterRole`). */
    public readonly writerRegion: string;
    /** The Aurora step for an ARC Region switch plan, for the failover component to add when it builds one. */
    public readonly regionSwitchStep: aws.types.input.arcregionswitch.PlanWorkflowStep;
    public readonly globalClusterArn: pulumi.Output<string>;
    public readonly clusterArns: Record<RegionRole, pulumi.Output<string>>;
    /** Every log group of the ledger by region (flow logs, migrator, projectors): what the log archive subscribes to. */
    public readonly logGroups: RegionalLogGroups;

    constructor(name: string, args: LedgerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments-dr:ledger:Ledger", name, {}, opts);
        const { ledger, stacks, providers } = args;
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: args.envLabel, suffix }));
        const regions = { primary: stacks.primary.region, secondary: stacks.secondary.region };
        const other = (role: RegionRole): RegionRole => (role === "primary" ? "secondary" : "primary");
        this.writerRegion = regions[ledger.writerRole];

        const networks = {} as Record<RegionRole, LedgerNetwork>;
        for (const role of REGION_ROLES) {
            networks[role] = new LedgerNetwork(
                `${name}-${role}-network`,
                {
                    role,
                    region: regions[role],
                    cidr: ledger.vpcCidrs[role],
                    peerCidr: ledger.vpcCidrs[other(role)],
                    interfaceServices: LEDGER_INTERFACE_ENDPOINTS[role],
                    keyArn: stacks[role].keyArn,
                    logRetentionDays: args.logRetentionDays,
                    envLabel: args.envLabel,
                    nameSuffix: args.nameSuffix,
                    accountId: stacks[role].accountId,
                },
                { parent: this, providers: { aws: providers[role] } },
            );
        }
        this.vpcIds = { primary: networks.primary.vpcId, secondary: networks.secondary.vpcId };
        const peering = new LedgerPeering(`${name}-peering`, { networks, providers }, { parent: this });

        const database = new LedgerDatabase(
            `${name}-database`,
            {
                ledger,
                environment: args.environment,
                envLabel: args.envLabel,
                nameSuffix: args.nameSuffix,
                networks,
                keyArns: { primary: stacks.primary.keyArn, secondary: stacks.secondary.keyArn },
                regions,
                providers,
            },
            { parent: this },
        );
        this.globalWriterEndpoint = database.globalWriterEndpoint;
        this.globalClusterId = database.globalClusterId;
        this.clusterIdentifiers = database.clusterIdentifiers;
        this.globalClusterArn = database.globalClusterArn;
        this.clusterArns = database.clusterArns;
        this.regionSwitchStep = ledgerRegionSwitchStep({
            globalClusterIdentifier: database.globalClusterId,
            clusterArns: [database.clusterArns.primary, database.clusterArns.secondary],
        });

        const thresholds = ledgerLagThresholds(args.rpoTargetMinutes);
        // The migration runs in the primary region (where the master secret is kept), before any projector reads a record.
        const migration = new LedgerMigration(
            `${name}-migration`,
            {
                role: "primary",
                region: regions.primary,
                network: networks.primary,
                keyArn: stacks.primary.keyArn,
                accountId: stacks.primary.accountId,
                writerEndpoint: database.globalWriterEndpoint,
                port: database.port,
                databaseName: LEDGER_DATABASE_NAME,
                masterSecretArn: database.masterSecretArn,
                secretKeyArn: stacks.primary.keyArn,
                logRetentionDays: args.logRetentionDays,
                envLabel: args.envLabel,
                nameSuffix: args.nameSuffix,
                // The writer endpoint may resolve to either region: both regions' instances, the endpoint and the routes first.
                runAfter: [...database.instances, networks.primary, peering],
            },
            { parent: this, providers: { aws: providers.primary } },
        );
        const projectors = {} as Record<RegionRole, LedgerProjector>;
        for (const role of REGION_ROLES) {
            projectors[role] = new LedgerProjector(
                `${name}-${role}-projector`,
                {
                    role,
                    region: regions[role],
                    regions,
                    writerRegion: this.writerRegion,
                    network: networks[role],
                    keyArn: stacks[role].keyArn,
                    topicArn: stacks[role].topicArn,
                    accountId: stacks[role].accountId,
                    streamArn: args.streamArns[role],
                    writerEndpoint: database.globalWriterEndpoint,
                    port: database.port,
                    databaseName: LEDGER_DATABASE_NAME,
                    clusterResourceIds: database.clusterResourceIds,
                    lagAlarmMs: thresholds.rpoLagMs,
                    logRetentionDays: args.logRetentionDays,
                    envLabel: args.envLabel,
                    nameSuffix: args.nameSuffix,
                    startAfter: [migration.invocation, peering],
                },
                { parent: this, providers: { aws: providers[role] } },
            );
            createLedgerLagAlarms(
                `${name}-${role}`,
                { role, region: regions[role], clusterIdentifier: database.clusterIdentifiers[role], thresholds, topicArn: stacks[role].topicArn, nameOf },
                { parent: this, provider: providers[role] },
            );
        }

        this.logGroups = {
            primary: [...networks.primary.logGroups, ...migration.logGroups, ...projectors.primary.logGroups],
            secondary: [...networks.secondary.logGroups, ...projectors.secondary.logGroups],
        };

        this.registerOutputs({
            globalWriterEndpoint: this.globalWriterEndpoint,
            globalClusterId: this.globalClusterId,
            clusterIdentifiers: this.clusterIdentifiers,
            vpcIds: this.vpcIds,
            writerRegion: this.writerRegion,
        });
    }
}
