import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseStackSettings, RawConfig, StackSettings } from "../program/config";
import { CONFIG_KEYS, CONFIG_NAMESPACE, SECRET_KEYS } from "../program/config-keys";
import { asConfigString, ConfigDeclaration, readProjectFile } from "../scripts/synth/project-schema";
import { requiredConfigKeys } from "./support/required-config";

/**
 * `Pulumi.yaml`'s `config:` schema and program/config.ts describe the same keys. The Pulumi CLI injects a
 * schema default into the program's config when a stack does not set the key, so a schema default that differs
 * from the program's own would silently win: these tests prove they agree.
 */
const ROOT = path.join(__dirname, "..");
const project = readProjectFile(ROOT);
const declared = project.declarations;
const TYPES = ["string", "integer", "boolean"];

/** The values a stack file sets itself, unprefixed (no schema defaults). */
function stackFileValues(stack: string): Record<string, string> {
    const doc = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config)) {
        if (key.startsWith(`${CONFIG_NAMESPACE}:`)) {
            raw[key.slice(CONFIG_NAMESPACE.length + 1)] = asConfigString(value);
        }
    }
    return raw;
}

const MINIMAL: RawConfig = { environment: "dev", domainName: "payments.acme-pay.net", owner: "payments-platform", costCenter: "cc-4711" };
/** Configs whose defaults are compared: minimal stacks of each environment and the committed stack files. */
const BASES: Record<string, RawConfig> = {
    "minimal dev": MINIMAL,
    "minimal staging": { ...MINIMAL, environment: "staging" },
    "minimal prod": { ...MINIMAL, environment: "prod", targetTps: "100" },
    "Pulumi.dev.yaml": stackFileValues("dev"),
    "Pulumi.prod.yaml": stackFileValues("prod"),
};

function parse(raw: RawConfig): StackSettings {
    return parseStackSettings(raw, CONFIG_NAMESPACE, "schema-test");
}

/** Keys whose absence the program reports as missing: the schema must declare them without a default. */
const requiredKeys = requiredConfigKeys;

/** The schema entry to paste for `key`, guessed from the program's own defaults (dev vs prod). */
function suggestedDeclaration(key: string): string {
    const dev = parse(MINIMAL) as unknown as Record<string, unknown>;
    const prod = parse(BASES["minimal prod"]) as unknown as Record<string, unknown>;
    const value = dev[key];
    let type = "string";
    let defaultLine = '    default: ""          # empty = unset; say in the description what the program does then';
    if (requiredKeys().includes(key)) {
        defaultLine = "    # no default: the key is required (Pulumi refuses a stack without it)";
    } else if (value !== undefined && value === prod[key] && (typeof value === "number" || typeof value === "boolean")) {
        type = typeof value === "number" ? "integer" : "boolean";
        defaultLine = `    default: ${value}`;
    } else if (typeof value === "string" && value === prod[key]) {
        defaultLine = `    default: ${JSON.stringify(value)}`;
    }
    return [
        `  ${key}:`,
        `    type: ${type}           # string whenever the default is "" or depends on environment (Pulumi refuses "" as integer/boolean)`,
        "    description: <what it does, its allowed values, and what the default/empty means>",
        defaultLine,
    ].join("\n");
}

describe("Pulumi.yaml config schema", () => {
    it("declares every key program/config.ts reads (CONFIG_KEYS)", () => {
        const missing = CONFIG_KEYS.filter((key) => !(key in declared));
        expect(
            missing,
            `Pulumi.yaml's \`config:\` block does not declare ${missing.join(", ")}. Add ${missing.length === 1 ? "this entry" : "these entries"} ` +
                `under \`config:\` in Pulumi.yaml (unqualified key, same indentation as \`environment:\`), next to related keys:\n\n` +
                missing.map(suggestedDeclaration).join("\n") +
                "\n\nThen run: npm test -- tests/config-schema.test.ts\n",
        ).to.deep.equal([]);
    });

    it("declares no key the program does not read", () => {
        const extra = Object.keys(declared).filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key));
        expect(
            extra,
            `Pulumi.yaml declares ${extra.join(", ")}, which program/config.ts does not know: add ${extra.length === 1 ? "it" : "them"} to ` +
                "CONFIG_KEYS (with parsing, validation and a test in tests/config.test.ts) or remove the declaration.",
        ).to.deep.equal([]);
    });

    it("gives every key a type and a description, and a default exactly when the key is optional", () => {
        const required = requiredKeys();
        expect(required).to.include.members(["environment", "domainName", "owner", "costCenter"]);
        for (const [key, d] of Object.entries(declared) as Array<[string, ConfigDeclaration]>) {
            expect(TYPES, `Pulumi.yaml \`${key}\`: \`type\` must be one of ${TYPES.join(", ")}`).to.include(d.type);
            expect(d.description ?? "", `Pulumi.yaml \`${key}\` needs a \`description\` (pulumi config shows it)`).to.have.length.greaterThan(10);
            if (required.includes(key)) {
                expect(d.default, `\`${key}\` is required by program/config.ts: Pulumi.yaml must not give it a default`).to.equal(undefined);
            } else {
                expect(
                    d.default,
                    `\`${key}\` is optional: give it a \`default\` in Pulumi.yaml (Pulumi refuses a stack that lacks a declared key with no default); ` +
                        `use default: "" and type: string when unset means "computed" or depends on environment`,
                ).to.not.equal(undefined);
            }
            if (d.default === "") {
                expect(d.type, `\`${key}\`: default "" is only valid for type string (Pulumi checks defaults against the type)`).to.equal("string");
            } else if (d.type === "integer") {
                expect(Number.isInteger(d.default), `\`${key}\`: an integer key needs an integer default`).to.equal(true);
            } else if (d.type === "boolean") {
                expect(d.default, `\`${key}\`: a boolean key needs default true or false`).to.be.a("boolean");
            }
        }
    });

    for (const [name, base] of Object.entries(BASES)) {
        it(`every schema default is the program's own default (${name})`, () => {
            const expected = parse(base);
            for (const [key, d] of Object.entries(declared) as Array<[string, ConfigDeclaration]>) {
                if (d.default === undefined || base[key] !== undefined) {
                    continue;
                }
                const withDefault = parse({ ...base, [key]: asConfigString(d.default) });
                expect(
                    withDefault,
                    `Pulumi.yaml gives \`${key}\` default ${JSON.stringify(d.default)}, but program/config.ts defaults it differently ` +
                        `(${name}); the CLI injects the schema default, so it would win: make them agree`,
                ).to.deep.equal(expected);
            }
        });
    }

    it("the committed stack files hold values of the declared types (as pulumi up checks them)", () => {
        for (const stack of ["dev", "prod"]) {
            for (const [key, value] of Object.entries(stackFileValues(stack))) {
                const type = declared[key]?.type;
                if (type === "integer") {
                    expect(value, `Pulumi.${stack}.yaml \`${key}\``).to.match(/^-?\d+$/);
                } else if (type === "boolean") {
                    expect(["true", "false"], `Pulumi.${stack}.yaml \`${key}\``).to.include(value);
                }
            }
        }
    });

    it("tells, for every personal-data key, to set it as a secret (Pulumi cannot require it: see SECRET_KEYS)", () => {
        for (const key of SECRET_KEYS) {
            expect(declared[key]?.description, key).to.include("pulumi config set --secret");
            expect(declared[key]?.secret, `${key}: secret: true would make Pulumi refuse every stack that leaves it unset`).to.not.equal(true);
        }
    });

    it("keeps the project's non-schema settings (the default aws provider stays disabled)", () => {
        expect(project.values["pulumi:disable-default-providers"]).to.deep.equal(["aws"]);
    });
});
