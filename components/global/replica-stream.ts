import * as pulumi from "@pulumi/pulumi";
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from "@aws-sdk/client-dynamodb";

/**
 * The stream of the global table's replica, enabled and read in the replica's own region.
 *
 * Why a resource of its own: the AWS provider enables streams only in the home region of a multi-Region strong
 * consistency (MRSC) table and reports no stream for the replica (hashicorp/terraform-provider-aws#48213, open;
 * the bridged @pulumi/aws 7.48 has no per-replica stream setting). The receipt finisher and the ledger projector of
 * the secondary region need that stream. So this resource calls DynamoDB in the replica's region: `DescribeTable`,
 * and `UpdateTable` with a `StreamSpecification` when the replica has no stream
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html), then returns the
 * replica's `LatestStreamArn`. For an eventually consistent table DynamoDB already streams every replica, and this
 * only reads the ARN. Deleting it changes nothing: the stream goes with the table.
 *
 * Credentials: the default AWS chain of the process running `pulumi up`, with the stack's `aws:profile` when set
 * (the same as the program's providers).
 */

export interface ReplicaStreamInputs {
    readonly region: string;
    readonly tableName: string;
    readonly viewType: string;
    /** An AWS CLI profile, or "" for the default chain. */
    readonly profile: string;
}

export interface ReplicaStreamOutputs extends ReplicaStreamInputs {
    readonly streamArn: string;
}

/** How long to wait for DynamoDB to report the new stream (UpdateTable returns before it exists). */
export const STREAM_WAIT = { attempts: 60, delayMs: 5_000 } as const;

/**
 * Makes sure the table in the client's region streams `viewType` images and returns its stream's ARN. Refuses a
 * stream of another view type (changing it would cut the consumers' stream), and a stream that never appears.
 */
export async function ensureReplicaStream(
    client: Pick<DynamoDBClient, "send">,
    tableName: string,
    viewType: string,
    wait: { readonly attempts: number; readonly delayMs: number } = STREAM_WAIT,
): Promise<string> {
    const describe = async () => (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    const table = await describe();
    const spec = table?.StreamSpecification;
    if (spec?.StreamEnabled && spec.StreamViewType !== viewType) {
        throw new Error(`table ${tableName} already streams ${spec.StreamViewType} images in this region; the consumers need ${viewType}`);
    }
    if (spec?.StreamEnabled && table?.LatestStreamArn) {
        return table.LatestStreamArn;
    }
    if (!spec?.StreamEnabled) {
        await client.send(
            new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: viewType as "NEW_AND_OLD_IMAGES" } }),
        );
    }
    for (let attempt = 1; attempt <= wait.attempts; attempt++) {
        const current = await describe();
        if (current?.StreamSpecification?.StreamEnabled && current.LatestStreamArn) {
            return current.LatestStreamArn;
        }
        await new Promise((done) => setTimeout(done, wait.delayMs));
    }
    throw new Error(`table ${tableName} has no stream after ${wait.attempts} checks`);
}

async function streamOf(inputs: ReplicaStreamInputs): Promise<ReplicaStreamOutputs> {
    const client = new DynamoDBClient({ region: inputs.region, ...(inputs.profile ? { profile: inputs.profile } : {}) });
    return { ...inputs, streamArn: await ensureReplicaStream(client, inputs.tableName, inputs.viewType) };
}

const provider: pulumi.dynamic.ResourceProvider<ReplicaStreamInputs, ReplicaStreamOutputs> = {
    async create(inputs) {
        return { id: `${inputs.region}/${inputs.tableName}`, outs: await streamOf(inputs) };
    },
    async read(id, props) {
        return { id, props: props ? await streamOf(props) : props };
    },
    async diff(_id, olds, news) {
        const replaces = (["region", "tableName"] as const).filter((k) => olds[k] !== news[k]);
        const changed = replaces.length > 0 || olds.viewType !== news.viewType || olds.profile !== news.profile;
        return { changes: changed, replaces };
    },
    async update(_id, _olds, news) {
        return { outs: await streamOf(news) };
    },
    // Nothing to undo: a table's stream is deleted with the table.
    async delete() {},
};

export interface ReplicaStreamArgs {
    readonly region: pulumi.Input<string>;
    readonly tableName: pulumi.Input<string>;
    readonly viewType: pulumi.Input<string>;
    readonly profile: pulumi.Input<string>;
}

export class ReplicaStream extends pulumi.dynamic.Resource {
    declare public readonly streamArn: pulumi.Output<string>;

    constructor(name: string, args: ReplicaStreamArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, streamArn: undefined }, opts, "payments-dr", "ReplicaStream");
    }
}
