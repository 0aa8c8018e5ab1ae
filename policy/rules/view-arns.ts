/** ARN helpers, and which resources another one's input points at. */
import { ResourceView } from "./view-types";
import { str } from "./view-values";

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
