import { expect } from "chai";
import * as path from "path";
import { parseStackSettings, type RawConfig } from "../program/config";
import { CONFIG_KEYS, CONFIG_NAMESPACE } from "../program/config-keys";
import { readProjectFile } from "../scripts/synth/project-schema";
import { readYaml } from "../scripts/synth/yaml-file";
import { requiredConfigKeys } from "./support/required-config";

/**
 * Pulumi.yaml's `template:` section, read by `pulumi new <repository URL>`: it asks for each `config` key with its
 * description and default, and writes the answers to the new stack's file. A key the program requires and the
 * template does not ask for would leave the new project's first `pulumi up` failing on a missing key.
 */
interface TemplatePrompt {
    readonly description?: string;
    readonly default?: unknown;
    readonly secret?: boolean;
}
interface Template {
    readonly displayName?: string;
    readonly description?: string;
    readonly config?: Record<string, TemplatePrompt>;
}

const ROOT = path.join(__dirname, "..");
const projectFile = readYaml(path.join(ROOT, "Pulumi.yaml")) as { name: string; template?: Template };
const template = projectFile.template ?? {};
const prompts = Object.entries(template.config ?? {});
const PREFIX = `${CONFIG_NAMESPACE}:`;

/** What a stack made by `pulumi new` with every default accepted holds, unprefixed. */
function defaultAnswers(): RawConfig {
    return Object.fromEntries(prompts.map(([key, prompt]) => [key.slice(PREFIX.length), String(prompt.default)]));
}

describe("Pulumi.yaml template (pulumi new <repository URL>)", () => {
    it("describes the template, under the project name the program reads its config from", () => {
        expect(projectFile.name).to.equal(CONFIG_NAMESPACE);
        expect(template.displayName).to.equal(CONFIG_NAMESPACE);
        expect(template.description ?? "").to.have.length.greaterThan(30);
    });

    it("asks for every key program/config.ts requires (derived from the program, not listed here)", () => {
        const required = requiredConfigKeys();
        expect(required.length).to.be.greaterThan(0);
        const asked = prompts.map(([key]) => key);
        const missing = required.filter((key) => !asked.includes(`${PREFIX}${key}`));
        expect(missing, `add a prompt under template.config in Pulumi.yaml for ${missing.map((k) => PREFIX + k).join(", ")}`).to.deep.equal([]);
    });

    it("gives every prompt a description and a default, for a key the program knows (agreeing with the schema's default)", () => {
        const declared = readProjectFile(ROOT).declarations;
        for (const [key, prompt] of prompts) {
            expect(key.startsWith(PREFIX), `${key}: qualify the key with ${PREFIX}`).to.equal(true);
            const name = key.slice(PREFIX.length);
            expect(CONFIG_KEYS as readonly string[], key).to.include(name);
            expect(prompt.description ?? "", key).to.have.length.greaterThan(10);
            expect(prompt.default, key).to.be.a("string").and.not.equal("");
            expect(prompt.secret, `${key}: no secret prompts (their defaults would be plain text)`).to.not.equal(true);
            if (declared[name]?.default !== undefined) {
                expect(prompt.default, `${key}: the template's default differs from the config schema's`).to.equal(String(declared[name].default));
            }
        }
    });

    it("its defaults pass the program's config validation as they are", () => {
        const settings = parseStackSettings(defaultAnswers(), CONFIG_NAMESPACE, "dev");
        expect(settings.environment).to.equal("dev");
        expect(settings.domainName).to.equal(defaultAnswers().domainName);
    });

    it("a default the program refuses fails the check above (test of the test)", () => {
        expect(() => parseStackSettings({ ...defaultAnswers(), domainName: "payments.example.com" }, CONFIG_NAMESPACE, "dev")).to.throw(
            /`payments-dr:domainName` is "payments.example.com": is under example.com, which is reserved/,
        );
        const withoutOwner = Object.fromEntries(Object.entries(defaultAnswers()).filter(([key]) => key !== "owner"));
        expect(() => parseStackSettings(withoutOwner, CONFIG_NAMESPACE, "dev")).to.throw(/`payments-dr:owner` is missing/);
    });
});
