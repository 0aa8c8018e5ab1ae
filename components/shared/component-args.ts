import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "./service-limits";

/**
 * Checks of a component's own args. The project's program validates its config before it builds anything
 * (program/config.ts); a program of its own that passes args straight to a component gets the same kind of
 * message from here, before the component registers anything.
 */

/** Stops the program with every problem, one per line (a RunError: one clean message under the CLI). */
export function requireValidArgs(component: string, problems: readonly string[]): void {
    if (problems.length > 0) {
        throw new pulumi.RunError(`${component}: invalid args (${problems.length}):\n` + problems.map((p) => `  - ${p}`).join("\n"));
    }
}

/** `name` is `value`, which must be an integer from `min` to `max`; undefined when it is. */
export function integerProblem(name: string, value: number, min: number, max: number, unit = ""): string | undefined {
    return Number.isInteger(value) && value >= min && value <= max
        ? undefined
        : `\`${name}\` is ${value}: must be an integer from ${min} to ${max}${unit ? ` (${unit})` : ""}`;
}

/** `name` is not one of CloudWatch Logs' retention periods. */
export function retentionProblem(name: string, value: number): string | undefined {
    return (LOG_RETENTION_DAYS as readonly number[]).includes(value)
        ? undefined
        : `\`${name}\` is ${value}: must be one of CloudWatch Logs' retention periods (${LOG_RETENTION_DAYS.join(", ")})`;
}

/** The defined problems of a list of checks. */
export function problemsOf(checks: readonly (string | undefined)[]): string[] {
    return checks.filter((p): p is string => p !== undefined);
}
