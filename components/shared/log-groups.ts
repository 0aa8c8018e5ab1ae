import * as aws from "@pulumi/aws";
import { RegionRole } from "./naming";

/**
 * A log group a component created, with its logical name (stable: whatever consumes it, e.g. the log archive's
 * subscription filter, is keyed by it). Components expose theirs as a `logGroups` property instead of letting
 * others intercept their children (no `transformations`).
 */
export interface NamedLogGroup {
    readonly logicalName: string;
    readonly logGroup: aws.cloudwatch.LogGroup;
}

/** A component's log groups in each region (for components that span both). */
export type RegionalLogGroups = Readonly<Record<RegionRole, readonly NamedLogGroup[]>>;

/** A log group under its logical name. */
export function namedLogGroup(logicalName: string, logGroup: aws.cloudwatch.LogGroup): NamedLogGroup {
    return { logicalName, logGroup };
}
