import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ESLint } from "eslint";

// The module boundaries `npm run lint` enforces (eslint.config.mjs, eslint.boundaries.mjs): each rule reports a
// seeded forbidden import, and the tree as it is has none. Type information is not needed for import rules: the
// parser runs without the TypeScript project, so seeded files need not be in tsconfig.json.
const ROOT = path.join(__dirname, "..");
const BOUNDARY_RULES = ["import-x/no-restricted-paths", "import-x/no-cycle", "no-restricted-imports"];

function boundaryLinter(): ESLint {
    return new ESLint({
        cwd: ROOT,
        overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
        ruleFilter: ({ ruleId }) => BOUNDARY_RULES.includes(ruleId),
    });
}

/** Rule and message of every problem in `text`, linted as if it were the file `file`. */
async function problems(eslint: ESLint, file: string, text: string): Promise<string[]> {
    const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
    return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe("import boundaries (ESLint)", function () {
    this.timeout(600_000);
    const eslint = boundaryLinter();

    const FORBIDDEN: readonly { rule: string; file: string; text: string; says: RegExp }[] = [
        {
            rule: "product code imports tests/",
            file: "components/seeded-boundary.ts",
            text: 'import { stack } from "../tests/support/stacks";\nexport const s = stack;\n',
            says: /import-x\/no-restricted-paths: .*product code never imports tests\//,
        },
        {
            rule: "a DR script imports tests/",
            file: "scripts/dr/seeded-boundary.ts",
            text: 'import { stack } from "../../tests/support/stacks";\nexport const s = stack;\n',
            says: /import-x\/no-restricted-paths: .*product code never imports tests\//,
        },
        {
            rule: "policy/ imports outside policy/",
            file: "policy/rules/seeded-boundary.ts",
            text: 'import { names } from "../../components/shared/naming";\nexport const n = names;\n',
            says: /import-x\/no-restricted-paths: .*policy\/ is published alone/,
        },
        {
            rule: "a component imports policy/",
            file: "components/regional/seeded-boundary.ts",
            text: 'import { ALL_RULES } from "../../policy/rules";\nexport const r = ALL_RULES;\n',
            says: /import-x\/no-restricted-paths: .*product code never imports policy\//,
        },
        {
            rule: "a component imports the program's assembly",
            file: "components/safety-net/seeded-boundary.ts",
            text: 'import { parseStackSettings } from "../../program/config";\nexport const p = parseStackSettings;\n',
            says: /import-x\/no-restricted-paths: .*library components never import the program's assembly/,
        },
        {
            rule: "a core component imports an optional part",
            file: "components/global/seeded-boundary.ts",
            text: 'import { GameDays } from "../resilience/game-days";\nexport const g = GameDays;\n',
            says: /import-x\/no-restricted-paths: .*core components never import optional parts/,
        },
        {
            rule: "a shared building block imports a domain",
            file: "components/shared/seeded-boundary.ts",
            text: 'import { RegionalStack } from "../regional/regional-stack";\nexport const r = RegionalStack;\n',
            says: /import-x\/no-restricted-paths: .*shared building blocks import no domain folder/,
        },
        {
            rule: "a component imports Lambda code",
            file: "components/ledger/seeded-boundary.ts",
            text: 'import { MIGRATIONS } from "../../functions/ledger-projector/schema";\nexport const m = MIGRATIONS;\n',
            says: /import-x\/no-restricted-paths: .*components never import Lambda code/,
        },
        {
            rule: "Lambda code imports a component",
            file: "functions/health/seeded-boundary.ts",
            text: 'import { names } from "../../components/shared/naming";\nexport const n = names;\n',
            says: /import-x\/no-restricted-paths: .*Lambda code imports only contracts/,
        },
        {
            rule: "Lambda code imports Pulumi",
            file: "functions/health/seeded-boundary.ts",
            text: 'import * as pulumi from "@pulumi/pulumi";\nexport const p = pulumi;\n',
            says: /no-restricted-imports: .*Lambda code never imports Pulumi/,
        },
    ];

    for (const seeded of FORBIDDEN) {
        it(`reports a seeded forbidden import: ${seeded.rule}`, async () => {
            const found = await problems(eslint, seeded.file, seeded.text);
            expect(found).to.have.length(1);
            expect(found[0]).to.match(seeded.says);
        });
    }

    it("allows what the boundaries allow: the benchmarks use the tests' servers, the offline preview runs the policy pack", async () => {
        expect(
            await problems(eslint, "scripts/bench-seeded.ts", 'import { LocalAws } from "../tests/handler/support/local-aws";\nexport const l = LocalAws;\n'),
        ).to.deep.equal([]);
        expect(
            await problems(eslint, "scripts/preview/seeded.ts", 'import { ALL_RULES } from "../../policy/rules";\nexport const r = ALL_RULES;\n'),
        ).to.deep.equal([]);
        expect(await problems(eslint, "tests/seeded.test.ts", 'import { ALL_RULES } from "../policy/rules";\nexport const r = ALL_RULES;\n')).to.deep.equal([]);
        // The library's entry re-exports the program's config parsing; Lambda code imports the contracts.
        expect(
            await problems(eslint, "components/seeded.ts", 'import { parseStackSettings } from "../program/config";\nexport const p = parseStackSettings;\n'),
        ).to.deep.equal([]);
        expect(
            await problems(
                eslint,
                "functions/health/seeded.ts",
                'import { TAKEOVER_PERIOD_SECONDS } from "../../contracts/takeover-signal";\nexport const t = TAKEOVER_PERIOD_SECONDS;\n',
            ),
        ).to.deep.equal([]);
    });

    it("reports a seeded import cycle", async () => {
        const dir = fs.mkdtempSync(path.join(ROOT, "components", "seeded-cycle-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = () => b;\n');
            fs.writeFileSync(path.join(dir, "b.ts"), 'import { a } from "./a";\nexport const b = () => a;\n');
            const results = await eslint.lintFiles([path.join(dir, "*.ts")]);
            const found = results.flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)} ${m.ruleId}: ${m.message}`));
            expect(found).to.have.members(["a.ts import-x/no-cycle: Dependency cycle detected", "b.ts import-x/no-cycle: Dependency cycle detected"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the tree as it is crosses no boundary and has no import cycle", async () => {
        const results = await eslint.lintFiles(["."]);
        const found = results.flatMap((r) => r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`));
        expect(results.length).to.be.greaterThan(300);
        expect(found).to.deep.equal([]);
    });

    it("npm run lint applies these rules to every TypeScript file", async () => {
        const config = await new ESLint({ cwd: ROOT }).calculateConfigForFile(path.join(ROOT, "functions/health/index.ts"));
        for (const rule of BOUNDARY_RULES) {
            expect([config.rules[rule]].flat()[0], rule).to.be.oneOf([2, "error"]);
        }
    });
});
