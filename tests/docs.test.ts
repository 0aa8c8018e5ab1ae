import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { COMPONENT_REFERENCE } from "../scripts/component-reference";
import { CONFIG_REFERENCE, SEE_ALSO, configReference } from "../scripts/docs/config-reference";
import { type GeneratedSection, withSection } from "../scripts/docs/generated-section";
import { readProjectFile } from "../scripts/synth/project-schema";
import { anchorsOf, brokenLinks, documentationFiles, githubSlug, linksOf, missingRepoPaths } from "./support/markdown-links";

const ROOT = path.join(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The pages partly written by a generator (`npm run docs`). */
const GENERATED: readonly (GeneratedSection & { readonly command: string })[] = [
    { ...COMPONENT_REFERENCE, command: "npm run docs:components" },
    { ...CONFIG_REFERENCE, command: "npm run docs:config" },
];

describe("docs", () => {
    it("keeps the README to a few screens: at most 250 lines", () => {
        const lines = read("README.md").replace(/\n$/, "").split("\n").length;
        expect(lines, "README.md: move the detail into docs/ and link it").to.be.at.most(250);
    });

    for (const section of GENERATED) {
        it(`${section.page}: the generated section is what \`${section.command}\` writes`, () => {
            const page = read(section.page);
            expect(page, `${section.page} is stale: run \`${section.command}\``).to.equal(withSection(page, section));
        });
    }

    it("every relative link in README.md and docs/**/*.md names a file that exists, and a heading of it when it has an #anchor", () => {
        const files = documentationFiles(ROOT);
        expect(files.length).to.be.greaterThan(10);
        expect(files.flatMap((f) => brokenLinks(ROOT, f))).to.deep.equal([]);
    });

    it("every repository path the README and docs name in code font exists", () => {
        expect(documentationFiles(ROOT).flatMap((f) => missingRepoPaths(ROOT, f))).to.deep.equal([]);
    });

    it("the README links every docs page, and the runbook for whoever is on call", () => {
        const linked = new Set(linksOf(read("README.md")).map((l) => l.target.split("#")[0]));
        for (const page of documentationFiles(ROOT).filter((f) => f !== "README.md")) {
            expect(linked, `README.md does not link ${page}`).to.include(page);
        }
        expect(read("README.md")).to.match(/^## On call\? → \[docs\/runbook\.md\]\(docs\/runbook\.md\)$/m);
    });

    it("the README's front page shows the three ways in, each with its command, and names the tarball npm pack writes", () => {
        const readme = read("README.md");
        const ways = readme.slice(readme.indexOf("## Three ways in"), readme.indexOf("## Prerequisites"));
        expect(ways).to.contain("npm run preview:offline -- --stack dev");
        expect(ways).to.contain('from "payments-dr"');
        expect(ways).to.contain("pulumi package add <clone>/provider");
        const { name, version } = JSON.parse(read("package.json")) as { name: string; version: string };
        for (const tarball of readme.match(/payments-dr-\d+\.\d+\.\d+\.tgz/g) ?? []) {
            expect(tarball, "README.md names an older tarball than package.json's version").to.equal(`${name}-${version}.tgz`);
        }
        expect(readme).to.contain(`${name}-${version}.tgz`);
    });

    it("the configuration page lists every key of Pulumi.yaml, and links only keys that exist", () => {
        const keys = Object.keys(readProjectFile(ROOT).declarations);
        const table = configReference();
        for (const key of keys) {
            expect(table, key).to.include(`| \`${key}\` |`);
        }
        expect(keys).to.include.members(Object.keys(SEE_ALSO));
    });
});

describe("docs checks (tests of the tests)", () => {
    let dir: string;
    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
    };

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-check-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("slugs headings as GitHub does", () => {
        expect(githubSlug("Capacity: 10,000 TPS")).to.equal("capacity-10000-tps");
        expect(githubSlug("Game days (optional, `gameDays`)")).to.equal("game-days-optional-gamedays");
        expect(githubSlug("First `pulumi up`: how long and why")).to.equal("first-pulumi-up-how-long-and-why");
        expect(githubSlug("CI/CD")).to.equal("cicd");
        expect(githubSlug("On call? → [docs/runbook.md](docs/runbook.md)")).to.equal("on-call--docsrunbookmd");
        expect([...anchorsOf("# A\n\n## Notes\n\n```bash\n# not a heading\n```\n\n## Notes\n")]).to.deep.equal(["a", "notes", "notes-1"]);
    });

    it("reports a missing file, a missing anchor and an anchor into a non-Markdown file; ignores code and external links", () => {
        write("docs/a.md", "# A\n\n## Here\n\n[ok](b.md#there) [self](#here) [web](https://example.org/x#y) `[code](nowhere.md)`\n");
        write("docs/b.md", "# B\n\n## There\n\n```md\n[fenced](gone.md)\n```\n");
        write("docs/c.md", "[gone](gone.md) [bad anchor](a.md#nowhere) [self](#nowhere) [up](../README.md) [ts](../x.ts#L1)\n");
        write("x.ts", "");
        expect(brokenLinks(dir, "docs/a.md")).to.deep.equal([]);
        expect(brokenLinks(dir, "docs/b.md")).to.deep.equal([]);
        expect(brokenLinks(dir, "docs/c.md")).to.deep.equal([
            "docs/c.md:1: gone.md: no such file docs/gone.md",
            "docs/c.md:1: a.md#nowhere: docs/a.md has no heading with the anchor #nowhere",
            "docs/c.md:1: #nowhere: docs/c.md has no heading with the anchor #nowhere",
            "docs/c.md:1: ../README.md: no such file README.md",
            "docs/c.md:1: ../x.ts#L1: an anchor into x.ts, which is not a Markdown page",
        ]);
    });

    it("reports a repository path in code font that does not exist, not globs or placeholders", () => {
        write("components/real.ts", "");
        write("tests/x.test.ts", "");
        write("README.md", "`components/real.ts` `components/moved.ts` `components/ledger*.ts` `scripts/<name>.ts` `tests/` `index.ts`\n");
        expect(missingRepoPaths(dir, "README.md")).to.deep.equal(["README.md:1: `components/moved.ts` does not exist"]);
    });

    it("finds a stale generated section, and a page without its markers", () => {
        const section: GeneratedSection = { page: "p.md", start: "<!-- s -->", end: "<!-- e -->", generate: () => "fresh" };
        const current = "intro\n<!-- s -->\nfresh\n<!-- e -->\nafter\n";
        expect(withSection(current, section)).to.equal(current);
        expect(withSection("intro\n<!-- s -->\nstale\n<!-- e -->\nafter\n", section)).to.equal(current);
        expect(() => withSection("no markers", section)).to.throw("p.md has no <!-- s --> … <!-- e --> section");
    });
});
