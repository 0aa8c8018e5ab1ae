/**
 * The reusable components, for another Pulumi program: `import { RegionalStack, GlobalLayer } from "payments-dr"`
 * (package.json `exports` points here; the project's own program is `index.ts`, named by Pulumi.yaml `main`).
 * Importing this module registers nothing: only constructing a component does. See examples/minimal.
 */
export { GlobalLayer, REPLICATION_RULE_IDS, type GlobalLayerArgs } from "./global-layer";
export { RegionalDomain, type AliasTarget, type RegionalDomainArgs, type ValidationRecord } from "./regional-domain";
export { RegionalStack, type RegionalStackArgs } from "./regional-stack";
export { ConfigValidationError, parseStackSettings, type RawConfig, type StackSettings } from "./config";
export { names, REGION_ROLES, type RegionRole } from "./naming";
export { ROUTE53_METRICS_REGION } from "./regions";
