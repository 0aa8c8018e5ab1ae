/**
 * The reusable components, for another Pulumi program: `import { RegionalStack, GlobalLayer } from "payments-dr"`
 * (package.json `exports` points here; the project's own program is `index.ts`, named by Pulumi.yaml `main`).
 * Importing this module registers nothing: only constructing a component does. See examples/minimal.
 */
export { GlobalLayer } from "./global-layer";
export { globalLayerArgProblems, type GlobalLayerArgs } from "./global-layer-args";
export { REPLICATION_RULE_IDS } from "./document-replication";
export { RegionalDomain, type AliasTarget, type RegionalDomainArgs, type ValidationRecord } from "./regional-domain";
export { RegionalStack } from "./regional-stack";
export { regionalStackArgProblems, type RegionalStackArgs } from "./regional-stack-args";
// The types the args use.
export type { ApiAuth } from "./api-auth";
export type { Consistency, ConsistencyMode } from "./consistency";
export type { DomainMode } from "./failover-dns";
export type { Environment } from "./environment";
// This project's config, for a program that wants the same keys: validate, then map to each component's args.
export { ConfigValidationError, parseStackSettings, type RawConfig, type StackSettings } from "./config";
export { globalLayerArgs, regionalStackArgs, regionsOf } from "./stack-args";
export { names, REGION_ROLES, type RegionRole } from "./naming";
export { ROUTE53_METRICS_REGION } from "./regions";
