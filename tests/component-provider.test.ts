import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import * as yaml from "js-yaml";
import { PACKAGE_NAME, typeToken } from "../provider/arg-checks";
import { synthesize, Synthesis } from "../scripts/synth/synthesize";
import { componentProvider, PackageSchema, PROVIDER_DIR, PropertySpec } from "./support/component-provider";
import { REGIONS } from "./support/provider-construct-program";

const ROOT = path.join(__dirname, "..");
const COMPONENTS = ["RegionalStack", "GlobalLayer", "RegionalDomain"] as const;
type Component = (typeof COMPONENTS)[number];

/**
 * How each provider-facing component's args and outputs differ from the TypeScript component's (components/index.ts):
 * what the schema cannot carry (resources, records of components) is replaced by what a generated SDK can pass.
 * Every other arg and output must be there, under the same name, required exactly when the TypeScript one is.
 */
const ARG_CHANGES: Record<Component, { readonly dropped: readonly string[]; readonly added: readonly string[] }> = {
    RegionalStack: { dropped: [], added: [] },
    // `stacks` (RegionalStack objects) becomes each stack's wiring and probe path; `providers` becomes the regions
    // (the layer makes its own providers); `tableDependsOn` (resources) has no schema form.
    GlobalLayer: {
        dropped: ["stacks", "providers", "tableDependsOn"],
        added: ["primary", "secondary", "primaryRegion", "secondaryRegion", "healthProbePaths"],
    },
    RegionalDomain: { dropped: [], added: [] },
};
const OUTPUT_CHANGES: Record<Component, { readonly renamed: Readonly<Record<string, string>>; readonly added: readonly string[] }> = {
    // Resources and in-process objects become their names or ids.
    RegionalStack: { renamed: { bucketVersioning: "bucketVersioningId", stage: "stageName", logGroups: "logGroupNames" }, added: ["wiring"] },
    GlobalLayer: { renamed: {}, added: [] },
    RegionalDomain: { renamed: {}, added: [] },
};

interface Member {
    readonly name: string;
    readonly optional: boolean;
}

/** The TypeScript components' args and public outputs, read with the compiler from the library's entry. */
function typeScriptSurface(): Record<Component, { args: Member[]; outputs: Member[] }> {
    const entry = path.join(ROOT, "components", "index.ts");
    const program = ts.createProgram([entry], {
        strict: true,
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        skipLibCheck: true,
        types: ["node"],
    });
    const checker = program.getTypeChecker();
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
    const exported = (name: string) => {
        const symbol = exports.find((s) => s.name === name)!;
        return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    };
    const members = (symbols: readonly ts.Symbol[]): Member[] => symbols.map((s) => ({ name: s.name, optional: (s.flags & ts.SymbolFlags.Optional) !== 0 }));
    const surface = {} as Record<Component, { args: Member[]; outputs: Member[] }>;
    for (const component of COMPONENTS) {
        const args = checker.getDeclaredTypeOfSymbol(exported(`${component}Args`)).getProperties();
        const cls = exported(component);
        // Public fields declared by the class itself (not ComponentResource's `urn` and friends, not methods).
        const outputs = checker
            .getDeclaredTypeOfSymbol(cls)
            .getProperties()
            .filter((p) => p.valueDeclaration && ts.isPropertyDeclaration(p.valueDeclaration) && p.valueDeclaration.parent.name?.getText() === component)
            .filter((p) => !(ts.getCombinedModifierFlags(p.valueDeclaration as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)));
        surface[component] = { args: members(args), outputs: members(outputs) };
    }
    return surface;
}

/** Every problem of one property: untyped, undocumented, or an array/map whose items are untyped. */
function propertyProblems(where: string, p: PropertySpec, needsDoc = true): string[] {
    const problems: string[] = [];
    if (needsDoc && !p.description?.trim()) {
        problems.push(`${where}: no description`);
    }
    if (!p.type && !p.$ref) {
        problems.push(`${where}: no type`);
    }
    if (p.type === "array") {
        problems.push(...(p.items ? propertyProblems(`${where}[]`, p.items, false) : [`${where}: array without item type`]));
    }
    if (p.type === "object") {
        problems.push(...(p.additionalProperties ? propertyProblems(`${where}{}`, p.additionalProperties, false) : [`${where}: map without value type`]));
    }
    return problems;
}

/** Every problem of a schema: what the SDKs of other languages would get wrong or leave unexplained. */
export function schemaProblems(schema: PackageSchema): string[] {
    const problems: string[] = [];
    for (const [token, resource] of Object.entries(schema.resources)) {
        if (!resource.description?.trim()) {
            problems.push(`${token}: no description`);
        }
        for (const [name, p] of Object.entries(resource.inputProperties)) {
            problems.push(...propertyProblems(`${token} input ${name}`, p));
        }
        for (const [name, p] of Object.entries(resource.properties)) {
            problems.push(...propertyProblems(`${token} output ${name}`, p));
        }
    }
    for (const [token, type] of Object.entries(schema.types)) {
        for (const member of type.enum ?? []) {
            if (!member.description?.trim()) {
                problems.push(`${token} member ${member.name}: no description`);
            }
        }
        for (const [name, p] of Object.entries(type.properties ?? {})) {
            problems.push(...propertyProblems(`${token}.${name}`, p));
        }
    }
    // Every reference resolves to a type of this schema (no other package: the components are self-contained).
    const refs = JSON.stringify(schema).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs.map((r) => r.slice(8, -1)))) {
        if (!schema.types[ref.replace("#/types/", "")]) {
            problems.push(`reference ${ref} resolves to no type of the schema`);
        }
    }
    return problems;
}

/** A schema name as the Python SDK spells it (`healthProbePaths` → `health_probe_paths`). */
const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/** The text between the parenthesis at `open` and its match. */
function callBody(source: string, open: number): string {
    let depth = 0;
    for (let i = open; i < source.length; i++) {
        depth += source[i] === "(" ? 1 : source[i] === ")" ? -1 : 0;
        if (depth === 0) {
            return source.slice(open + 1, i);
        }
    }
    throw new Error(`unbalanced parenthesis at ${open}`);
}

/** Keyword arguments at the top level of a call's body (`name=`, not `name==`, not inside a nested call). */
function keywordArgs(body: string): string[] {
    const names: string[] = [];
    let depth = 0;
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        depth += "([{".includes(c) ? 1 : ")]}".includes(c) ? -1 : 0;
        const m = depth === 0 ? /^[\s,(]([a-z_][a-z0-9_]*)=(?!=)/.exec(body.slice(i)) : null;
        if (m && (i === 0 || c === "," || /\s/.test(c))) {
            names.push(m[1]);
        }
    }
    return [...new Set(names)];
}

/**
 * Every name examples/python/__main__.py uses from the package that the schema does not define, in the Python SDK's
 * spelling: component args (`payments_dr.RegionalStack(..., env_label=...)`), type args (`payments_dr.ThrottleArgs`),
 * enum members (`payments_dr.ApiAuthMode.JWT`) and the outputs read from the stacks and the layer.
 */
export function pythonNameProblems(source: string, schema: PackageSchema): string[] {
    const problems: string[] = [];
    const prefix = `${schema.name}:index:`;
    const inputsOf = (name: string): string[] | undefined => {
        const resource = schema.resources[prefix + name];
        if (resource) {
            return [...Object.keys(resource.inputProperties), "opts"];
        }
        const type = name.endsWith("Args") ? schema.types[prefix + name.slice(0, -4)] : undefined;
        return type?.properties ? Object.keys(type.properties) : undefined;
    };
    for (const call of source.matchAll(/payments_dr\.(\w+)\(/g)) {
        const name = call[1];
        if (schema.types[prefix + name]?.enum) {
            continue;
        }
        const allowed = inputsOf(name);
        if (!allowed) {
            problems.push(`payments_dr.${name}: no such component or type`);
            continue;
        }
        for (const kw of keywordArgs(callBody(source, call.index + call[0].length - 1))) {
            if (!allowed.map((a) => (a === "opts" ? a : snake(a))).includes(kw)) {
                problems.push(`payments_dr.${name}(${kw}=...): no such input`);
            }
        }
    }
    for (const ref of source.matchAll(/payments_dr\.(\w+)\.([A-Z][A-Z0-9_]*)\b/g)) {
        const members = schema.types[prefix + ref[1]]?.enum?.map((m) => snake(m.name).toUpperCase());
        if (!members?.includes(ref[2])) {
            problems.push(`payments_dr.${ref[1]}.${ref[2]}: no such enum member`);
        }
    }
    const outputs = (component: string) => Object.keys(schema.resources[prefix + component].properties).map(snake);
    for (const [pattern, component] of [
        [/stacks\[[^\]]+\]\.(\w+)/g, "RegionalStack"],
        [/global_layer\.(\w+)/g, "GlobalLayer"],
    ] as const) {
        for (const use of source.matchAll(pattern)) {
            if (!outputs(component).includes(use[1])) {
                problems.push(`${component}.${use[1]}: no such output`);
            }
        }
    }
    return problems;
}

describe("components for every Pulumi language (provider/, the component package)", function () {
    // The analyzer type-checks the provider folder and everything it imports.
    this.timeout(180_000);
    let schema: PackageSchema;
    before(async () => {
        schema = (await componentProvider()).schema;
    });

    it("is a Node.js component package named payments-dr, with a type token per component in that package", () => {
        expect(yaml.load(fs.readFileSync(path.join(PROVIDER_DIR, "PulumiPlugin.yaml"), "utf8"))).to.deep.equal({ runtime: "nodejs" });
        const pkg = JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "package.json"), "utf8"));
        expect(pkg.name).to.equal(PACKAGE_NAME);
        expect(pkg.main).to.equal("index.ts");
        // The schema's version (what `pulumi package add` records) is the release's.
        expect(pkg.version).to.equal(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
        expect(schema.name).to.equal(PACKAGE_NAME);
        expect(Object.keys(schema.resources).sort()).to.deep.equal(COMPONENTS.map(typeToken).sort());
        for (const component of COMPONENTS) {
            expect(schema.resources[typeToken(component)].isComponent, component).to.equal(true);
        }
    });

    it("types and documents every arg, output, type property and enum member (what every SDK's docs are made of)", () => {
        expect(schemaProblems(schema)).to.deep.equal([]);
    });

    it("the check finds an undocumented arg, an untyped output, an untyped list and a dangling reference (test of the check)", () => {
        const token = typeToken("RegionalStack");
        const broken = JSON.parse(JSON.stringify(schema)) as { resources: Record<string, any>; types: Record<string, any> };
        delete broken.resources[token].inputProperties.region.description;
        delete broken.resources[token].properties.keyArn.type;
        broken.resources[token].properties.alarmNames.items = {};
        delete broken.types[`${PACKAGE_NAME}:index:Throttle`];
        expect(schemaProblems(broken as unknown as PackageSchema)).to.deep.equal([
            `${token} input region: no description`,
            `${token} output keyArn: no type`,
            `${token} output alarmNames[]: no type`,
            `reference #/types/${PACKAGE_NAME}:index:Throttle resolves to no type of the schema`,
        ]);
    });

    describe("has every arg and output of the TypeScript components", () => {
        let surface: ReturnType<typeof typeScriptSurface>;
        before(() => {
            surface = typeScriptSurface();
        });

        for (const component of COMPONENTS) {
            it(`${component}: each TypeScript arg under its name, required exactly when it is there`, () => {
                const resource = schema.resources[typeToken(component)];
                const { dropped, added } = ARG_CHANGES[component];
                const kept = surface[component].args.filter((a) => !dropped.includes(a.name));
                expect(Object.keys(resource.inputProperties).sort()).to.deep.equal([...kept.map((a) => a.name), ...added].sort());
                const requiredAdded = added.filter((a) => resource.requiredInputs.includes(a));
                expect([...resource.requiredInputs].sort()).to.deep.equal([...kept.filter((a) => !a.optional).map((a) => a.name), ...requiredAdded].sort());
                // What replaces a required arg is required.
                expect(requiredAdded).to.deep.equal(added);
            });

            it(`${component}: each TypeScript output under its name (or the named replacement), optional exactly when it is there`, () => {
                const resource = schema.resources[typeToken(component)];
                const { renamed, added } = OUTPUT_CHANGES[component];
                const outputs = surface[component].outputs.map((o) => ({ ...o, name: renamed[o.name] ?? o.name }));
                expect(Object.keys(resource.properties).sort()).to.deep.equal([...outputs.map((o) => o.name), ...added].sort());
                expect([...resource.required].sort()).to.deep.equal([...outputs.filter((o) => !o.optional).map((o) => o.name), ...added].sort());
            });
        }
    });

    describe("constructs each component through the provider's construct, as the engine does (mocked runtime)", () => {
        const program = path.join(__dirname, "support", "provider-construct-program.ts");
        let s: Synthesis;
        let built: { urns: Record<string, string>; states: Record<string, Record<string, unknown>> };
        before(async () => {
            await componentProvider();
            s = await synthesize("provider", {}, "consumer", { program });
            built = s.outputs.constructed as typeof built;
        });
        /** Every resource registered under `urn`, at any depth. */
        const under = (urn: string) => {
            const found = new Set([urn]);
            for (let grew = true; grew;) {
                grew = false;
                for (const r of s.resources) {
                    if (r.parentUrn && found.has(r.parentUrn) && !found.has(r.urn)) {
                        found.add(r.urn);
                        grew = true;
                    }
                }
            }
            return s.resources.filter((r) => r.urn !== urn && found.has(r.urn));
        };
        const consumerProvider = (role: string) => s.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === `consumer-${role}`)!;

        it("registers each component under its package's type token", () => {
            expect(built.urns.primary).to.match(new RegExp(`::${typeToken("RegionalStack")}::primary$`));
            expect(built.urns.global).to.match(new RegExp(`::${typeToken("GlobalLayer")}::global$`));
            expect(built.urns.domain).to.match(new RegExp(`::${typeToken("RegionalDomain")}::primary-domain$`));
        });

        for (const [role, region] of Object.entries(REGIONS)) {
            it(`RegionalStack ${role}: the processor and the API exist in ${region}, on the caller's provider`, () => {
                const children = under(built.urns[role]);
                const processor = children.filter((r) => r.type === "aws:lambda/function:Function" && r.name === `${role}-processor`);
                const api = children.filter((r) => r.type === "aws:apigatewayv2/api:Api" && r.name === `${role}-api`);
                expect(processor).to.have.length(1);
                expect(api).to.have.length(1);
                const provider = consumerProvider(role);
                for (const r of [...processor, ...api]) {
                    expect(r.region, r.name).to.equal(region);
                    expect(r.providerUrn, r.name).to.equal(provider.urn);
                }
                // Every AWS resource of the stack is in its region.
                const regions = new Set(children.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => r.region));
                expect([...regions]).to.deep.equal([region]);
            });
        }

        it("every schema output of every component is in its construct state", async () => {
            const { schema } = await componentProvider();
            const states = { RegionalStack: built.states.primary, GlobalLayer: built.states.global, RegionalDomain: built.states.domain };
            for (const component of COMPONENTS) {
                const resource = schema.resources[typeToken(component)];
                expect(Object.keys(states[component]).sort(), component).to.deep.equal(Object.keys(resource.properties).sort());
                for (const name of resource.required) {
                    expect(states[component][name], `${component}.${name}`).to.not.equal(undefined);
                }
            }
            expect(built.states.primary.region).to.equal(REGIONS.primary);
            expect(built.states.secondary.role).to.equal("secondary");
        });

        it("GlobalLayer: the table's replica and the replication come from the stacks' wiring, in providers of its own", () => {
            const children = under(built.urns.global);
            const table = children.filter((r) => r.type === "aws:dynamodb/table:Table");
            expect(table).to.have.length(1);
            expect(table[0].region).to.equal(REGIONS.primary);
            const primary = built.states.primary as Record<string, string>;
            const secondary = built.states.secondary as Record<string, string>;
            expect(table[0].inputs.serverSideEncryption.kmsKeyArn).to.equal(primary.keyArn);
            expect(table[0].inputs.replicas.map((r: { regionName: string; kmsKeyArn: string }) => [r.regionName, r.kmsKeyArn])).to.deep.equal([
                [REGIONS.secondary, secondary.keyArn],
            ]);
            const replication = children.filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
            expect(replication.map((r) => [r.region, r.inputs.bucket])).to.deep.include([REGIONS.primary, primary.bucketName]);
            // Its own providers: one per region; the primary is us-east-1, so no third one for Route 53's metrics.
            const own = s.resources.filter((r) => r.type === "pulumi:providers:aws" && r.parentUrn === built.urns.global);
            expect(own.map((p) => [p.name, p.inputs.region]).sort()).to.deep.equal([
                ["global-primary", REGIONS.primary],
                ["global-secondary", REGIONS.secondary],
            ]);
            // dns-only: the failover name says so (the TypeScript component's naming).
            expect((built.states.global as { failoverFqdn: string }).failoverFqdn).to.equal("api-dns-only.payments.example.com");
        });

        it("RegionalDomain: certificate and custom domains in the API's region, on the caller's provider", () => {
            const children = under(built.urns.domain);
            const certificate = children.filter((r) => r.type === "aws:acm/certificate:Certificate");
            const domains = children.filter((r) => r.type === "aws:apigatewayv2/domainName:DomainName");
            expect(certificate).to.have.length(1);
            expect(domains.map((d) => d.inputs.domainName).sort()).to.deep.equal(["api.payments.example.com", "primary.api.payments.example.com"]);
            for (const r of [...certificate, ...domains]) {
                expect(r.region).to.equal(REGIONS.primary);
                expect(r.providerUrn).to.equal(consumerProvider("primary").urn);
            }
        });
    });

    it("fails the deployment when the caller's aws provider deploys to another region than `region` (the options reach the component inside)", async () => {
        await componentProvider();
        const program = path.join(__dirname, "support", "provider-construct-wrong-region.ts");
        const failure = await synthesize("provider-wrong-region", {}, "consumer", { program }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(failure?.message).to.equal(
            'RegionalStack "primary": `region` is us-east-1 but its aws provider deploys to us-west-2; pass the provider of us-east-1',
        );
    });

    it("refuses bad args through construct before anything registers: one line per problem (key, value, what is allowed)", async () => {
        const { provider } = await componentProvider();
        const inputs = {
            role: "tertiary",
            region: "us-east-1",
            environment: "production",
            envLabel: "dev",
            nameSuffix: "abc123",
            tableName: "t",
            apiAuth: { mode: "jwt", issuer: "http://issuer.example.com", audiences: [] },
            processorSecurity: { transactionIdKey: "k" },
            consistencyMode: "eventual",
            throttle: { rateLimit: 100, burstLimit: 200 },
        };
        const failure = await provider.construct("bad", typeToken("RegionalStack"), inputs, {}).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(failure?.message).to.equal(
            [
                'RegionalStack "bad": invalid args (5):',
                '  - `role` is "tertiary": must be one of primary, secondary',
                '  - `environment` is "production": must be one of dev, staging, prod',
                '  - `apiAuth.issuer` is "http://issuer.example.com": jwt mode needs the token issuer\'s https URL',
                "  - `apiAuth.audiences` is empty: jwt mode needs at least one accepted audience",
                "  - `apiAuth.tenantClaim` is missing: jwt mode needs the claim that names the merchant",
            ].join("\n"),
        );
        const layer = await provider
            .construct(
                "bad",
                typeToken("GlobalLayer"),
                {
                    environment: "dev",
                    consistency: { mode: "strong" },
                    domainMode: "https",
                    primaryRegion: "us-east-1",
                    secondaryRegion: "us-east-1",
                    healthProbePaths: {},
                },
                {},
            )
            .then(
                () => undefined,
                (e: Error) => e,
            );
        expect(layer?.message).to.equal(
            [
                'GlobalLayer "bad": invalid args (2):',
                '  - `domainMode` is "https": must be one of custom-domain, dns-only',
                "  - `consistency.witnessRegion` is missing: strong mode needs a witness region",
            ].join("\n"),
        );
    });

    describe("examples/python (not run here: no Python Pulumi SDK or CLI is installable offline)", () => {
        const source = fs.readFileSync(path.join(ROOT, "examples", "python", "__main__.py"), "utf8");

        it("uses only names the schema defines, spelled as the generated Python SDK spells them", () => {
            expect(pythonNameProblems(source, schema)).to.deep.equal([]);
            // It does use the package: both regions, the layer, the wiring.
            expect(source).to.match(/payments_dr\.RegionalStack\(/);
            expect(source).to.match(/payments_dr\.GlobalLayer\(/);
            expect(source).to.contain('primary=stacks["primary"].wiring');
        });

        it("the check finds a misspelled arg, a missing type, an unknown enum member and an unknown output (test of the check)", () => {
            const broken = source
                .replace("env_label=environment,", "envlabel=environment,")
                .replace("payments_dr.ThrottleArgs(", "payments_dr.ThrottlingArgs(")
                .replace("payments_dr.DomainMode.DNS_ONLY", "payments_dr.DomainMode.DNSONLY")
                .replace("global_layer.table_arn", "global_layer.table_arns");
            expect(pythonNameProblems(broken, schema)).to.deep.equal([
                "payments_dr.RegionalStack(envlabel=...): no such input",
                "payments_dr.ThrottlingArgs: no such component or type",
                "payments_dr.DomainMode.DNSONLY: no such enum member",
                "GlobalLayer.table_arns: no such output",
            ]);
        });

        it("declares its project and dependencies (Python runtime, the Pulumi SDKs, the generated package SDK)", () => {
            const project = yaml.load(fs.readFileSync(path.join(ROOT, "examples", "python", "Pulumi.yaml"), "utf8")) as { runtime: { name: string } };
            expect(project.runtime.name).to.equal("python");
            const requirements = fs.readFileSync(path.join(ROOT, "examples", "python", "requirements.txt"), "utf8");
            expect(requirements).to.match(/^pulumi>=3/m);
            expect(requirements).to.match(/^pulumi-aws>=7/m);
            expect(requirements).to.match(/^\.\/sdks\/payments-dr$/m);
            expect(source).to.contain("import pulumi_payments_dr as payments_dr");
        });
    });
});
