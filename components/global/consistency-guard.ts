import * as pulumi from "@pulumi/pulumi";
import type { ConsistencyMode } from "./consistency";

/**
 * A stateless guard that remembers the `consistency` the transactions table was created with and refuses a
 * different one with our own message, before the table is touched. Without it only the table's
 * `replaceOnChanges` and prod's `protect` stop a mode change, with Pulumi's generic messages (and a dev table
 * would be replaced, its data lost).
 *
 * AWS fact relied on: "You cannot change a global table's consistency mode after creation"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GlobalTables.html, "Consistency modes").
 *
 * Pulumi serializes the provider with everything its functions capture and loads it in a separate process for
 * `preview`/`up`: the functions below reference nothing outside themselves (no imports, no module constants).
 */

/** The guard's inputs, and its outputs (the stack's state keeps the mode it was created with). */
export interface ConsistencyGuardProps {
    /** The stack's `consistency`. */
    readonly consistency: ConsistencyMode;
    /** The table's physical name: a new name is a new table, which may take any mode. */
    readonly tableName: string;
}

export interface ConsistencyGuardArgs {
    readonly consistency: pulumi.Input<ConsistencyMode>;
    readonly tableName: pulumi.Input<string>;
}

/** The resource type's name in the stack (`pulumi-nodejs:dynamic:ConsistencyGuard`). */
export const CONSISTENCY_GUARD_TYPE = "ConsistencyGuard";

export const consistencyGuardProvider: pulumi.dynamic.ResourceProvider<ConsistencyGuardProps, ConsistencyGuardProps> = {
    async check(olds, news) {
        // `olds` holds the inputs of the last deployment (nothing before the first one).
        const created = olds?.consistency;
        const sameTable = olds?.tableName === news.tableName;
        if (created === undefined || created === news.consistency || !sameTable) {
            return { inputs: news };
        }
        const reason =
            `\`payments-dr:consistency\` is ${JSON.stringify(news.consistency)}: the transactions table ${news.tableName} was ` +
            `created with ${JSON.stringify(created)}, and DynamoDB cannot change a global table's consistency mode after ` +
            `creation. Keep \`consistency\` ${JSON.stringify(created)} (pulumi config set consistency ${created}), or create a ` +
            `new stack with ${JSON.stringify(news.consistency)} and migrate the data to it (README: "Consistency across regions").`;
        return { inputs: news, failures: [{ property: "consistency", reason }] };
    },
    async diff(_id, olds, news) {
        const replaces = (["consistency", "tableName"] as const).filter((key) => olds[key] !== news[key]);
        return { changes: replaces.length > 0, replaces };
    },
    async create(inputs) {
        return { id: `${inputs.tableName}/consistency`, outs: { consistency: inputs.consistency, tableName: inputs.tableName } };
    },
};

/**
 * Register it before the table and make the table depend on it: `pulumi preview`/`up` then checks it (and
 * stops on a mode change) before any step of the table. It creates nothing in AWS and costs nothing.
 */
export class ConsistencyGuard extends pulumi.dynamic.Resource {
    // `declare`: a class field would overwrite the outputs Pulumi sets in the base constructor.
    declare public readonly consistency: pulumi.Output<ConsistencyMode>;
    declare public readonly tableName: pulumi.Output<string>;

    constructor(name: string, args: ConsistencyGuardArgs, opts?: pulumi.CustomResourceOptions) {
        super(consistencyGuardProvider, name, { consistency: args.consistency, tableName: args.tableName }, opts, undefined, CONSISTENCY_GUARD_TYPE);
    }
}
