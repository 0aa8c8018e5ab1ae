/** The adapters: views from `@pulumi/policy`'s validation arguments and from the mocked runtime's records. */
import type { PolicyResource, PolicyResourceOptions, PolicyProviderResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { Props, ResourceView } from "./view-types";
import { at, str, tagsOf } from "./view-values";
import { normalizeProps, RecordedResource } from "./view-wire";

/** The `Environment` tag of an AWS provider's `defaultTags` (a JSON string or an object). */
export function providerEnvironment(providerProps: Props | undefined): string | undefined {
    if (!providerProps) {
        return undefined;
    }
    let defaultTags: unknown = providerProps.defaultTags;
    if (typeof defaultTags === "string") {
        try {
            defaultTags = JSON.parse(defaultTags);
        } catch {
            return undefined;
        }
    }
    return str(at(defaultTags, "tags", "Environment"));
}

function environmentOf(props: Props, providerProps: Props | undefined): string | undefined {
    return str(tagsOf(props).Environment) ?? providerEnvironment(providerProps);
}

function regionOf(props: Props, providerProps: Props | undefined): string | undefined {
    return str(props.region) ?? str(providerProps?.region);
}

/** A view from parts; tests build views by hand with it. */
export function resourceView(init: {
    type: string;
    name?: string;
    props?: Record<string, unknown>;
    region?: string;
    environment?: string;
    urn?: string;
    parentUrn?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    dependsOn?: readonly string[];
    propertyDependencies?: Record<string, readonly string[]>;
    id?: string;
}): ResourceView {
    const name = init.name ?? init.type.split(":").pop()!.toLowerCase();
    const props = normalizeProps(init.props ?? {});
    return {
        urn: init.urn ?? `urn:pulumi:test::payments-dr::${init.type}::${name}`,
        type: init.type,
        name,
        props,
        region: init.region ?? str(props.region),
        environment: init.environment ?? environmentOf(props, undefined),
        parentUrn: init.parentUrn,
        protect: init.protect ?? false,
        retainOnDelete: init.retainOnDelete,
        dependsOn: init.dependsOn ?? [],
        propertyDependencies: init.propertyDependencies,
        id: init.id,
    };
}

function providerProps(provider: PolicyProviderResource | undefined): Props | undefined {
    return provider ? normalizeProps(provider.props) : undefined;
}

function optsOf(opts: PolicyResourceOptions | undefined): { protect: boolean; parentUrn?: string } {
    return { protect: Boolean(opts?.protect), parentUrn: opts?.parent || undefined };
}

/** From `@pulumi/policy` resource validation arguments (inputs of one resource during preview/update). */
export function fromResourceArgs(args: ResourceValidationArgs): ResourceView {
    const props = normalizeProps(args.props);
    const provider = providerProps(args.provider);
    return {
        urn: args.urn,
        type: args.type,
        name: args.name,
        props,
        region: regionOf(props, provider),
        environment: environmentOf(props, provider),
        ...optsOf(args.opts),
        dependsOn: [],
    };
}

/** From one resource of `@pulumi/policy` stack validation (outputs after preview/update). */
export function fromPolicyResource(r: PolicyResource): ResourceView {
    const props = normalizeProps(r.props);
    const provider = r.type === "pulumi:providers:aws" ? props : providerProps(r.provider);
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
        propertyDependencies[key] = deps.map((d) => d.urn);
    }
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        props,
        region: regionOf(props, provider),
        environment: environmentOf(props, provider),
        protect: Boolean(r.opts?.protect),
        parentUrn: r.parent?.urn ?? (r.opts?.parent || undefined),
        dependsOn: (r.dependencies ?? []).map((d) => d.urn),
        propertyDependencies,
    };
}

export function fromStackArgs(args: StackValidationArgs): ResourceView[] {
    return args.resources.map(fromPolicyResource);
}

/** From the mocked runtime's record; `providers` maps provider URNs to their records (for default tags). */
export function fromRecorded(r: RecordedResource, providers: ReadonlyMap<string, RecordedResource> = new Map()): ResourceView {
    // State = inputs plus what AWS computes (ARNs, ids): what stack validation sees after an update.
    const props = normalizeProps(Object.keys(r.state ?? {}).length > 0 ? r.state : r.inputs);
    const provider = r.type.startsWith("pulumi:providers:") ? r : r.providerUrn ? providers.get(r.providerUrn) : undefined;
    const provProps = provider ? normalizeProps(provider.inputs) : undefined;
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        props,
        region: str(props.region) ?? r.region,
        environment: environmentOf(props, provProps),
        parentUrn: r.parentUrn,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        dependsOn: r.dependsOn,
        id: r.id,
    };
}

/** Views of every resource the mocked runtime recorded. */
export function fromSynthesis(resources: readonly RecordedResource[]): ResourceView[] {
    const providers = new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
    return resources.map((r) => fromRecorded(r, providers));
}
