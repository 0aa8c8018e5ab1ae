/**
 * A normalized view of one resource, the only thing rules look at. Adapters build it from the three places
 * resources come from: `@pulumi/policy`'s resource and stack validation arguments (a real `pulumi preview`)
 * and the mocked runtime's `RecordedResource` (tests and the offline preview).
 *
 * Normalization: secrets are unwrapped, values that are unknown during a preview become `UNKNOWN` (rules skip
 * what they cannot see instead of failing the whole check), and the region is the resource's own `region`
 * input (AWS provider v7) or else its provider's region.
 */
import type { PolicyResource, PolicyResourceOptions, PolicyProviderResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** A value that cannot be known until the resource is created (preview of a new resource). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

export type Props = Readonly<Record<string, unknown>>;

export interface ResourceView {
    readonly urn: string;
    /** Pulumi type token, e.g. `aws:s3/bucket:Bucket`. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /** Inputs (resource validation) or outputs (stack validation), normalized. */
    readonly props: Props;
    /** The region the resource is created in; undefined for non-AWS resources and components. */
    readonly region?: string;
    /** The `Environment` tag: the resource's own tags, else its provider's default tags. */
    readonly environment?: string;
    readonly parentUrn?: string;
    readonly protect: boolean;
    readonly retainOnDelete?: boolean;
    /** Every resource this one depends on (explicit `dependsOn` and inputs taken from other resources). */
    readonly dependsOn: readonly string[];
    /** Per top-level input, the resources it was computed from (known only in a real `pulumi preview`). */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    /** The provider-assigned id, when known (recorded resources). */
    readonly id?: string;
}

/** Report a violation; `urn` names the offending resource in stack validation. */
export type Report = (message: string, urn?: string) => void;
export type EnforcementLevel = "mandatory" | "advisory";

interface RuleBase {
    /** Unique, kebab-case. */
    readonly name: string;
    /** One sentence: what the rule requires. */
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
}
export interface ResourceRule extends RuleBase {
    validateResource(view: ResourceView, report: Report): void | Promise<void>;
    readonly validateStack?: undefined;
}
export interface StackRule extends RuleBase {
    validateStack(views: readonly ResourceView[], report: Report): void | Promise<void>;
    readonly validateResource?: undefined;
}
/** A policy: exactly one of `validateResource` (one resource at a time) or `validateStack` (all resources). */
export type Rule = ResourceRule | StackRule;

// ---------------------------------------------------------------------------------------------------------
// Value helpers: rules read untyped JSON through these.

export function isUnknown(value: unknown): value is Unknown {
    return value === UNKNOWN;
}

/** Set to something (an unknown value counts: it will be set at deploy time). */
export function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** The nested value at `path`; UNKNOWN if any step is unknown; undefined if any step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
    let current = value;
    for (const key of path) {
        if (isUnknown(current)) {
            return UNKNOWN;
        }
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return current;
}

/** A known string, else undefined. */
export function str(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** A known number (numeric strings included), else undefined. */
export function num(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) {
        return Number(value);
    }
    return undefined;
}

/** A known boolean (the strings "true"/"false" included), else undefined. */
export function bool(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    return undefined;
}

/** The known elements of an array (a single value counts as one element; unknown or missing as none). */
export function list(value: unknown): unknown[] {
    if (value === undefined || value === null || isUnknown(value)) {
        return [];
    }
    return Array.isArray(value) ? value : [value];
}

/** A known plain object, else undefined. */
export function obj(value: unknown): Readonly<Record<string, unknown>> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Tags of a resource as a plain map (`tags`, else `tagsAll`). */
export function tagsOf(props: Props): Readonly<Record<string, unknown>> {
    return obj(props.tags) ?? obj(props.tagsAll) ?? {};
}

/** `environment` helper for rules that apply to one environment. */
export function isEnvironment(view: ResourceView, environment: string): boolean {
    return view.environment === environment;
}

// ---------------------------------------------------------------------------------------------------------
// ARN helpers.

export interface ParsedArn {
    readonly partition: string;
    readonly service: string;
    readonly region: string;
    readonly account: string;
    readonly resource: string;
}

export function parseArn(value: unknown): ParsedArn | undefined {
    const s = str(value);
    const m = s === undefined ? null : /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(s);
    return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

/** A KMS key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`). */
export function isKmsKeyArn(value: unknown): boolean {
    const arn = parseArn(value);
    return arn !== undefined && arn.service === "kms" && arn.region !== "" && /^key\/.+/.test(arn.resource);
}

/** `alias/aws/<service>` (as a name or an alias ARN): an AWS-managed key, not a customer-managed one. */
export function isAwsManagedKeyAlias(value: unknown): boolean {
    const s = str(value);
    return s !== undefined && /(^|:)alias\/aws\//.test(s);
}

// ---------------------------------------------------------------------------------------------------------
// References between resources.

/** The resources among `candidates` that `from`'s input `prop` (top-level name) points at. */
export function referenced(
    from: ResourceView,
    prop: string,
    value: unknown,
    candidates: readonly ResourceView[],
    identities: (candidate: ResourceView) => readonly unknown[],
): ResourceView[] {
    const known = str(value);
    if (known !== undefined) {
        return candidates.filter((c) => identities(c).some((id) => id === known));
    }
    // Unknown during preview: the engine still says which resources the input was computed from.
    const deps = from.propertyDependencies?.[prop];
    if (deps) {
        return candidates.filter((c) => deps.includes(c.urn));
    }
    return [];
}

/** Identities a resource can be referenced by: name, id, ARN. */
export function identitiesOf(view: ResourceView): unknown[] {
    const p = view.props;
    return [view.id, p.id, p.arn, p.name, p.bucket, p.keyId].filter((v) => typeof v === "string");
}

// ---------------------------------------------------------------------------------------------------------
// Normalization and adapters.

/**
 * The parts of the mocked runtime's `RecordedResource` (scripts/synth/synthesize.ts) the adapter reads;
 * declared here so the pack does not depend on the synthesis code.
 */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly state: Record<string, unknown>;
    readonly id?: string;
    readonly region?: string;
    readonly providerUrn?: string;
    readonly parentUrn?: string;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependsOn: readonly string[];
}

// @pulumi/policy marks values unknown during preview with these sentinels (see @pulumi/policy/proxy.js).
const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
// Pulumi's wire signature for secrets ({ [SIG_KEY]: SECRET_SIG, value }), as the mocked runtime records them.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
// @pulumi/policy's proxy hands out the raw object under this key (see @pulumi/policy/proxy.js).
const PROXY_TARGET = "__getSpecialProxyTarget";

/** True for values the mocked runtime or the wire format marks as secret. */
export function isWireSecret(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function isAssetOrArchive(value: object): boolean {
    return "__pulumiAsset" in value || "__pulumiArchive" in value;
}

/** Deep copy with secrets unwrapped and preview unknowns replaced by UNKNOWN; assets are kept as they are. */
export function normalize(value: unknown): unknown {
    if (typeof value === "string") {
        return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (isWireSecret(value)) {
        return normalize(value.value);
    }
    if (isAssetOrArchive(value)) {
        return value;
    }
    if (value.constructor?.name === "Secret" && "value" in value) {
        return normalize((value as { value: unknown }).value);
    }
    if (Array.isArray(value)) {
        return value.map(normalize);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
        out[k] = normalize(v);
    }
    return out;
}

function rawOf(props: unknown): unknown {
    if (props !== null && typeof props === "object") {
        const target = (props as Record<string, unknown>)[PROXY_TARGET];
        if (target !== undefined) {
            return target;
        }
    }
    return props;
}

function normalizeProps(props: unknown): Props {
    return (obj(normalize(rawOf(props))) ?? {}) as Props;
}

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
