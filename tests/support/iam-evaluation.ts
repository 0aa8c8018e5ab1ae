/**
 * A small evaluator of AWS's policy logic for one same-account request, for the questions these tests ask (who can
 * set or clear the takeover): an explicit Deny in any policy wins; service control policies must allow; then an
 * Allow in an identity policy or in the resource policy (for a principal it names, or `*`) allows; otherwise the
 * request is implicitly denied ("Policy evaluation logic",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). Action and resource
 * wildcards (`*`, `?`); condition operators String(Not)Equals, String(Not)Like, Arn(Not)Equals, Arn(Not)Like, Bool,
 * each with IfExists. Anything else throws: a test can never pass on a policy the evaluator does not understand.
 */

export interface EvaluatedStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: "*" | { readonly AWS?: string | readonly string[] };
    readonly Action?: string | readonly string[];
    readonly NotAction?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

export interface EvaluatedPolicy {
    readonly Statement: readonly EvaluatedStatement[] | EvaluatedStatement;
}

export interface AccessRequest {
    /** The role's ARN (`aws:PrincipalArn` of its sessions). */
    readonly principalArn: string;
    readonly action: string;
    readonly resource: string;
    /** Request context keys besides `aws:PrincipalArn` (e.g. `cloudwatch:namespace`). */
    readonly context?: Readonly<Record<string, string>>;
}

export interface AccessPolicies {
    readonly identity: readonly EvaluatedPolicy[];
    readonly resource?: EvaluatedPolicy;
    /** Service control policies in force; omitted: no organization (everything allowed at that level). */
    readonly scps?: readonly EvaluatedPolicy[];
}

export type Decision = "allowed" | "explicit-deny" | "implicit-deny";

const asList = <T>(value: T | readonly T[] | undefined): readonly T[] =>
    value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];

function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
    const escaped = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${escaped}$`, caseInsensitive ? "i" : "").test(value);
}

function matchesCondition(condition: EvaluatedStatement["Condition"], context: Readonly<Record<string, string>>): boolean {
    for (const [rawOperator, entries] of Object.entries(condition ?? {})) {
        const ifExists = rawOperator.endsWith("IfExists");
        const operator = ifExists ? rawOperator.slice(0, -"IfExists".length) : rawOperator;
        for (const [key, expected] of Object.entries(entries)) {
            const actual = context[key];
            const values = asList(expected as string | readonly string[]).map(String);
            if (actual === undefined) {
                // A missing key: IfExists matches; a negated operator matches; any other does not.
                if (ifExists || operator.includes("Not")) {
                    continue;
                }
                return false;
            }
            const like = (v: string) => wildcard(v, actual, false);
            const equals = (v: string) => v === actual;
            let result: boolean;
            switch (operator) {
                case "StringEquals":
                case "ArnEquals":
                    result = values.some(equals);
                    break;
                case "StringNotEquals":
                case "ArnNotEquals":
                    result = !values.some(equals);
                    break;
                case "StringLike":
                case "ArnLike":
                    result = values.some(like);
                    break;
                case "StringNotLike":
                case "ArnNotLike":
                    result = !values.some(like);
                    break;
                case "Bool":
                    result = values.some((v) => v.toLowerCase() === actual.toLowerCase());
                    break;
                default:
                    throw new Error(`the test evaluator does not know the condition operator ${rawOperator}`);
            }
            if (!result) {
                return false;
            }
        }
    }
    return true;
}

function applies(statement: EvaluatedStatement, request: AccessRequest, isResourcePolicy: boolean): boolean {
    if (isResourcePolicy) {
        const principals = statement.Principal === "*" ? ["*"] : asList(statement.Principal?.AWS);
        if (!principals.some((p) => p === "*" || p === request.principalArn)) {
            return false;
        }
    }
    const actionMatch = (patterns: readonly string[]) => patterns.some((p) => wildcard(p, request.action, true));
    if (statement.NotAction !== undefined ? actionMatch(asList(statement.NotAction)) : !actionMatch(asList(statement.Action))) {
        return false;
    }
    if (!asList(statement.Resource).some((r) => wildcard(r, request.resource, false))) {
        return false;
    }
    return matchesCondition(statement.Condition, { ...request.context, "aws:PrincipalArn": request.principalArn });
}

const statementsOf = (policy: EvaluatedPolicy) => asList(policy.Statement);

export function evaluateAccess(request: AccessRequest, policies: AccessPolicies): Decision {
    const identity = policies.identity.flatMap(statementsOf).filter((s) => applies(s, request, false));
    const resource = (policies.resource ? statementsOf(policies.resource) : []).filter((s) => applies(s, request, true));
    const scp = (policies.scps ?? []).flatMap(statementsOf).filter((s) => applies(s, request, false));
    if ([...identity, ...resource, ...scp].some((s) => s.Effect === "Deny")) {
        return "explicit-deny";
    }
    if (policies.scps !== undefined && !scp.some((s) => s.Effect === "Allow")) {
        return "implicit-deny";
    }
    return [...identity, ...resource].some((s) => s.Effect === "Allow") ? "allowed" : "implicit-deny";
}
