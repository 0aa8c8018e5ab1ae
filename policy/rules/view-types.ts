/** The normalized view of one resource, and the rules that read it (see view.ts). */

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
