import { StackSettings } from "./config";

/**
 * The tags every resource carries (set as the default tags of each region's provider). `RegionRole` says which
 * side of the failover a resource is on, so it must be the one of the region the resource lives in.
 */
export function defaultTags(settings: StackSettings, regionRole: string): Record<string, string> {
    return {
        Environment: settings.environment,
        Application: "payments-dr",
        Owner: settings.owner,
        CostCenter: settings.costCenter,
        ManagedBy: "Pulumi",
        RegionRole: regionRole,
    };
}
