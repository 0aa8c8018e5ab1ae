/**
 * A program of its own built from the payments-dr components: both regions' stacks and the global layer, from this
 * project's config (`pulumi config set environment dev`, `domainName`, `owner`, `costCenter`, … as in the
 * payments-dr README). Outside this repository, import from "payments-dr" instead of "../../components".
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GlobalLayer, names, parseStackSettings, REGION_ROLES, RegionalStack, RegionRole, ROUTE53_METRICS_REGION } from "../../components";

// This project's own keys (`<project>:<key>`), validated by the components' rules before anything is registered.
const project = pulumi.getProject();
const raw = Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig())
        .filter(([key]) => key.startsWith(`${project}:`))
        .map(([key, value]) => [key.slice(project.length + 1), value]),
);
const settings = parseStackSettings(raw, project, pulumi.getStack());

const suffix = new random.RandomString("suffix", { length: 6, special: false, upper: false }).result;
const regions: Record<RegionRole, string> = { primary: settings.primaryRegion, secondary: settings.secondaryRegion };
const provider = (name: string, region: string) => new aws.Provider(name, { region: region as aws.Region });
const providers = Object.fromEntries(REGION_ROLES.map((role) => [role, provider(role, regions[role])])) as Record<RegionRole, aws.Provider>;
const tableName = suffix.apply((s) => names.table({ envLabel: settings.envLabel, suffix: s }));

const stacks = Object.fromEntries(
    REGION_ROLES.map((role) => [
        role,
        new RegionalStack(role, { role, region: regions[role], settings, nameSuffix: suffix, tableName }, { providers: { aws: providers[role] } }),
    ]),
) as Record<RegionRole, RegionalStack>;

// Route 53 health-check metrics live in us-east-1: reuse that region's provider, or add one.
const route53Role = REGION_ROLES.find((role) => regions[role] === ROUTE53_METRICS_REGION);
const global = new GlobalLayer("global", {
    settings,
    nameSuffix: suffix,
    tableName,
    stacks,
    providers: { ...providers, route53: route53Role ? providers[route53Role] : provider("route53", ROUTE53_METRICS_REGION) },
});

export const failoverUrl = `https://${global.failoverFqdn}`;
export const apiEndpoints = { primary: stacks.primary.apiEndpoint, secondary: stacks.secondary.apiEndpoint };
export const tableArn = global.tableArn;
