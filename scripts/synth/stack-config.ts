import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { asConfigString, readProjectFile } from "./project-schema";

const ROOT = path.join(__dirname, "..", "..");

function configSection(file: string): Record<string, unknown> {
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
    return doc?.config ?? {};
}

/**
 * The config `pulumi up` would hand the program for `stack`: the values of `Pulumi.<stack>.yaml`, then the
 * defaults `Pulumi.yaml` declares for keys the stack does not set, and its values for other namespaces.
 * Keys fully qualified (`payments-dr:environment`).
 */
export function readStackConfig(stack: string, root = ROOT): Record<string, string> {
    const project = readProjectFile(root);
    const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        throw new Error(`no stack file ${path.basename(stackFile)}; stacks here: ${listStacks(root).join(", ")}`);
    }
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(project.values)) {
        config[key] = asConfigString(value);
    }
    for (const [key, declaration] of Object.entries(project.declarations)) {
        if (declaration.default !== undefined) {
            config[`${project.name}:${key}`] = asConfigString(declaration.default);
        }
    }
    for (const [key, value] of Object.entries(configSection(stackFile))) {
        config[key.includes(":") ? key : `${project.name}:${key}`] = asConfigString(value);
    }
    return config;
}

/** Stack names that have a `Pulumi.<stack>.yaml` beside the project file. */
export function listStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}
