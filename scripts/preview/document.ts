/**
 * The document `--json` writes (to a file, or with `-` as the only thing on stdout): the resources of the stable
 * plan, every policy violation, the program's notices, the recovery objectives and the stack outputs, plus a
 * summary. Keys and lists in a stable order and no timestamps, so two runs on the same sources diff clean.
 */
import type { Violation } from "../../policy/rules/evaluate";
import { ObjectiveStatus, RecoveryObjectives, rpoStatus, rtoStatus } from "../../program/objectives";
import { buildPlan, PlanEntry, PlanResource, planValue } from "./plan";
import { sortViolations } from "./report";

export interface ViolationEntry {
    readonly policy: string;
    readonly enforcementLevel: string;
    readonly message: string;
    readonly urn: string | null;
    readonly type: string | null;
    readonly name: string | null;
    readonly region: string | null;
}

export interface PreviewSummary {
    readonly passed: boolean;
    readonly mandatoryViolations: number;
    readonly advisoryViolations: number;
    readonly objectivesProblems: number;
}

export interface PreviewDocument {
    readonly stack: string;
    readonly summary: PreviewSummary;
    readonly resources: readonly PlanEntry[];
    readonly violations: readonly ViolationEntry[];
    readonly notices: readonly string[];
    readonly objectives: unknown;
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** The objectives with a status on the RTO and on every RPO line (what the text report prints as OK/MISSED). */
export function objectivesDocument(o: RecoveryObjectives): Record<string, unknown> & { rtoStatus: ObjectiveStatus } {
    return {
        ...o,
        rtoStatus: rtoStatus(o),
        rpo: o.rpo.map((store) => ({
            ...store,
            worstCaseSeconds: store.worstCaseSeconds ?? null,
            targetSeconds: store.targetSeconds ?? null,
            status: rpoStatus(store),
        })),
    };
}

export function violationEntries(violations: readonly Violation[], resources: readonly PlanResource[]): ViolationEntry[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return sortViolations(violations).map((v) => {
        const r = v.urn ? byUrn.get(v.urn) : undefined;
        return {
            policy: v.policy,
            enforcementLevel: v.enforcementLevel,
            message: v.message,
            urn: v.urn ?? null,
            type: r?.type ?? null,
            name: r?.name ?? null,
            region: r?.region ?? null,
        };
    });
}

/** What the document is built from: the same sections, before they are made plain and sorted. */
export interface DocumentParts extends Omit<PreviewDocument, "resources" | "violations" | "objectives"> {
    readonly resources: readonly PlanResource[];
    readonly violations: readonly Violation[];
    readonly objectives: RecoveryObjectives;
}

export async function buildPreviewDocument(parts: DocumentParts): Promise<PreviewDocument> {
    const plan = await buildPlan(parts.stack, parts.resources);
    return {
        stack: parts.stack,
        summary: parts.summary,
        resources: plan.resources,
        violations: violationEntries(parts.violations, parts.resources),
        notices: parts.notices,
        objectives: objectivesDocument(parts.objectives),
        outputs: (await planValue(parts.outputs)) as Record<string, unknown>,
    };
}

export function documentJson(doc: PreviewDocument): string {
    return `${JSON.stringify(doc, null, 2)}\n`;
}
