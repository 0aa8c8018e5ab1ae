/**
 * IAM policy documents: the types and the building blocks every policy here is made of (statements, trust policies).
 * Pure functions from real ARNs to policy documents: the components call them inside `pulumi.all(...).apply(...)`,
 * tests call them directly. The policies themselves live with their concern: function-policies.ts, key-policy.ts,
 * resource-policies.ts, replication-policy.ts, operator-policy.ts.
 */
import { WILDCARD_RESOURCE_ACTIONS } from "./aws-facts";

export type Principal = "*" | { readonly AWS?: string | string[]; readonly Service?: string | string[] };
export type ConditionBlock = Record<string, Record<string, string | string[] | boolean>>;

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Principal;
    readonly Action: string | string[];
    readonly Resource: string | string[];
    readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: PolicyStatement[];
}

// The program's copy of the policy pack's fact (components/shared/aws-facts.ts; a test keeps the two equal).
export { WILDCARD_RESOURCE_ACTIONS };

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy for a role that only `service` may assume, and only on behalf of this account. */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
}

/** Strips the `Resource` of trust policies, which IAM refuses there. */
export function trustPolicyJson(doc: PolicyDocument): string {
    return JSON.stringify({
        Version: doc.Version,
        Statement: doc.Statement.map(({ Resource: _resource, ...rest }) => rest),
    });
}

/** Trust policy for a human role: only `principalArn`, and only with MFA. */
export function mfaTrustPolicy(principalArn: string): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { AWS: principalArn },
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
}
