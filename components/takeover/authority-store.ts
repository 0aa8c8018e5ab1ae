import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/iam";
import {
    AUTHORITY_KEY_ATTRIBUTE,
    authorityReadStatements,
    authorityResourcePolicy,
    authorityWriteStatements,
    type TakeoverAuthorityOutput,
} from "../../contracts/takeover-authority";

/** Where a fenced region's functions read the authority: what `RegionalStack`'s `fence` arg carries. */
export interface FenceTarget {
    readonly tableName: pulumi.Input<string>;
    /** The standby region. */
    readonly region: string;
}

/** The fenced functions' environment (functions/transaction-processor/fence-config.ts). */
export function fenceEnvironment(fence: FenceTarget): Record<string, pulumi.Input<string>> {
    return { FENCE_TABLE_NAME: fence.tableName, FENCE_TABLE_REGION: fence.region };
}

export interface TakeoverAuthorityArgs {
    /** The standby region: the table lives there, so a takeover can be recorded while the primary is down. */
    readonly region: string;
    readonly tableName: pulumi.Input<string>;
    /** The standby region's customer-managed key: the table is encrypted with it. */
    readonly keyArn: pulumi.Input<string>;
    /** Protect the table from deletion (prod). */
    readonly protectData: boolean;
    /**
     * Roles that may set and clear the takeover, by a stable key (the DR operator, the takeover-switch functions).
     * The resource policy denies item writes to every other principal. Roles named here by ARN need not exist.
     */
    readonly writerRoleArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** Roles this component gives read and write access (their names), by a stable key: the DR operator. */
    readonly writerRoleNames: Readonly<Record<string, pulumi.Input<string>>>;
    /** Roles this component gives read access (their names), by a stable key: the fenced region's processor and finisher. */
    readonly readerRoleNames: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * The takeover authority's table in the standby region (contracts/takeover-authority.ts): on-demand, the standby's
 * key, point-in-time recovery, a resource-based policy that denies item writes to all but the writer roles, and the
 * readers' and writers' role policies. Pass the standby region's provider as `{ providers: { aws } }`.
 */
export class TakeoverAuthority extends pulumi.ComponentResource {
    public readonly tableName: pulumi.Output<string>;
    public readonly tableArn: pulumi.Output<string>;
    /** What the stack exports as `takeoverAuthority`: where the scripts read and write it. */
    public readonly output: pulumi.Output<TakeoverAuthorityOutput>;

    constructor(name: string, a: TakeoverAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:index:TakeoverAuthority (issue 22 gave every token its folder): the alias keeps existing stacks' resources.
        super(
            "payments-dr:takeover:TakeoverAuthority",
            name,
            {},
            { ...opts, aliases: [{ type: "payments-dr:index:TakeoverAuthority" }, ...(opts?.aliases ?? [])] },
        );
        const parent = { parent: this };
        const table = new aws.dynamodb.Table(
            `${name}-table`,
            {
                name: a.tableName,
                billingMode: "PAY_PER_REQUEST",
                hashKey: AUTHORITY_KEY_ATTRIBUTE,
                attributes: [{ name: AUTHORITY_KEY_ATTRIBUTE, type: "S" }],
                serverSideEncryption: { enabled: true, kmsKeyArn: a.keyArn },
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: a.protectData,
            },
            { ...parent, protect: a.protectData, retainOnDelete: a.protectData },
        );
        new aws.dynamodb.ResourcePolicy(
            `${name}-policy`,
            {
                resourceArn: table.arn,
                policy: pulumi
                    .all([table.arn, pulumi.output(a.writerRoleArns)])
                    .apply(([tableArn, writers]) => JSON.stringify(authorityResourcePolicy({ tableArn, writerRoleArns: Object.values(writers) }))),
            },
            parent,
        );
        const statements = (write: boolean) =>
            pulumi
                .all([table.arn, a.keyArn])
                .apply(([tableArn, keyArn]) =>
                    JSON.stringify(policyDocument(...(write ? authorityWriteStatements : authorityReadStatements)({ tableArn, keyArn, region: a.region }))),
                );
        for (const [key, role] of Object.entries(a.readerRoleNames)) {
            new aws.iam.RolePolicy(`${name}-read-${key}`, { role, name: "read-takeover-authority", policy: statements(false) }, parent);
        }
        for (const [key, role] of Object.entries(a.writerRoleNames)) {
            new aws.iam.RolePolicy(`${name}-write-${key}`, { role, name: "set-takeover-authority", policy: statements(true) }, parent);
        }
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.output = pulumi.all([table.name, table.arn]).apply(([tableName, tableArn]) => ({ region: a.region, tableName, tableArn }));
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
    }
}
