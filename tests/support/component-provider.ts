import * as fs from "fs";
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";

/** The component package's folder (PulumiPlugin.yaml, package.json, the entry point index.ts). */
export const PROVIDER_DIR = path.join(__dirname, "..", "..", "provider");

/** A schema as Pulumi's analyzer generates it (the parts the tests read). */
export interface PropertySpec {
    readonly type?: string;
    readonly $ref?: string;
    readonly items?: PropertySpec;
    readonly additionalProperties?: PropertySpec;
    readonly description?: string;
    readonly plain?: boolean;
}
export interface ResourceSpec {
    readonly description?: string;
    readonly isComponent?: boolean;
    readonly inputProperties: Record<string, PropertySpec>;
    readonly requiredInputs: string[];
    readonly properties: Record<string, PropertySpec>;
    readonly required: string[];
}
export interface TypeSpec {
    readonly type: string;
    readonly enum?: { readonly name: string; readonly value: string; readonly description?: string }[];
    readonly properties?: Record<string, PropertySpec>;
    readonly required?: string[];
}
export interface PackageSchema {
    readonly name: string;
    readonly resources: Record<string, ResourceSpec>;
    readonly types: Record<string, TypeSpec>;
}

let loaded: Promise<{ provider: ComponentProvider; schema: PackageSchema }> | undefined;

/**
 * The component provider exactly as Pulumi's Node.js plugin runner builds it (@pulumi/pulumi cmd/run-plugin/run.js):
 * require the plugin folder, take the ComponentResource classes it exports, name the provider after package.json's
 * `name`, then ask it for its schema (the analyzer reads the folder's TypeScript). Once per test process: the
 * analyzer type-checks the components (several seconds).
 */
export function componentProvider(): Promise<{ provider: ComponentProvider; schema: PackageSchema }> {
    loaded ??= (async () => {
        const entry = require(PROVIDER_DIR);
        const name = JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "package.json"), "utf8")).name as string;
        const provider = new ComponentProvider({ name, dirname: PROVIDER_DIR, components: getPulumiComponents(entry) });
        const schema = JSON.parse(await provider.getSchema()) as PackageSchema;
        return { provider, schema };
    })();
    return loaded;
}
