/**
 * The text of the offline preview after the resource tree: policy violations (as `pulumi preview` lists them),
 * the program's notices, and the summary line.
 */
import type { Violation } from "../../policy/rules/evaluate";

export const POLICY_PACK_NAME = "payments-dr-guardrails";

interface Named {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly region?: string;
}

/** Mandatory first, then by policy and resource, so the output is stable and the blockers are on top. */
export function sortViolations(violations: readonly Violation[]): Violation[] {
    return [...violations].sort(
        (a, b) =>
            Number(a.enforcementLevel !== "mandatory") - Number(b.enforcementLevel !== "mandatory") ||
            a.policy.localeCompare(b.policy) ||
            (a.urn ?? "").localeCompare(b.urn ?? "") ||
            a.message.localeCompare(b.message),
    );
}

export function formatViolations(violations: readonly Violation[], resources: readonly Named[], policyCount: number): string {
    const mandatoryCount = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const header = `Policy Violations (${POLICY_PACK_NAME}, ${policyCount} policies): ${mandatoryCount} mandatory, ${violations.length - mandatoryCount} advisory`;
    if (violations.length === 0) {
        return `${header}\n    none`;
    }
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const lines = [header];
    for (const v of sortViolations(violations)) {
        const r = v.urn ? byUrn.get(v.urn) : undefined;
        const where = r ? `(${r.type}: ${r.name}${r.region ? `, ${r.region}` : ""})` : v.urn ? `(${v.urn})` : "(stack)";
        lines.push(`    [${v.enforcementLevel}]  ${v.policy}  ${where}`);
        lines.push(`    ${v.message}`);
    }
    return lines.join("\n");
}

/** The program's `notices` output (a list of strings), if it has one. */
export function noticesOf(outputs: Readonly<Record<string, unknown>>): string[] {
    const notices = outputs.notices;
    return Array.isArray(notices) ? notices.filter((n): n is string => typeof n === "string") : [];
}

export function formatNotices(notices: readonly string[]): string {
    return notices.length === 0 ? "" : ["Notices:", ...notices.map((n) => `    - ${n}`)].join("\n");
}
