/**
 * A program of its own built from the payments-dr components, with its own config (`pulumi config set domainName
 * payments.acme-corp.io`, `jwtIssuer`, `jwtAudience`; optionally `environment`, `primaryRegion`, `secondaryRegion`).
 * Outside this repository, import from "payments-dr" instead of "../../components".
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GlobalLayer, names, REGION_ROLES, RegionalStack, RegionRole, ROUTE53_METRICS_REGION } from "../../components";

const config = new pulumi.Config();
const environment = config.get<"dev" | "prod">("environment") ?? "dev";
const regions: Record<RegionRole, string> = {
    primary: config.get("primaryRegion") ?? "us-east-1",
    secondary: config.get("secondaryRegion") ?? "us-west-2",
};
// Every transaction route requires a token from this issuer; the tenant is its `merchant_id` claim.
const apiAuth = { mode: "jwt", issuer: config.require("jwtIssuer"), audiences: [config.require("jwtAudience")], tenantClaim: "merchant_id" } as const;

const suffix = new random.RandomString("suffix", { length: 6, special: false, upper: false }).result;
// The HMAC key of transaction ids, the same in both regions, generated once and kept secret in the state.
const processorSecurity = { transactionIdKey: new random.RandomBytes("transaction-id-key", { length: 32 }).base64 };
const tableName = suffix.apply((s) => names.table({ envLabel: environment, suffix: s }));
const provider = (name: string, region: string) => new aws.Provider(name, { region: region as aws.Region });
const providers = Object.fromEntries(REGION_ROLES.map((role) => [role, provider(role, regions[role])])) as Record<RegionRole, aws.Provider>;

const stacks = Object.fromEntries(
    REGION_ROLES.map((role) => {
        const args = { role, region: regions[role], environment, envLabel: environment, nameSuffix: suffix, tableName, apiAuth };
        const throttle = { rateLimit: 200, burstLimit: 400 };
        return [role, new RegionalStack(role, { ...args, consistencyMode: "eventual", throttle, processorSecurity }, { providers: { aws: providers[role] } })];
    }),
) as Record<RegionRole, RegionalStack>;

// Route 53 health-check metrics live in us-east-1: reuse that region's provider, or add one.
const route53Role = REGION_ROLES.find((role) => regions[role] === ROUTE53_METRICS_REGION);
const global = new GlobalLayer("global", {
    environment,
    envLabel: environment,
    nameSuffix: suffix,
    tableName,
    stacks,
    providers: { ...providers, route53: route53Role ? providers[route53Role] : provider("route53", ROUTE53_METRICS_REGION) },
    consistency: { mode: "eventual" },
    domainName: config.require("domainName"),
    domainMode: "dns-only",
});

export const failoverName = global.failoverFqdn;
export const apiEndpoints = { primary: stacks.primary.apiEndpoint, secondary: stacks.secondary.apiEndpoint };
export const tableArn = global.tableArn;
