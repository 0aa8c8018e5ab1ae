import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./config-keys";

/** Raw config values as strings, keyed without the namespace (what `pulumi config` stores). */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/**
 * Thrown when stack config is invalid; lists every problem, one per line. A `pulumi.RunError`: under the CLI
 * it prints as one clean message, without a stack trace.
 */
export class ConfigValidationError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  - ${p}`).join("\n"));
        this.name = "ConfigValidationError";
    }
}

/** Where the parsers put what is wrong: one line per problem, in the order they are found. */
export interface Problems {
    /** `<namespace>:<key>` is `<value>`: `<rule>`. */
    add(key: string, value: unknown, rule: string): void;
    readonly list: string[];
}

export function problemCollector(): Problems {
    const list: string[] = [];
    return {
        list,
        add(key, value, rule) {
            list.push(`\`${CONFIG_NAMESPACE}:${key}\` is ${JSON.stringify(value)}: ${rule}.`);
        },
    };
}

/** Typed reads of raw config: an unset or invalid value gives the fallback, and an invalid one a problem. */
export interface ConfigReader {
    /** The trimmed value; undefined when unset or blank. */
    text(key: string): string | undefined;
    integer(key: string, fallback: number | undefined, min: number, max: number, rule: string): number | undefined;
    bool(key: string, fallback: boolean): boolean;
    oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined;
    readonly problems: Problems;
}

export function configReader(raw: RawConfig, problems: Problems): ConfigReader {
    const text = (key: string): string | undefined => {
        const value = raw[key];
        return value === undefined || value.trim() === "" ? undefined : value.trim();
    };
    const integer = (key: string, fallback: number | undefined, min: number, max: number, rule: string) => {
        const value = text(key);
        if (value === undefined) {
            return fallback;
        }
        const n = Number(value);
        if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
            problems.add(key, value, rule);
            return fallback;
        }
        return n;
    };
    const bool = (key: string, fallback: boolean) => {
        const value = text(key);
        if (value === undefined) {
            return fallback;
        }
        if (value !== "true" && value !== "false") {
            problems.add(key, value, "must be true or false");
            return fallback;
        }
        return value === "true";
    };
    function oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
        const value = text(key);
        if (value === undefined) {
            return fallback;
        }
        if (!(allowed as readonly string[]).includes(value)) {
            problems.add(key, value, `must be one of ${allowed.join(", ")}`);
            return fallback;
        }
        return value as T;
    }
    return { text, integer, bool, oneOf, problems };
}
