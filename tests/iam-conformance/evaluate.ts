import { runSimulation } from "@cloud-copilot/iam-simulate";
import { PrincipalKind, Role, StackModel } from "./model";
import { IamRequest, lambdaRequests, requestsOf, SentCommand } from "./requests";

export interface Verdict {
    readonly stack: string;
    readonly roleName: string;
    readonly request: IamRequest;
    readonly result: string;
}

export interface Evaluation {
    /** Distinct authorizations evaluated (principal, action, resource, context). */
    readonly evaluated: number;
    readonly denied: readonly Verdict[];
    /** Per stack and role: the actions some evaluated call needed. */
    readonly used: ReadonlyMap<string, ReadonlySet<string>>;
}

const FUNCTION_KINDS: readonly PrincipalKind[] = ["processor", "health", "finisher", "migrator", "projector", "takeover-switch"];
const ROLES: readonly Role[] = ["primary", "secondary"];

/**
 * Evaluates every request against the synthesized identity policies of the role that makes it and the resource's
 * policy, with @cloud-copilot/iam-simulate (AWS's evaluation logic: explicit deny, then identity and resource
 * allows, KMS key policies' own rule). A principal the stack does not have (no ledger, no canaries) makes no call.
 */
export async function evaluate(models: readonly StackModel[], sent: readonly SentCommand[]): Promise<Evaluation> {
    const denied: Verdict[] = [];
    const seen = new Set<string>();
    const used = new Map<string, Set<string>>();
    for (const m of models) {
        const requests: IamRequest[] = [];
        for (const cmd of sent) {
            requests.push(...requestsOf(cmd, m).map((r) => ({ ...r, kind: cmd.kind })));
        }
        for (const kind of FUNCTION_KINDS) {
            for (const role of ROLES) {
                for (const r of m.roles(kind, role)) {
                    requests.push(...lambdaRequests(kind, role, r, m));
                }
            }
        }
        for (const request of requests) {
            for (const principal of m.roles(request.kind, request.role).filter((p) => !request.roleName || p.roleName === request.roleName)) {
                const key = JSON.stringify([m.name, principal.roleArn, request.action, request.resource, request.context]);
                if (seen.has(key)) {
                    continue;
                }
                seen.add(key);
                const roleKey = `${m.name} ${principal.roleName}`;
                used.set(roleKey, (used.get(roleKey) ?? new Set()).add(request.action));
                const result = await decide(m, principal.roleName, principal.roleArn, request);
                if (result !== "Allowed") {
                    denied.push({ stack: m.name, roleName: principal.roleName, request, result });
                }
            }
        }
    }
    return { evaluated: seen.size, denied, used };
}

/**
 * Actions a role's own policies name that no evaluated call needed: candidates for removal, or code paths no test
 * exercises. Informational (the tests do not reach every path, e.g. a canary's Synthetics runtime).
 */
export function unusedActions(m: StackModel, evaluation: Evaluation, kinds: readonly PrincipalKind[]): string[] {
    const out: string[] = [];
    for (const kind of kinds) {
        for (const role of ROLES) {
            for (const principal of m.roles(kind, role)) {
                const needed = evaluation.used.get(`${m.name} ${principal.roleName}`) ?? new Set<string>();
                const granted = m
                    .identityPolicies(principal.roleName)
                    .flatMap((p) => (p.policy as { Statement: { Effect: string; Action: string | string[] }[] }).Statement)
                    .filter((st) => st.Effect === "Allow")
                    .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
                for (const action of new Set(granted)) {
                    if (!action.includes("*") && !needed.has(action)) {
                        out.push(`${m.name}: ${principal.roleName} never needed ${action}`);
                    }
                }
            }
        }
    }
    return [...new Set(out)];
}

async function decide(m: StackModel, roleName: string, roleArn: string, request: IamRequest): Promise<string> {
    const response = await runSimulation(
        {
            request: {
                principal: roleArn,
                action: request.action,
                resource: { resource: request.resource, accountId: m.accountId },
                contextVariables: { "aws:PrincipalAccount": m.accountId, "aws:PrincipalArn": roleArn, ...request.context },
            },
            identityPolicies: m.identityPolicies(roleName),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: request.resourcePolicy,
        } as Parameters<typeof runSimulation>[0],
        {},
    );
    if (response.resultType === "error") {
        return `simulation error: ${JSON.stringify(response.errors)}`;
    }
    return response.overallResult;
}

export function describeVerdict(v: Verdict): string {
    const context = Object.keys(v.request.context).length ? ` ${JSON.stringify(v.request.context)}` : "";
    return `${v.stack}: ${v.roleName} ${v.result}: ${v.request.action} on ${v.request.resource}${context} (${v.request.why})`;
}
