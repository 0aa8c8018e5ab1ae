import * as path from "path";
import { readYaml } from "./yaml-file";

/** One key of `Pulumi.yaml`'s `config:` block that belongs to the project (a schema entry). */
export interface ConfigDeclaration {
    readonly type?: string;
    readonly description?: string;
    /** Absent for a required key: Pulumi refuses a stack that does not set it. */
    readonly default?: unknown;
    readonly secret?: boolean;
}

export interface ProjectFile {
    readonly name: string;
    /** The project's own keys (unqualified), as declared. */
    readonly declarations: Readonly<Record<string, ConfigDeclaration>>;
    /** Values for other namespaces (`pulumi:disable-default-providers`, `aws:...`), fully qualified. */
    readonly values: Readonly<Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Reads `Pulumi.yaml` the way the Pulumi CLI does: an unqualified (or `<project>:`) key is a declaration of
 * the project's config (a bare value is shorthand for its default); a key of another namespace is a value.
 */
export function readProjectFile(root: string): ProjectFile {
    const doc = readYaml(path.join(root, "Pulumi.yaml")) as { name: string; config?: Record<string, unknown> };
    const declarations: Record<string, ConfigDeclaration> = {};
    const values: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(doc.config ?? {})) {
        const own = !key.includes(":") || key.startsWith(`${doc.name}:`);
        if (own) {
            declarations[key.includes(":") ? key.slice(doc.name.length + 1) : key] = isObject(entry) ? (entry as ConfigDeclaration) : { default: entry };
        } else {
            values[key] = isObject(entry) && "value" in entry ? entry.value : entry;
        }
    }
    return { name: doc.name, declarations, values };
}

/** Pulumi hands the program every config value as a string; objects and arrays as JSON. */
export function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
