/**
 * The component provider's entry point: `RegionalStack`, `GlobalLayer` and `RegionalDomain` for every Pulumi
 * language (`pulumi package add <this folder>`, see docs/reusing-components.md). Pulumi's Node.js plugin runner
 * (@pulumi/pulumi cmd/run-plugin) requires this folder, finds the ComponentResource classes exported here and
 * serves them with `componentProviderHost`, named after package.json's `name`; the schema every SDK is generated
 * from comes from the analyzer reading these files. Note: the schema keeps the doc comments of args,
 * outputs, type properties and enum members; a type's own comment does not reach it (3.276's schema generator).
 */
export * from "./args";
export { RegionalStack, type RegionalStackArgs } from "./regional-stack";
export { GlobalLayer, type GlobalLayerArgs } from "./global-layer";
export { RegionalDomain, type RegionalDomainArgs } from "./regional-domain";
