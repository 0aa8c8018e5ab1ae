import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionRole } from "../shared/naming";
import { ReplicaStream } from "./replica-stream";

/** Both images: what replicas require and what the receipt finishers and ledger projectors read. */
export const TABLE_STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES";

/** A region's stream of the global table is missing: its consumers (receipt finisher, ledger projector) cannot exist. */
export class MissingStreamError extends pulumi.RunError {
    constructor(role: RegionRole, region: string, tableName: string) {
        super(
            `the transactions table ${tableName} has no stream in ${region} (${role}): the ${role} receipt finisher (and ledger ` +
                "projector) read that region's stream, and without it no receipt would ever be completed there after a failover. " +
                "DynamoDB reported no LatestStreamArn for the replica; check the table's StreamSpecification in that region " +
                "(`aws dynamodb describe-table --region " +
                `${region} --table-name ${tableName}\`) and run \`pulumi up\` again.`,
        );
        this.name = "MissingStreamError";
    }
}

/** `arn` when it names a stream; otherwise the program stops with a MissingStreamError (never an empty string). */
export function requireStreamArn(role: RegionRole, region: string, tableName: string, arn: string | undefined): string {
    if (!arn || !/^arn:[\w-]+:dynamodb:[\w-]+:\d{12}:table\/[^/]+\/stream\/.+$/.test(arn)) {
        throw new MissingStreamError(role, region, tableName);
    }
    return arn;
}

/**
 * Each region's stream of the global table: the home table's from the table itself, the replica's enabled and
 * read in the replica's region (components/global/replica-stream.ts explains why the provider's value cannot be used).
 */
export function tableStreamArns(
    name: string,
    table: aws.dynamodb.Table,
    regions: Readonly<Record<RegionRole, string>>,
    parent: pulumi.Resource,
): Record<RegionRole, pulumi.Output<string>> {
    const replica = new ReplicaStream(
        `${name}-secondary-replica-stream`,
        {
            region: regions.secondary,
            tableName: table.name,
            viewType: TABLE_STREAM_VIEW_TYPE,
            profile: new pulumi.Config("aws").get("profile") ?? "",
        },
        // The replica exists once the table (which creates it) does.
        { parent, dependsOn: [table] },
    );
    // A missing stream is raised once, on its own (the CLI prints one message), and the ARN never arrives, so no
    // consumer is created; rejecting the value would repeat the error once per consumer, wrapped in "error serializing".
    const checked = (role: RegionRole, arn: pulumi.Output<string>) =>
        pulumi.all([table.name, arn]).apply(([tableName, value]) => {
            try {
                return Promise.resolve(requireStreamArn(role, regions[role], tableName, value));
            } catch (error) {
                void Promise.reject(error);
                return new Promise<string>(() => undefined);
            }
        });
    return { primary: checked("primary", table.streamArn), secondary: checked("secondary", replica.streamArn) };
}
