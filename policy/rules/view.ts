/**
 * A normalized view of one resource, the only thing rules look at. Adapters build it from the three places
 * resources come from: `@pulumi/policy`'s resource and stack validation arguments (a real `pulumi preview`)
 * and the mocked runtime's `RecordedResource` (tests and the offline preview).
 *
 * Normalization: secrets are unwrapped, values that are unknown during a preview become `UNKNOWN` (rules skip
 * what they cannot see instead of failing the whole check), and the region is the resource's own `region`
 * input (AWS provider v7) or else its provider's region.
 */

// The types rules see (view-types.ts) and the helpers they read values with (view-values.ts, view-arns.ts), the wire
// values (view-wire.ts) and the adapters that build views (view-adapters.ts): one module for the rules to import.
export * from "./view-types";
export * from "./view-values";
export * from "./view-arns";
export * from "./view-wire";
export * from "./view-adapters";
