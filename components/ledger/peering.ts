import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LedgerNetwork } from "./network";
import { RegionRole } from "../shared/naming";

export interface LedgerPeeringArgs {
    readonly networks: Readonly<Record<RegionRole, LedgerNetwork>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
}

/**
 * Inter-region VPC peering between the two ledger VPCs: requested from the primary, accepted in the
 * secondary, routes both ways, and remote DNS resolution on both sides so each region's functions resolve the
 * global writer endpoint (and cluster endpoints) of the other region to private addresses. Over it, the
 * secondary's projector reaches the writer while the primary is the writer, and the other way round after a
 * failover. Cross-region peering cannot be auto-accepted by the requester (AWS: "VPC peering connection
 * lifecycle"), so the accepter is its own resource on the secondary's provider.
 */
export class LedgerPeering extends pulumi.ComponentResource {
    public readonly peeringConnectionId: pulumi.Output<string>;

    constructor(name: string, args: LedgerPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments-dr:ledger:LedgerPeering", name, {}, opts);
        const { networks, providers } = args;
        const inRegion = (role: RegionRole, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({
            parent: this,
            provider: providers[role],
            ...extra,
        });

        const connection = new aws.ec2.VpcPeeringConnection(
            `${name}-connection`,
            {
                vpcId: networks.primary.vpcId,
                peerVpcId: networks.secondary.vpcId,
                peerRegion: networks.secondary.region,
                autoAccept: false,
                tags: { Name: `ledger-${networks.primary.region}-to-${networks.secondary.region}` },
            },
            inRegion("primary"),
        );
        const accepter = new aws.ec2.VpcPeeringConnectionAccepter(
            `${name}-accepter`,
            { vpcPeeringConnectionId: connection.id, autoAccept: true, tags: { Name: `ledger-${networks.secondary.region}-from-${networks.primary.region}` } },
            inRegion("secondary"),
        );
        this.peeringConnectionId = connection.id;

        // Options can only be set on an active connection: after the accepter. Each side sets its own.
        new aws.ec2.PeeringConnectionOptions(
            `${name}-requester-options`,
            { vpcPeeringConnectionId: connection.id, requester: { allowRemoteVpcDnsResolution: true } },
            inRegion("primary", { dependsOn: [accepter] }),
        );
        new aws.ec2.PeeringConnectionOptions(
            `${name}-accepter-options`,
            { vpcPeeringConnectionId: accepter.id, accepter: { allowRemoteVpcDnsResolution: true } },
            inRegion("secondary", { dependsOn: [accepter] }),
        );

        for (const [from, to] of [
            ["primary", "secondary"],
            ["secondary", "primary"],
        ] as const) {
            new aws.ec2.Route(
                `${name}-route-${from}-to-${to}`,
                { routeTableId: networks[from].routeTableId, destinationCidrBlock: networks[to].cidr, vpcPeeringConnectionId: connection.id },
                inRegion(from, { dependsOn: [accepter] }),
            );
        }

        this.registerOutputs({ peeringConnectionId: this.peeringConnectionId });
    }
}
