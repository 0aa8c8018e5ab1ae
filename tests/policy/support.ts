import { evaluate, Violation } from "../../policy/rules";
import { IAM_RULES } from "../../policy/rules/iam";
import { resourceView, ResourceView, Rule } from "../../policy/rules/view";

export { resourceView as view };

export const ACCOUNT = "123456789012";
export const EAST = "us-east-1";
export const WEST = "us-west-2";
export const KEY_EAST = `arn:aws:kms:${EAST}:${ACCOUNT}:key/11111111-2222-4333-8444-555555555555`;
export const KEY_WEST = `arn:aws:kms:${WEST}:${ACCOUNT}:key/66666666-7777-4888-8999-000000000000`;

/** Messages a rule reports for the given views (a resource rule runs on each). */
export async function messages(rule: Rule, ...views: ResourceView[]): Promise<string[]> {
    return (await evaluate(views, [rule])).map((v) => v.message);
}

export async function violations(rule: Rule, ...views: ResourceView[]): Promise<Violation[]> {
    return evaluate(views, [rule]);
}

/** A policy document as the JSON string the resources take. */
export function doc(...statements: Record<string, unknown>[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Pretty list of violations for assertion messages. */
export function listViolations(vs: readonly Violation[]): string {
    return vs.map((v) => `  [${v.enforcementLevel}] ${v.policy}: ${v.message} (${v.urn ?? "stack"})`).join("\n");
}

/** What the pack's IAM resource rules report for a role policy with this document, by rule (none: every list empty). */
export async function rolePolicyProblems(policy: object): Promise<Record<string, string[]>> {
    const rolePolicy = resourceView({
        type: "aws:iam/rolePolicy:RolePolicy",
        name: "role-policy",
        region: EAST,
        props: { role: "role", policy: JSON.stringify(policy) },
    });
    const found: Record<string, string[]> = {};
    for (const rule of IAM_RULES.filter((r) => r.validateResource)) {
        found[rule.name] = await messages(rule, rolePolicy);
    }
    return found;
}
