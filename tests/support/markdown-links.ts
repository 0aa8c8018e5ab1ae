/**
 * Relative links in Markdown, checked the way GitHub renders them: a link names a file that exists, and its
 * `#anchor`, when given, one of the target's headings (GitHub's slugs: lower case, punctuation dropped, spaces
 * to hyphens, `-1`, `-2` … for repeated headings). Text in fenced code blocks and code spans is not Markdown.
 */
import * as fs from "fs";
import * as path from "path";

/** Each line outside fenced code blocks, with its 1-based number. */
function proseLines(markdown: string): { readonly line: number; readonly text: string }[] {
    const lines: { line: number; text: string }[] = [];
    let fence: string | undefined;
    markdown.split("\n").forEach((text, i) => {
        const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
        if (marker) {
            if (fence === undefined) {
                fence = marker[0];
            } else if (marker[0] === fence) {
                fence = undefined;
            }
            return;
        }
        if (fence === undefined) {
            lines.push({ line: i + 1, text });
        }
    });
    return lines;
}

const withoutCodeSpans = (text: string) => text.replace(/`[^`]*`/g, "");

/** GitHub's anchor for a heading's text. */
export function githubSlug(heading: string): string {
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    return text
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\- _]/gu, "")
        .replace(/ /g, "-");
}

/** Every anchor a page offers: its headings' slugs (repeats numbered as GitHub does). */
export function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    for (const { text } of proseLines(markdown)) {
        const heading = /^#{1,6} (.*)$/.exec(text)?.[1];
        if (heading === undefined) {
            continue;
        }
        const slug = githubSlug(heading);
        const n = seen.get(slug) ?? 0;
        seen.set(slug, n + 1);
        anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    return anchors;
}

export interface MarkdownLink {
    readonly line: number;
    readonly target: string;
}

/** Inline links and images outside code (`[text](target)`, `[text](target "title")`). */
export function linksOf(markdown: string): MarkdownLink[] {
    return proseLines(markdown).flatMap(({ line, text }) =>
        [...withoutCodeSpans(text).matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)].map((m) => ({ line, target: m[1] })),
    );
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** What is wrong with each relative link of `file` (relative to `root`), as `file:line: message`. */
export function brokenLinks(root: string, file: string): string[] {
    const markdown = fs.readFileSync(path.join(root, file), "utf8");
    return linksOf(markdown).flatMap(({ line, target }) => {
        if (isExternal(target)) {
            return [];
        }
        const [pathPart, anchor] = target.split("#", 2);
        const targetFile = pathPart === "" ? file : path.normalize(path.join(path.dirname(file), decodeURIComponent(pathPart)));
        const where = `${file}:${line}: ${target}`;
        if (targetFile.startsWith("..") || !fs.existsSync(path.join(root, targetFile))) {
            return [`${where}: no such file ${targetFile}`];
        }
        if (anchor === undefined || anchor === "") {
            return [];
        }
        if (!targetFile.endsWith(".md") || fs.statSync(path.join(root, targetFile)).isDirectory()) {
            return [`${where}: an anchor into ${targetFile}, which is not a Markdown page`];
        }
        const anchors = anchorsOf(pathPart === "" ? markdown : fs.readFileSync(path.join(root, targetFile), "utf8"));
        return anchors.has(decodeURIComponent(anchor)) ? [] : [`${where}: ${targetFile} has no heading with the anchor #${anchor}`];
    });
}

/** The repository's top folders whose paths the docs name in code font (`program/capacity.ts`). */
const REPO_FOLDERS = [
    "components",
    "functions",
    "scripts",
    "tests",
    "policy",
    "clients",
    "examples",
    "docs",
    "program",
    "contracts",
    "provider",
    ".github",
    ".ci",
];

/** Code spans that name a path in the repository (globs and placeholders such as `ledger*.ts` or `<name>` left out). */
export function repoPathsOf(markdown: string): MarkdownLink[] {
    const pattern = new RegExp(`^(?:${REPO_FOLDERS.map((f) => f.replace(".", "\\.")).join("|")})/[\\w./-]*$`);
    return proseLines(markdown).flatMap(({ line, text }) =>
        [...text.matchAll(/`([^`]+)`/g)]
            .map((m) => m[1])
            .filter((span) => pattern.test(span))
            .map((target) => ({ line, target })),
    );
}

/** Each code-font repository path of `file` that does not exist, as `file:line: message`. */
export function missingRepoPaths(root: string, file: string): string[] {
    const markdown = fs.readFileSync(path.join(root, file), "utf8");
    return repoPathsOf(markdown)
        .filter(({ target }) => !fs.existsSync(path.join(root, target)))
        .map(({ line, target }) => `${file}:${line}: \`${target}\` does not exist`);
}

/** README.md and every Markdown page under docs/, relative to `root`. */
export function documentationFiles(root: string): string[] {
    const pages = (dir: string): string[] =>
        fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
            const rel = path.join(dir, e.name);
            return e.isDirectory() ? pages(rel) : e.name.endsWith(".md") ? [rel] : [];
        });
    return ["README.md", ...pages("docs").sort()];
}
