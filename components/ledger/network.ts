import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy, trustPolicyJson } from "../shared/iam";
import { flowLogPolicy } from "./iam";
import { subnetCidrs } from "./cidr";
import { ledgerNames } from "./naming";
import { NameContext, RegionRole } from "../shared/naming";
import { NamedLogGroup, namedLogGroup } from "../shared/log-groups";

/** Three AZs: the database keeps a subnet in each, as RDS subnet groups and in-region failover want. */
export const LEDGER_AZ_COUNT = 3;
/** Aurora PostgreSQL's port. */
export const POSTGRES_PORT = 5432;
/** Gateway endpoints: free, route-table based; always present so nothing in the VPC needs a path to the internet for these. */
export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;

export interface LedgerNetworkArgs {
    readonly role: RegionRole;
    readonly region: string;
    /** The VPC's block (validated: private, /16-/22, not overlapping the peer's). */
    readonly cidr: string;
    /** The other region's VPC block: the database accepts the peer's projector and the functions reach the peer's writer. */
    readonly peerCidr: string;
    /**
     * AWS services the in-VPC functions of this region call from inside the VPC, each given an interface
     * endpoint (e.g. `secretsmanager`). Only what the code calls: each endpoint costs per AZ-hour.
     */
    readonly interfaceServices: readonly string[];
    /** This region's customer-managed key (flow-log group). */
    readonly keyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly envLabel: string;
    readonly nameSuffix: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
}

/**
 * The ledger's network in one region: a VPC with private isolated subnets in three AZs (no internet gateway,
 * no NAT gateway), one route table, gateway endpoints for S3 and DynamoDB, interface endpoints for exactly the
 * services the in-VPC functions call, security groups (functions, endpoints, database) and flow logs to an
 * encrypted log group. Pass the region's provider as `{ providers: { aws } }`.
 */
export class LedgerNetwork extends pulumi.ComponentResource {
    public readonly role: RegionRole;
    /** The VPC flow logs' log group. */
    public readonly logGroups: readonly NamedLogGroup[];
    public readonly region: string;
    public readonly cidr: string;
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcArn: pulumi.Output<string>;
    public readonly subnetIds: pulumi.Output<string>[];
    public readonly subnetArns: pulumi.Output<string>[];
    public readonly routeTableId: pulumi.Output<string>;
    /** Attached to every in-VPC function. */
    public readonly functionSecurityGroupId: pulumi.Output<string>;
    public readonly functionSecurityGroupArn: pulumi.Output<string>;
    /** Attached to the regional cluster. */
    public readonly databaseSecurityGroupId: pulumi.Output<string>;
    public readonly endpointServiceNames: string[];

    constructor(name: string, args: LedgerNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments-dr:ledger:LedgerNetwork", name, {}, opts);
        const { role, region } = args;
        const parent = { parent: this };
        const nameOf = (f: (ctx: NameContext) => string) => pulumi.output(args.nameSuffix).apply((suffix) => f({ envLabel: args.envLabel, suffix }));
        const tags = (what: string) => ({ Name: nameOf((ctx) => ledgerNames.tag(ctx, role, what)) });
        this.role = role;
        this.region = region;
        this.cidr = args.cidr;

        // DNS support and hostnames: private DNS of interface endpoints and the global writer endpoint need both.
        const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tags("vpc") }, parent);
        this.vpcId = vpc.id;
        this.vpcArn = vpc.arn;

        // No internet gateway and no NAT gateway exist in this VPC: the route table has only the local route,
        // the gateway endpoints' prefix-list routes and the peering route.
        const routeTable = new aws.ec2.RouteTable(`${name}-private-routes`, { vpcId: vpc.id, tags: tags("private") }, parent);
        this.routeTableId = routeTable.id;
        const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, parent);
        const cidrs = subnetCidrs(args.cidr, LEDGER_AZ_COUNT);
        this.subnetIds = [];
        this.subnetArns = [];
        cidrs.forEach((cidrBlock, i) => {
            const slot = `az${i + 1}`;
            const subnet = new aws.ec2.Subnet(
                `${name}-private-${slot}`,
                {
                    vpcId: vpc.id,
                    cidrBlock,
                    availabilityZone: zones.names.apply((names) => names[i]),
                    mapPublicIpOnLaunch: false,
                    tags: tags(`private-${slot}`),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${slot}-routes`, { subnetId: subnet.id, routeTableId: routeTable.id }, parent);
            this.subnetIds.push(subnet.id);
            this.subnetArns.push(subnet.arn);
        });

        // --- Security groups. Rules are separate resources so each one is visible and reviewable on its own.
        const functions = new aws.ec2.SecurityGroup(
            `${name}-functions-sg`,
            { vpcId: vpc.id, description: "Ledger functions: out to the database and the interface endpoints only", tags: tags("functions") },
            parent,
        );
        const database = new aws.ec2.SecurityGroup(
            `${name}-database-sg`,
            { vpcId: vpc.id, description: "Ledger cluster: PostgreSQL from the ledger functions of both regions only", tags: tags("database") },
            parent,
        );
        this.functionSecurityGroupId = functions.id;
        this.functionSecurityGroupArn = functions.arn;
        this.databaseSecurityGroupId = database.id;

        new aws.vpc.SecurityGroupEgressRule(
            `${name}-functions-postgres-local`,
            {
                securityGroupId: functions.id,
                referencedSecurityGroupId: database.id,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                description: "PostgreSQL to this region's cluster",
            },
            parent,
        );
        // Security groups cannot reference a group across a cross-region peering: the peer is named by its CIDR.
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-functions-postgres-peer`,
            {
                securityGroupId: functions.id,
                cidrIpv4: args.peerCidr,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                description: "PostgreSQL to the peer region's cluster (global writer)",
            },
            parent,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-database-from-functions`,
            {
                securityGroupId: database.id,
                referencedSecurityGroupId: functions.id,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                description: "PostgreSQL from this region's ledger functions",
            },
            parent,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-database-from-peer`,
            {
                securityGroupId: database.id,
                cidrIpv4: args.peerCidr,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                description: "PostgreSQL from the peer region's ledger functions",
            },
            parent,
        );

        // --- Endpoints.
        this.endpointServiceNames = [];
        for (const service of GATEWAY_ENDPOINT_SERVICES) {
            const serviceName = `com.amazonaws.${region}.${service}`;
            new aws.ec2.VpcEndpoint(
                `${name}-${service}-gateway`,
                { vpcId: vpc.id, serviceName, vpcEndpointType: "Gateway", routeTableIds: [routeTable.id], tags: tags(`${service}-gateway`) },
                parent,
            );
            this.endpointServiceNames.push(serviceName);
        }
        // Interface endpoints only where a function calls a service from inside the VPC: each costs per AZ-hour.
        const endpoints = args.interfaceServices.length === 0 ? undefined : this.endpointSecurityGroup(name, vpc.id, functions.id, tags("endpoints"));
        for (const service of args.interfaceServices) {
            const serviceName = `com.amazonaws.${region}.${service}`;
            new aws.ec2.VpcEndpoint(
                `${name}-${service}-interface`,
                {
                    vpcId: vpc.id,
                    serviceName,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: this.subnetIds,
                    securityGroupIds: [endpoints!.id],
                    tags: tags(`${service}-interface`),
                },
                parent,
            );
            this.endpointServiceNames.push(serviceName);
        }

        // --- Flow logs: every accepted and rejected connection, to a log group on the region's key.
        const flowLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { name: nameOf((ctx) => ledgerNames.flowLogGroup(ctx, role)), retentionInDays: args.logRetentionDays, kmsKeyId: args.keyArn },
            parent,
        );
        this.logGroups = [namedLogGroup(`${name}-flow-logs`, flowLogGroup)];
        const flowLogRole = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                name: nameOf((ctx) => ledgerNames.flowLogRole(ctx, role)),
                description: `VPC flow logs of the ledger VPC (${role}, ${region})`,
                assumeRolePolicy: pulumi.output(args.accountId).apply((id) => trustPolicyJson(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", id))),
            },
            parent,
        );
        const flowLogRolePolicy = new aws.iam.RolePolicy(
            `${name}-flow-logs-policy`,
            { role: flowLogRole.id, policy: flowLogGroup.arn.apply((arn) => JSON.stringify(flowLogPolicy(arn))) },
            parent,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogGroup.arn,
                iamRoleArn: flowLogRole.arn,
                maxAggregationInterval: 600,
                tags: tags("flow-log"),
            },
            { parent: this, dependsOn: [flowLogRolePolicy] },
        );

        this.registerOutputs({
            vpcId: this.vpcId,
            subnetIds: this.subnetIds,
            routeTableId: this.routeTableId,
            functionSecurityGroupId: this.functionSecurityGroupId,
            databaseSecurityGroupId: this.databaseSecurityGroupId,
        });
    }

    /** The interface endpoints' group: HTTPS in from the ledger functions only, and the functions' matching egress. */
    private endpointSecurityGroup(
        name: string,
        vpcId: pulumi.Output<string>,
        functionsGroupId: pulumi.Output<string>,
        tags: Record<string, pulumi.Input<string>>,
    ): aws.ec2.SecurityGroup {
        const parent = { parent: this };
        const endpoints = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            { vpcId, description: "Interface endpoints: HTTPS from the ledger functions only", tags },
            parent,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-endpoints-https-from-functions`,
            {
                securityGroupId: endpoints.id,
                referencedSecurityGroupId: functionsGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS from ledger functions",
            },
            parent,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-functions-https-to-endpoints`,
            {
                securityGroupId: functionsGroupId,
                referencedSecurityGroupId: endpoints.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to interface endpoints",
            },
            parent,
        );
        return endpoints;
    }
}
