import * as fs from "fs";
import * as path from "path";
import { asConfigString, readProjectFile } from "./project-schema";
import { readYaml } from "./yaml-file";

const ROOT = path.join(__dirname, "..", "..");

/**
 * What the offline preview puts in place of a value it cannot decrypt (`pulumi config set --secret`): a value the
 * program accepts for that key, so the rest of the stack can still be checked.
 */
export const SECRET_STAND_INS: Readonly<Record<string, string>> = { "payments-dr:alarmEmail": "secret-stand-in@example.invalid" };
const GENERIC_STAND_IN = "secret-stand-in";

/** Config keys of the AWS provider that this program's explicit providers treat specially. */
const AWS_REGION = "aws:region";
const AWS_PROFILE = "aws:profile";

export interface StackConfigFile {
    /** What `pulumi up` would hand the program (fully qualified keys, strings). */
    readonly config: Record<string, string>;
    /** Keys whose values are encrypted in the stack file (here replaced by stand-ins). */
    readonly secretKeys: string[];
    /** What the offline preview could not do like the CLI, or settings that have no effect. */
    readonly notes: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Reads `Pulumi.<stack>.yaml` as the CLI would: its values, then the defaults `Pulumi.yaml` declares for keys
 * the stack does not set, and `Pulumi.yaml`'s values for other namespaces. Encrypted values cannot be decrypted
 * offline: each is replaced by a stand-in and named in `notes`, as is an ESC `environment:` block (its values
 * are not available offline) and an `aws:region` that the explicit providers ignore.
 */
export function readStackConfigFile(stack: string, root = ROOT): StackConfigFile {
    const project = readProjectFile(root);
    const fileName = `Pulumi.${stack}.yaml`;
    const stackFile = path.join(root, fileName);
    if (!fs.existsSync(stackFile)) {
        throw new Error(`no stack file ${fileName}; stacks here: ${listStacks(root).join(", ")}`);
    }
    const doc = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown>; environment?: unknown };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const notes: string[] = [];
    for (const [key, value] of Object.entries(project.values)) {
        config[key] = asConfigString(value);
    }
    for (const [key, declaration] of Object.entries(project.declarations)) {
        if (declaration.default !== undefined) {
            config[`${project.name}:${key}`] = asConfigString(declaration.default);
        }
    }
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        if (isObject(value) && typeof value.secure === "string") {
            const standIn = SECRET_STAND_INS[fullKey] ?? GENERIC_STAND_IN;
            config[fullKey] = standIn;
            secretKeys.push(fullKey);
            notes.push(`${fileName}: \`${fullKey}\` is encrypted (secure), which the offline preview cannot decrypt; it stood in "${standIn}" for it`);
        } else {
            config[fullKey] = asConfigString(value);
        }
    }
    if (doc.environment !== undefined) {
        const imports = Array.isArray(doc.environment) ? doc.environment : isObject(doc.environment) ? doc.environment.imports : undefined;
        notes.push(
            `${fileName} imports Pulumi ESC environment${Array.isArray(imports) && imports.length === 1 ? "" : "s"} ` +
                `${Array.isArray(imports) ? imports.join(", ") : JSON.stringify(doc.environment)}, which the offline preview cannot resolve: ` +
                "config they provide is missing here (and reported as missing if required); `pulumi preview` resolves them",
        );
    }
    if (config[AWS_REGION] !== undefined) {
        notes.push(
            `\`${AWS_REGION}\` is ${config[AWS_REGION]} but unused: every resource uses an explicit provider whose region is ` +
                "`payments-dr:primaryRegion` or `payments-dr:secondaryRegion` (plus us-east-1 for Route 53 metrics); remove it",
        );
    }
    if (config[AWS_PROFILE] !== undefined) {
        notes.push(`\`${AWS_PROFILE}\` ${config[AWS_PROFILE]} is passed to every explicit provider (the credentials \`pulumi up\` uses)`);
    }
    return { config, secretKeys, notes };
}

/** The config `pulumi up` would hand the program for `stack` (see readStackConfigFile). */
export function readStackConfig(stack: string, root = ROOT): Record<string, string> {
    return readStackConfigFile(stack, root).config;
}

/** Stack names that have a `Pulumi.<stack>.yaml` beside the project file. */
export function listStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}
