import { ConfigValidationError, parseStackSettings } from "../../program/config";
import { CONFIG_NAMESPACE } from "../../program/config-keys";

/**
 * The keys program/config.ts requires, read from the program itself: those it reports as missing when a stack
 * sets nothing. Pulumi.yaml's schema (no default) and its `template:` prompts are checked against this list.
 */
export function requiredConfigKeys(): string[] {
    try {
        parseStackSettings({}, CONFIG_NAMESPACE, "required-keys");
    } catch (e) {
        return (e as ConfigValidationError).problems
            .map((p) => new RegExp(`^\`${CONFIG_NAMESPACE}:(\\w+)\` is missing`).exec(p)?.[1])
            .filter((k): k is string => k !== undefined);
    }
    throw new Error("an empty config parsed without problems");
}
