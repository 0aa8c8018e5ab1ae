/**
 * Runs rules over resource views the way the Pulumi engine runs a policy pack: resource rules once per
 * resource, stack rules once over all of them. Used by the tests and the offline preview.
 */
import { EnforcementLevel, ResourceView, Rule } from "./view";

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly message: string;
    /** The offending resource; undefined when the stack as a whole is in violation. */
    readonly urn?: string;
}

export async function evaluate(views: readonly ResourceView[], rules: readonly Rule[]): Promise<Violation[]> {
    const violations: Violation[] = [];
    for (const rule of rules) {
        const add = (message: string, urn?: string) => violations.push({ policy: rule.name, enforcementLevel: rule.enforcementLevel, message, urn });
        try {
            if (rule.validateResource) {
                for (const view of views) {
                    await rule.validateResource(view, (message) => add(message, view.urn));
                }
            } else {
                await rule.validateStack(views, add);
            }
        } catch (e) {
            // A crashing rule must not pass silently: the engine would fail the preview too.
            violations.push({ policy: rule.name, enforcementLevel: "mandatory", message: `the rule failed: ${(e as Error).stack ?? String(e)}` });
        }
    }
    return violations;
}

/** Violations of mandatory rules only. */
export function mandatory(violations: readonly Violation[]): Violation[] {
    return violations.filter((v) => v.enforcementLevel === "mandatory");
}
