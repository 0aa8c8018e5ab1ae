/**
 * A tiny Pulumi program for the snapshot comparison tests: one component (type token from config `fixture:type`,
 * optionally aliased to `fixture:aliasOf`) with a queue under it on an explicit provider. Run it with
 * `synthesize(stack, config, "fixture", { program: __filename })`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("fixture");

class Box extends pulumi.ComponentResource {
    readonly queueName: pulumi.Output<string>;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        const aliasOf = config.get("aliasOf");
        super(config.require("type"), name, {}, { ...opts, aliases: [...(aliasOf ? [{ type: aliasOf }] : []), ...(opts?.aliases ?? [])] });
        const queue = new aws.sqs.Queue(`${name}-queue`, { messageRetentionSeconds: config.requireNumber("retention") }, { parent: this });
        this.queueName = queue.name;
        this.registerOutputs({ queueName: this.queueName });
    }
}

const provider = new aws.Provider("east", { region: "us-east-1" });
const box = new Box("box", { providers: { aws: provider } });

export const boxUrn = box.urn;
export const queueName = box.queueName;
