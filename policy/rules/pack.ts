/**
 * Turns rules into `@pulumi/policy` policies: each rule sees the normalized view built from the engine's
 * arguments. Kept apart from `policy/index.ts` so tests can check the adapters without starting the policy
 * server that constructing a PolicyPack starts.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { fromResourceArgs, fromStackArgs, Rule } from "./view";

export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    const { name, description, enforcementLevel } = rule;
    if (rule.validateResource) {
        const validate = rule.validateResource;
        return {
            name,
            description,
            enforcementLevel,
            validateResource: (args, reportViolation) => validate(fromResourceArgs(args), (message) => reportViolation(message)),
        };
    }
    const validate = rule.validateStack;
    return {
        name,
        description,
        enforcementLevel,
        validateStack: (args, reportViolation) => validate(fromStackArgs(args), (message, urn) => reportViolation(message, urn)),
    };
}
