import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loadStackSettings } from "./components/config";
import { names, REGION_ROLES, RegionRole } from "./components/naming";
import { RegionalStack } from "./components/regional-stack";

// Validate before anything is registered: a bad config fails here with every problem listed.
const settings = loadStackSettings();

// One suffix per stack, in every physical name: a destroyed stack can be re-created at once.
const nameSuffix = new random.RandomString("name-suffix", { length: 6, special: false, upper: false });

const regionOf: Record<RegionRole, string> = { primary: settings.primaryRegion, secondary: settings.secondaryRegion };

// One explicit provider per region; the project disables the default aws provider, so nothing lands in a region by accident.
const providers = Object.fromEntries(
    REGION_ROLES.map((role) => [
        role,
        new aws.Provider(`aws-${role}`, {
            region: regionOf[role] as aws.Region,
            defaultTags: {
                tags: {
                    Environment: settings.environment,
                    Application: "payments-dr",
                    Owner: settings.owner,
                    CostCenter: settings.costCenter,
                    ManagedBy: "Pulumi",
                    RegionRole: role,
                },
            },
        }),
    ]),
) as Record<RegionRole, aws.Provider>;

const tableName = nameSuffix.result.apply((suffix) => names.table({ envLabel: settings.envLabel, suffix }));

const stacks = Object.fromEntries(
    REGION_ROLES.map((role) => [
        role,
        new RegionalStack(
            role,
            { role, region: regionOf[role], settings, nameSuffix: nameSuffix.result, tableName },
            { providers: { aws: providers[role] } },
        ),
    ]),
) as Record<RegionRole, RegionalStack>;

export const environment = settings.environment;
export const primaryRegion = settings.primaryRegion;
export const secondaryRegion = settings.secondaryRegion;
export const primaryApiEndpoint = stacks.primary.apiEndpoint;
export const secondaryApiEndpoint = stacks.secondary.apiEndpoint;
export const primaryBucketName = stacks.primary.bucketName;
export const secondaryBucketName = stacks.secondary.bucketName;
export const primaryKeyArn = stacks.primary.keyArn;
export const secondaryKeyArn = stacks.secondary.keyArn;
export const primaryFunctionArn = stacks.primary.functionArn;
export const secondaryFunctionArn = stacks.secondary.functionArn;
export const primaryTopicArn = stacks.primary.topicArn;
export const secondaryTopicArn = stacks.secondary.topicArn;
export const transactionsTableName = tableName;
export const stackName = pulumi.getStack();
