/**
 * IAM policy documents as the rules see them: parsed from the JSON string inputs (`policy`,
 * `assumeRolePolicy`, `inlinePolicies[].policy`), statements normalized to arrays, and the places each
 * kind of document lives.
 */
import { isUnknown, list, obj, ResourceView, str } from "./view";

export interface Statement {
    readonly Sid?: string;
    readonly Effect: string;
    /** "*" or a map of principal kind (AWS, Service, Federated, CanonicalUser) to values. */
    readonly Principal?: "*" | Readonly<Record<string, readonly string[]>>;
    readonly NotPrincipal?: unknown;
    readonly Action: readonly string[];
    readonly NotAction: readonly string[];
    readonly Resource: readonly string[];
    readonly NotResource: readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export type ParsedDocument =
    | { readonly kind: "document"; readonly statements: readonly Statement[] }
    | { readonly kind: "unknown" }
    | { readonly kind: "absent" }
    | { readonly kind: "invalid"; readonly error: string };

function strings(value: unknown): string[] {
    return list(value).filter((v): v is string => typeof v === "string");
}

function principalOf(value: unknown): Statement["Principal"] {
    if (value === undefined) {
        return undefined;
    }
    if (value === "*") {
        return "*";
    }
    const o = obj(value);
    if (!o) {
        return undefined;
    }
    const out: Record<string, string[]> = {};
    for (const [kind, v] of Object.entries(o)) {
        out[kind] = strings(v);
    }
    return out;
}

/** Parses a policy document given as a JSON string (or already as an object). */
export function parseDocument(value: unknown): ParsedDocument {
    if (value === undefined || value === null || value === "") {
        return { kind: "absent" };
    }
    if (isUnknown(value)) {
        return { kind: "unknown" };
    }
    let doc: unknown = value;
    if (typeof value === "string") {
        try {
            doc = JSON.parse(value);
        } catch (e) {
            return { kind: "invalid", error: `is not valid JSON (${(e as Error).message})` };
        }
    }
    const o = obj(doc);
    if (!o || o.Statement === undefined) {
        return { kind: "invalid", error: "has no Statement" };
    }
    const statements: Statement[] = list(o.Statement).map((raw) => {
        const s = obj(raw) ?? {};
        return {
            Sid: str(s.Sid),
            Effect: str(s.Effect) ?? "",
            Principal: principalOf(s.Principal),
            NotPrincipal: s.NotPrincipal,
            Action: strings(s.Action),
            NotAction: strings(s.NotAction),
            Resource: strings(s.Resource),
            NotResource: strings(s.NotResource),
            Condition: obj(s.Condition) as Statement["Condition"],
        };
    });
    return { kind: "document", statements };
}

/** `Sid` or position, for messages. */
export function statementLabel(s: Statement, index: number): string {
    return s.Sid ? `statement "${s.Sid}"` : `statement #${index + 1}`;
}

/** True when the statement has a non-empty Condition block. */
export function hasCondition(s: Statement): boolean {
    return s.Condition !== undefined && Object.values(s.Condition).some((block) => obj(block) && Object.keys(block).length > 0);
}

/** Every value of a principal kind ("AWS", "Service", ...). */
export function principals(s: Statement, kind: string): readonly string[] {
    return s.Principal === undefined || s.Principal === "*" ? [] : (s.Principal[kind] ?? []);
}

/** Principal "*" or `{ AWS: "*" }`: anyone. */
export function isAnyonePrincipal(s: Statement): boolean {
    return s.Principal === "*" || principals(s, "AWS").includes("*");
}

/** The value of condition key `key` (case-insensitive) under any operator whose name matches `operator`. */
export function conditionValues(s: Statement, operator: RegExp, key: string): unknown[] {
    const out: unknown[] = [];
    for (const [op, block] of Object.entries(s.Condition ?? {})) {
        if (!operator.test(op)) {
            continue;
        }
        for (const [k, v] of Object.entries(obj(block) ?? {})) {
            if (k.toLowerCase() === key.toLowerCase()) {
                out.push(...list(v));
            }
        }
    }
    return out;
}

/** IAM action wildcard match (`kms:Describe*` matches `kms:DescribeKey`), case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp(
        `^${pattern
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
        "i",
    );
    return re.test(action);
}

/** Where one policy document lives on a resource. */
export interface DocumentSite {
    readonly label: string;
    readonly value: unknown;
}

/** Identity policies (granted to a principal): RolePolicy, Policy, UserPolicy, GroupPolicy, Role inline policies. */
export function identityPolicySites(view: ResourceView): DocumentSite[] {
    switch (view.type) {
        case "aws:iam/rolePolicy:RolePolicy":
        case "aws:iam/policy:Policy":
        case "aws:iam/userPolicy:UserPolicy":
        case "aws:iam/groupPolicy:GroupPolicy":
            return [{ label: "policy", value: view.props.policy }];
        case "aws:iam/role:Role":
            return list(view.props.inlinePolicies).map((p, i) => ({
                label: `inlinePolicies[${str(obj(p)?.name) ?? i}]`,
                value: obj(p)?.policy,
            }));
        default:
            return [];
    }
}

/** The trust policy of a role. */
export function trustPolicySites(view: ResourceView): DocumentSite[] {
    return view.type === "aws:iam/role:Role" ? [{ label: "assumeRolePolicy", value: view.props.assumeRolePolicy }] : [];
}

/** Resource policies (attached to the resource, naming principals): key, bucket, topic, queue, table policies. */
export function resourcePolicySites(view: ResourceView): DocumentSite[] {
    switch (view.type) {
        case "aws:kms/key:Key":
        case "aws:kms/keyPolicy:KeyPolicy":
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
        case "aws:s3/bucketPolicy:BucketPolicy":
        case "aws:sns/topic:Topic":
        case "aws:sns/topicPolicy:TopicPolicy":
        case "aws:sqs/queue:Queue":
        case "aws:sqs/queuePolicy:QueuePolicy":
        case "aws:dynamodb/resourcePolicy:ResourcePolicy":
        case "aws:lambda/resourcePolicy:ResourcePolicy":
            return view.props.policy === undefined ? [] : [{ label: "policy", value: view.props.policy }];
        default:
            return [];
    }
}
