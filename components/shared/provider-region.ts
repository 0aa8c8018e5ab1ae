import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * A regional component is told its region (names, ARNs and alarms need it before any provider answers) and is
 * handed that region's provider: the two must agree, or the secondary's resources would land beside the
 * primary's under the secondary's names. The problem, or undefined when they agree.
 */
export function providerRegionProblem(component: string, region: string, providerRegion: string | undefined): string | undefined {
    if (providerRegion === undefined) {
        return `${component}: its aws provider sets no region; pass the provider of ${region} as { providers: { aws } }`;
    }
    return providerRegion === region
        ? undefined
        : `${component}: \`region\` is ${region} but its aws provider deploys to ${providerRegion}; pass the provider of ${region}`;
}

/** The aws provider a component gets through `providers: { aws }` (or `provider`). */
function awsProvider(opts: pulumi.ComponentResourceOptions | undefined): pulumi.ProviderResource | undefined {
    if (opts?.provider) {
        return opts.provider;
    }
    const providers = opts?.providers;
    return Array.isArray(providers) ? providers.find((p) => aws.Provider.isInstance(p)) : providers?.aws;
}

/**
 * Fails the deployment (a RunError, one clean message) when the component's aws provider is missing or deploys
 * to another region than `region`. The provider's region is only known once it resolves, hence the Output.
 */
export function checkProviderRegion(component: string, region: string, opts: pulumi.ComponentResourceOptions | undefined): pulumi.Output<string> {
    const provider = awsProvider(opts) as (pulumi.ProviderResource & { region?: pulumi.Output<string | undefined> }) | undefined;
    if (provider === undefined) {
        throw new pulumi.RunError(`${component}: pass the provider of ${region} as { providers: { aws } }`);
    }
    return pulumi.output(provider.region).apply((providerRegion) => {
        const problem = providerRegionProblem(component, region, providerRegion ?? undefined);
        if (problem) {
            throw new pulumi.RunError(problem);
        }
        return region;
    });
}
