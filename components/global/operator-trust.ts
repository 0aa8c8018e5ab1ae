import { policyDocument, type PolicyDocument } from "../shared/iam";

/**
 * Who may assume the DR operator role. Not "any principal of the account with MFA" (the account root as principal
 * delegates the choice to every identity policy in the account): either exactly `operatorPrincipalArn`, or, when the
 * stack names none, only principals tagged `payments-dr-operator=<env label>` (a tag the account guardrails let
 * only administrators set). Always with MFA, authenticated within the last hour.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthage
 */

export const OPERATOR_TAG_KEY = "payments-dr-operator";
/** Seconds since the MFA sign-in: the role's own session is an hour too. */
export const OPERATOR_MFA_MAX_AGE_SECONDS = 3600;

export interface OperatorTrustArgs {
    /** The one principal allowed; undefined: the account's principals carrying the operator tag. */
    readonly principalArn?: string;
    readonly accountId: string;
    /** The tag's value: an operator of dev is not one of prod. */
    readonly envLabel: string;
    readonly partition: string;
}

export function operatorTrustPolicy(a: OperatorTrustArgs): PolicyDocument {
    const principal = a.principalArn ?? `arn:${a.partition}:iam::${a.accountId}:root`;
    return policyDocument({
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: {
            Bool: { "aws:MultiFactorAuthPresent": "true" },
            NumericLessThan: { "aws:MultiFactorAuthAge": String(OPERATOR_MFA_MAX_AGE_SECONDS) },
            ...(a.principalArn === undefined ? { StringEquals: { [`aws:PrincipalTag/${OPERATOR_TAG_KEY}`]: a.envLabel } } : {}),
        },
    });
}
