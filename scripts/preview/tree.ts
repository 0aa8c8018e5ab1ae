/**
 * The resource tree the offline preview prints, like `pulumi preview`: components nested under their parents,
 * and under each component its direct resources grouped by region. Collapsed (the default), each type is one
 * line with its count and names, protected resources always named; with `details`, one line per resource.
 * `[protect]` and `[retain]` mark what `pulumi destroy` refuses or leaves behind.
 */

/** What the tree needs of a recorded resource. */
export interface TreeResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly region?: string;
    readonly parentUrn?: string;
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
}

export interface TreeOptions {
    /** One line per resource instead of one per type. */
    readonly details?: boolean;
}

const NO_REGION = "(no region)";
/** Names shown on a collapsed type line (protected resources are always shown). */
const COLLAPSED_NAMES = 3;

function isComponent(r: TreeResource): boolean {
    return !r.custom && !r.type.startsWith("pulumi:providers:");
}

/** ` [protect] [retain]` for what a destroy would refuse or leave behind. */
export function markers(r: TreeResource): string {
    return `${r.protect ? " [protect]" : ""}${r.retainOnDelete ? " [retain]" : ""}`;
}

/** The names of one type's resources on a collapsed line: the protected ones first, then up to three in all. */
function collapsedNames(resources: readonly TreeResource[]): string {
    const sorted = [...resources].sort((a, b) => Number(Boolean(b.protect)) - Number(Boolean(a.protect)) || a.name.localeCompare(b.name));
    const shown = sorted.filter((r, i) => r.protect || i < COLLAPSED_NAMES);
    const rest = sorted.length - shown.length;
    return [...shown.map((r) => `${r.name}${markers(r)}`), ...(rest > 0 ? [`+${rest} more`] : [])].join(", ");
}

export function formatResourceTree(stack: string, project: string, resources: readonly TreeResource[], options: TreeOptions = {}): string {
    const byParent = new Map<string | undefined, TreeResource[]>();
    const known = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        // Children of the (unrecorded) stack resource hang off the root.
        const parent = r.parentUrn !== undefined && known.has(r.parentUrn) ? r.parentUrn : undefined;
        byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
    }
    /** Resources in a subtree, the component itself excluded. */
    const under = (urn: string | undefined): TreeResource[] => (byParent.get(urn) ?? []).flatMap((c) => [c, ...(isComponent(c) ? under(c.urn) : [])]);
    const summary = (rs: readonly TreeResource[]) => {
        const protectedCount = rs.filter((r) => r.protect).length;
        return `${rs.length} resources${protectedCount > 0 ? `, ${protectedCount} protected` : ""}`;
    };

    // A row is a `+ type` prefix and what follows it; the prefixes are padded to one column across the tree.
    const lines: (string | { prefix: string; rest: string })[] = [`+ ${project}-${stack} (pulumi:pulumi:Stack)  ${summary(resources)}`];
    const walk = (urn: string | undefined, indent: string) => {
        const children = [...(byParent.get(urn) ?? [])].sort((a, b) => a.urn.localeCompare(b.urn));
        const byRegion = new Map<string, Map<string, TreeResource[]>>();
        for (const r of children.filter((c) => !isComponent(c))) {
            const region = r.region ?? NO_REGION;
            const types = byRegion.get(region) ?? new Map<string, TreeResource[]>();
            types.set(r.type, [...(types.get(r.type) ?? []), r]);
            byRegion.set(region, types);
        }
        for (const region of [...byRegion.keys()].sort()) {
            const types = byRegion.get(region)!;
            lines.push(`${indent}[${region}] ${[...types.values()].reduce((n, rs) => n + rs.length, 0)}`);
            for (const type of [...types.keys()].sort()) {
                const rs = types.get(type)!;
                if (options.details) {
                    for (const r of [...rs].sort((a, b) => a.name.localeCompare(b.name))) {
                        lines.push({ prefix: `${indent}    + ${type}`, rest: `${r.name}${markers(r)}` });
                    }
                } else {
                    lines.push({ prefix: `${indent}    + ${type}`, rest: `${String(rs.length).padStart(3)}  ${collapsedNames(rs)}` });
                }
            }
        }
        for (const component of children.filter(isComponent)) {
            lines.push(`${indent}+ ${component.type} "${component.name}"  ${summary(under(component.urn))}`);
            walk(component.urn, `${indent}    `);
        }
    };
    walk(undefined, "    ");
    const width = Math.max(0, ...lines.map((l) => (typeof l === "string" ? 0 : l.prefix.length)));
    return lines.map((l) => (typeof l === "string" ? l : `${l.prefix.padEnd(width)}  ${l.rest}`)).join("\n");
}
