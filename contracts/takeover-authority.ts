import type { PolicyDocument, PolicyStatement } from "../components/shared/iam";
import { fitName, NAME_LIMITS, type NameContext } from "../components/shared/naming";

/**
 * The takeover authority: one item in a small DynamoDB table in the STANDBY region that says whether the standby
 * has taken over. It, not the takeover metric, is what fences the primary's writes: the metric can be published by
 * any principal of the account allowed `cloudwatch:PutMetricData` (the AWS-managed CloudWatchAgentServerPolicy grants
 * it on `*`), while the table's resource-based policy denies every item write to all but the stack's DR operator role
 * and takeover-switch roles, whatever their identity policies allow: an explicit Deny in a resource policy wins over
 * any Allow ("Policy evaluation logic",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html; DynamoDB resource-based
 * policies, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html).
 * `npm run failover` (and the Region switch plan) write it before publishing the metric; `npm run failback` clears it
 * after the metric. Dependency-free: the program, the functions, the scripts and the tests share it.
 */

/** The partition key, and the one item's key value. */
export const AUTHORITY_KEY_ATTRIBUTE = "pk";
export const AUTHORITY_ITEM_KEY = "TAKEOVER";
/** `state` is `set` (the standby has taken over; the primary is fenced) or `clear`; no item means clear. */
export const AUTHORITY_SET = "set";
export const AUTHORITY_CLEAR = "clear";

/** The item's attributes. */
export interface AuthorityItem {
    readonly state: typeof AUTHORITY_SET | typeof AUTHORITY_CLEAR;
    /** ISO time of the change. */
    readonly changedAt: string;
    /** Who changed it (`npm run failover`, `npm run failback`, the Region switch plan). */
    readonly changedBy: string;
}

/** What the stack exports as `takeoverAuthority`. */
export interface TakeoverAuthorityOutput {
    readonly region: string;
    readonly tableName: string;
    readonly tableArn: string;
}

/** `takeover-authority-<env>-<suffix>`, in the standby region. */
export function takeoverAuthorityTableName(ctx: NameContext): string {
    return fitName("takeover-authority", ctx, NAME_LIMITS.dynamodbTable);
}

/** Reading the authority (the fence, the receipt finisher, the scripts before they write). */
export const AUTHORITY_READ_ACTIONS = ["dynamodb:GetItem"] as const;
/** Setting or clearing it (operator and takeover-switch roles only). */
export const AUTHORITY_WRITE_ACTIONS = ["dynamodb:PutItem"] as const;
/**
 * Every data-plane action that can create, change or delete an item: the resource policy denies them all to
 * everyone but the writers (Actions defined by Amazon DynamoDB, Service Authorization Reference).
 */
export const AUTHORITY_ITEM_MUTATIONS = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
] as const;

/**
 * The table's resource-based policy: item writes by anyone but `writerRoleArns` are denied. `aws:PrincipalArn` of a
 * role session is the role's ARN (IAM global condition context keys). The Deny names no Principal ARN, so a writer
 * role that does not exist yet (the optional Region switch roles) is no error. Who can change this policy or the
 * table itself is the account's business: the README's guardrail (an SCP on `PaymentsDR*` and this table).
 */
export function authorityResourcePolicy(a: { readonly tableArn: string; readonly writerRoleArns: readonly string[] }): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "OnlyTheStacksTakeoverRolesChangeTheAuthority",
                Effect: "Deny",
                Principal: "*",
                Action: [...AUTHORITY_ITEM_MUTATIONS],
                Resource: a.tableArn,
                Condition: { ArnNotEquals: { "aws:PrincipalArn": [...a.writerRoleArns] } },
            },
        ],
    };
}

/** A reader's statements: GetItem on the table, and the standby key through DynamoDB there (the table is on it). */
export function authorityReadStatements(a: { readonly tableArn: string; readonly keyArn: string; readonly region: string }): PolicyStatement[] {
    return [{ Sid: "ReadTakeoverAuthority", Effect: "Allow", Action: [...AUTHORITY_READ_ACTIONS], Resource: a.tableArn }, authorityKeyStatement(a)];
}

/** A writer's statements: read and set/clear the item. */
export function authorityWriteStatements(a: { readonly tableArn: string; readonly keyArn: string; readonly region: string }): PolicyStatement[] {
    return [
        { Sid: "SetOrClearTakeoverAuthority", Effect: "Allow", Action: [...AUTHORITY_READ_ACTIONS, ...AUTHORITY_WRITE_ACTIONS], Resource: a.tableArn },
        authorityKeyStatement(a),
    ];
}

/**
 * Callers of a table on a customer-managed key need kms:Decrypt on it (through DynamoDB, in its region). Not narrowed
 * to this table by DynamoDB's encryption context (`kms:EncryptionContext:aws:dynamodb:tableName`): the IAM
 * conformance evaluator (@cloud-copilot/iam-simulate) does not resolve that key; the roles' DynamoDB permissions
 * already limit which tables they can have DynamoDB decrypt for.
 */
function authorityKeyStatement(a: { readonly keyArn: string; readonly region: string }): PolicyStatement {
    return {
        Sid: "UseStandbyKeyForTheAuthority",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: a.keyArn,
        Condition: { StringEquals: { "kms:ViaService": `dynamodb.${a.region}.amazonaws.com` } },
    };
}
