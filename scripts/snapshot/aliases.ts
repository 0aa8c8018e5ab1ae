/**
 * Which earlier URNs a resource answers to, as the Pulumi engine matches them on `pulumi up`: its own `aliases`
 * (a URN, or a spec whose empty fields keep the resource's own name, type, parent, stack and project), and for
 * a child, the same name and type under every URN its parent answers to (a parent's alias moves its children).
 * https://www.pulumi.com/docs/iac/concepts/resources/options/aliases/
 */
import type { SnapshotResource } from "./document";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

interface UrnParts {
    readonly stack: string;
    readonly project: string;
    /** The type qualified by its ancestors' types (`parentType$type`), the root stack left out. */
    readonly qualifiedType: string;
    readonly name: string;
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` (a name may itself contain `::`). */
export function parseUrn(urn: string): UrnParts {
    const [head, project, qualifiedType, ...name] = urn.split("::");
    const stack = head.replace(/^urn:pulumi:/, "");
    return { stack, project, qualifiedType, name: name.join("::") };
}

/**
 * A child's URN is qualified by its parent's type. The mocked runtime qualifies it with the parent's own type only
 * (`Parent$Child`), the engine with the parent's whole chain (`Grandparent$Parent$Child`): either way a URN is
 * (parent, type, name), so matching aliases on the mocked runtime's URNs matches what the engine matches.
 */
function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    const parentType = parentUrn === undefined ? undefined : parseUrn(parentUrn).qualifiedType.split("$").pop();
    const qualified = parentType === undefined || parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Every URN other than its own that each resource answers to, keyed by the resource's URN. */
export function aliasUrns(resources: readonly SnapshotResource[]): Map<string, Set<string>> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const memo = new Map<string, Set<string>>();

    const parentCandidates = (parentUrn: string | null): (string | undefined)[] =>
        parentUrn === null ? [undefined] : [parentUrn, ...(byUrn.has(parentUrn) ? of(byUrn.get(parentUrn)!) : [])];

    const of = (r: SnapshotResource): Set<string> => {
        const known = memo.get(r.urn);
        if (known) {
            return known;
        }
        const found = new Set<string>();
        memo.set(r.urn, found);
        const own = parseUrn(r.urn);
        // The same name and type under each URN the parent answers to.
        for (const parent of parentCandidates(r.parent)) {
            found.add(makeUrn(own.stack, own.project, parent, r.type, r.name));
        }
        for (const alias of r.aliases) {
            if ("urn" in alias) {
                found.add(alias.urn);
                continue;
            }
            const parents = alias.noParent ? [undefined] : alias.parentUrn !== undefined ? parentCandidates(alias.parentUrn) : parentCandidates(r.parent);
            for (const parent of parents) {
                found.add(makeUrn(alias.stack ?? own.stack, alias.project ?? own.project, parent, alias.type ?? r.type, alias.name ?? r.name));
            }
        }
        found.delete(r.urn);
        return found;
    };

    for (const r of resources) {
        of(r);
    }
    return memo;
}
