/**
 * The reusable components, for another Pulumi program: `import { RegionalStack, GlobalLayer } from "payments-dr"`
 * (package.json `exports` points here; the project's own program is `index.ts`, named by Pulumi.yaml `main`).
 * Importing this module registers nothing: only constructing a component does. See examples/minimal.
 */
export { GlobalLayer } from "./global/global-layer";
export { globalLayerArgProblems, type GlobalLayerArgs } from "./global/global-layer-args";
export { REPLICATION_RULE_IDS } from "./global/document-replication";
export { RegionalDomain, type AliasTarget, type RegionalDomainArgs, type ValidationRecord } from "./regional/regional-domain";
export { RegionalStack } from "./regional/regional-stack";
export { regionalStackArgProblems, type AttachFaultInjection, type RegionalStackArgs } from "./regional/regional-stack-args";
// Game days' fault injection, attached to a RegionalStack from outside (its `faultInjection` arg).
export { attachFaultInjection } from "./resilience/fault-injection";
// The types the args use.
export type { ApiAuth } from "./regional/api-auth";
export type { Consistency, ConsistencyMode } from "./global/consistency";
export type { DomainMode } from "./global/failover-dns";
export type { Environment } from "./shared/environment";
// This project's config, for a program that wants the same keys: validate, then map to each component's args.
export { ConfigValidationError, parseStackSettings, type RawConfig, type StackSettings } from "../program/config";
export { globalLayerArgs, regionalStackArgs, regionsOf } from "../program/stack-args";
export { names, REGION_ROLES, type RegionRole } from "./shared/naming";
export { ROUTE53_METRICS_REGION } from "./shared/regions";
