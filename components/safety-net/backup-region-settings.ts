import * as pulumi from "@pulumi/pulumi";
import { BackupClient, DescribeRegionSettingsCommand } from "@aws-sdk/client-backup";

/**
 * AWS Backup's advanced features for Amazon DynamoDB: without them AWS Backup cannot copy a table's backups to
 * another region, and the daily cross-region copies fail (only the copy-job alarm would say so).
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/advanced-ddb-backup.html
 *
 * Verified, not ensured. The setting (`ResourceTypeManagementPreference`, DynamoDB=true) belongs to the account and
 * region, not to this stack: every DynamoDB backup of the account in that region becomes an AWS Backup-managed one
 * (billed at AWS Backup's prices, with copies, tags and cold storage), and it cannot be turned off again. A stack
 * that set it would change other teams' backups, and `aws.backup.RegionSettings` also rewrites every service's
 * opt-in. So the program reads the setting (`DescribeRegionSettings`) when it checks its inputs, in preview as in
 * `up`, and stops before anything is deployed with the command that turns it on.
 */

export interface RegionSettingsView {
    readonly ResourceTypeManagementPreference?: Readonly<Record<string, boolean | undefined>>;
}

/** The command an administrator runs once per account and region. */
export const enableAdvancedDynamoDbCommand = (region: string) =>
    `aws backup update-region-settings --region ${region} --resource-type-management-preference DynamoDB=true`;

/** What is missing in `region`, or undefined when the advanced DynamoDB features are on. */
export function advancedDynamoDbProblem(region: string, settings: RegionSettingsView): string | undefined {
    if (settings.ResourceTypeManagementPreference?.DynamoDB === true) {
        return undefined;
    }
    return (
        `AWS Backup's advanced features for Amazon DynamoDB are off in ${region} (an account-wide setting of that region), ` +
        "so the daily cross-region copies of the transactions table's backups would fail. Turn them on once for the " +
        `account and region (all of its DynamoDB backups then become AWS Backup-managed; it cannot be undone): ` +
        `\`${enableAdvancedDynamoDbCommand(region)}\`, then run \`pulumi up\` again.`
    );
}

/** Reads the region's settings; a failure to read them is a problem too (the deployer needs backup:DescribeRegionSettings). */
export async function regionSettingsProblem(client: Pick<BackupClient, "send">, region: string): Promise<string | undefined> {
    try {
        return advancedDynamoDbProblem(region, await client.send(new DescribeRegionSettingsCommand({})));
    } catch (error) {
        return `could not read AWS Backup's region settings in ${region} (${(error as Error).name}: ${(error as Error).message}); the deployer needs backup:DescribeRegionSettings`;
    }
}

export interface BackupRegionCheckInputs {
    readonly region: string;
    /** An AWS CLI profile, or "" for the default chain. */
    readonly profile: string;
}

async function problemIn(inputs: BackupRegionCheckInputs): Promise<string | undefined> {
    const client = new BackupClient({ region: inputs.region, ...(inputs.profile ? { profile: inputs.profile } : {}) });
    return regionSettingsProblem(client, inputs.region);
}

const provider: pulumi.dynamic.ResourceProvider<BackupRegionCheckInputs, BackupRegionCheckInputs> = {
    // Runs in preview and in up, before any resource of the stack is created or changed.
    async check(_olds, news) {
        const problem = await problemIn(news);
        return problem ? { inputs: news, failures: [{ property: "region", reason: problem }] } : { inputs: news };
    },
    async create(inputs) {
        return { id: `backup-region-settings-${inputs.region}`, outs: inputs };
    },
    async diff(_id, olds, news) {
        return { changes: olds.region !== news.region || olds.profile !== news.profile, replaces: olds.region !== news.region ? ["region"] : [] };
    },
    async update(_id, _olds, news) {
        return { outs: news };
    },
    // Nothing to undo: the setting is the account's.
    async delete() {},
};

/** Stops the deployment, with the fix, when the region lacks AWS Backup's advanced DynamoDB features. */
export class BackupRegionCheck extends pulumi.dynamic.Resource {
    constructor(name: string, args: { readonly region: string }, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { region: args.region, profile: new pulumi.Config("aws").get("profile") ?? "" }, opts, "payments-dr", "BackupRegionCheck");
    }
}
