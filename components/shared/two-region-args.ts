import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { fitName, type NameContext, type RegionRole } from "./naming";

/** What an optional component spanning both regions takes from the stack (narrow: never the whole stack settings). */
export interface TwoRegionArgs {
    readonly regions: Readonly<Record<RegionRole, string>>;
    /** Each region's provider: the component passes `{ parent: this, provider }` to what it creates there. */
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
    /** Environment label and random suffix, for the physical names. */
    readonly nameContext: pulumi.Input<NameContext>;
    readonly accountId: pulumi.Input<string>;
    /** Each region's customer-managed key, for what the component stores there. */
    readonly keyArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
}

/** The two helpers such a component starts with: names within a limit, and options for a child in one region. */
export function twoRegionHelpers(parent: pulumi.Resource, a: TwoRegionArgs) {
    const ctx = pulumi.output(a.nameContext);
    return {
        nameOf: (prefix: string, limit: number): pulumi.Output<string> => ctx.apply((c) => fitName(prefix, c, limit)),
        inRegion: (role: RegionRole, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({ parent, provider: a.providers[role], ...extra }),
    };
}
