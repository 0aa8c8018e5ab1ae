import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

const ROOT = path.join(__dirname, "..", "..");

function configSection(file: string): Record<string, unknown> {
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
    return doc?.config ?? {};
}

/** Pulumi passes every config value to the program as a string; objects and arrays as JSON. */
function asConfigString(value: unknown): string {
    if (value !== null && typeof value === "object" && "value" in (value as object)) {
        return asConfigString((value as { value: unknown }).value);
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The config `pulumi up` would hand the program for `stack`: project-level values from `Pulumi.yaml`,
 * overridden by `Pulumi.<stack>.yaml`, keys fully qualified (`payments-dr:environment`).
 */
export function readStackConfig(stack: string, root = ROOT): Record<string, string> {
    const project = (yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        throw new Error(`no stack file ${path.basename(stackFile)}; stacks here: ${listStacks(root).join(", ")}`);
    }
    const merged = { ...configSection(path.join(root, "Pulumi.yaml")), ...configSection(stackFile) };
    return Object.fromEntries(
        Object.entries(merged).map(([key, value]) => [key.includes(":") ? key : `${project}:${key}`, asConfigString(value)]),
    );
}

/** Stack names that have a `Pulumi.<stack>.yaml` beside the project file. */
export function listStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}
