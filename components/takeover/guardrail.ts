import type { PolicyDocument } from "../shared/iam";
import { AUTHORITY_ITEM_MUTATIONS } from "../../contracts/takeover-authority";

/**
 * The account guardrail the stack cannot set for itself: a service control policy (AWS Organizations) for what no
 * resource policy of this stack can stop. The takeover authority's own resource policy already keeps its item to the
 * operator and takeover-switch roles; what remains is
 * - the takeover metric and the payment metrics (`PaymentsDR*` namespaces): PutMetricData has no resource-level
 *   permissions, only the `cloudwatch:namespace` condition key, and CloudWatchAgentServerPolicy grants it on `*`
 *   (Actions, resources, and condition keys for Amazon CloudWatch, Service Authorization Reference). A forged value
 *   can move Route 53 (a failover, or back) but never fence or unfence writes;
 * - the processors' log groups: the payment-failure metric is extracted from their log lines (embedded metric
 *   format), and CloudWatchAgentServerPolicy allows logs:PutLogEvents on `*`;
 * - the authority table's own administration (its policy, deletion protection, the table).
 * SCPs apply to every principal of the member accounts except the management account's and service-linked roles
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
 */

/** Role name patterns of the principals that may publish, write and administer (naming.ts: `fitName` prefixes). */
export interface GuardrailRoles {
    /** The DR operator and takeover-switch roles: publish the takeover metric. */
    readonly publishers: readonly string[];
    /** The transaction processors: write their own log groups (Lambda writes with the execution role). */
    readonly processors: readonly string[];
    /** The roles that deploy the stack (`pulumi up`): administer the authority table. */
    readonly deployers: readonly string[];
}

/** The program's role names, as ARN patterns for any account of the organization in `partition` (e.g. `aws`). */
export function paymentsDrRoles(partition: string): Omit<GuardrailRoles, "deployers"> {
    return {
        publishers: [
            `arn:${partition}:iam::*:role/dr-operator-*`,
            `arn:${partition}:iam::*:role/takeover-set-*`,
            `arn:${partition}:iam::*:role/takeover-clear-*`,
        ],
        processors: [`arn:${partition}:iam::*:role/txn-processor-*`],
    };
}

/** Table administration that could weaken or remove the authority (DynamoDB actions, Service Authorization Reference). */
export const AUTHORITY_ADMIN_ACTIONS = ["dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy", "dynamodb:UpdateTable", "dynamodb:DeleteTable"] as const;

export function paymentsDrGuardrail(roles: GuardrailRoles, partition: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "OnlyPaymentsDrRolesPublishPaymentsDrMetrics",
                Effect: "Deny",
                Action: "cloudwatch:PutMetricData",
                Resource: "*",
                Condition: { StringLike: { "cloudwatch:namespace": "PaymentsDR*" }, ArnNotLike: { "aws:PrincipalArn": [...roles.publishers] } },
            },
            {
                Sid: "OnlyProcessorsWriteTheirLogs",
                Effect: "Deny",
                Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                Resource: `arn:${partition}:logs:*:*:log-group:/aws/lambda/transaction-processor-*`,
                Condition: { ArnNotLike: { "aws:PrincipalArn": [...roles.processors] } },
            },
            {
                Sid: "OnlyDeployersAdministerTheTakeoverAuthority",
                Effect: "Deny",
                Action: [...AUTHORITY_ADMIN_ACTIONS],
                Resource: `arn:${partition}:dynamodb:*:*:table/takeover-authority-*`,
                Condition: { ArnNotLike: { "aws:PrincipalArn": [...roles.deployers] } },
            },
            {
                Sid: "OnlyPaymentsDrRolesChangeTheTakeoverAuthority",
                Effect: "Deny",
                Action: [...AUTHORITY_ITEM_MUTATIONS],
                Resource: `arn:${partition}:dynamodb:*:*:table/takeover-authority-*`,
                Condition: { ArnNotLike: { "aws:PrincipalArn": [...roles.publishers] } },
            },
        ],
    };
}
