/**
 * The resource tree the offline preview prints, like `pulumi preview`: components nested under their
 * parents, and under each component its direct resources grouped by region with counts by type.
 */

/** What the tree needs of a recorded resource. */
export interface TreeResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly region?: string;
    readonly parentUrn?: string;
}

const NO_REGION = "(no region)";

function isComponent(r: TreeResource): boolean {
    return !r.custom && !r.type.startsWith("pulumi:providers:");
}

/** Number of resources in a subtree, the component itself excluded. */
function countUnder(urn: string | undefined, byParent: ReadonlyMap<string | undefined, TreeResource[]>): number {
    const children = byParent.get(urn) ?? [];
    return children.reduce((n, c) => n + 1 + (isComponent(c) ? countUnder(c.urn, byParent) : 0), 0);
}

export function formatResourceTree(stack: string, project: string, resources: readonly TreeResource[]): string {
    const byParent = new Map<string | undefined, TreeResource[]>();
    const known = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        // Children of the (unrecorded) stack resource hang off the root.
        const parent = r.parentUrn !== undefined && known.has(r.parentUrn) ? r.parentUrn : undefined;
        byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
    }
    const lines: string[] = [`+ ${project}-${stack} (pulumi:pulumi:Stack)  ${resources.length} resources`];
    // One column for the counts across the whole tree.
    const width = Math.max(0, ...resources.filter((r) => !isComponent(r)).map((r) => r.type.length));
    const walk = (urn: string | undefined, indent: string) => {
        const children = [...(byParent.get(urn) ?? [])].sort((a, b) => a.urn.localeCompare(b.urn));
        const direct = children.filter((c) => !isComponent(c));
        const byRegion = new Map<string, Map<string, number>>();
        for (const r of direct) {
            const region = r.region ?? NO_REGION;
            const counts = byRegion.get(region) ?? new Map<string, number>();
            counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
            byRegion.set(region, counts);
        }
        for (const region of [...byRegion.keys()].sort()) {
            const counts = byRegion.get(region)!;
            const total = [...counts.values()].reduce((a, b) => a + b, 0);
            lines.push(`${indent}[${region}] ${total}`);
            for (const type of [...counts.keys()].sort()) {
                lines.push(`${indent}    + ${type.padEnd(width)}  ${String(counts.get(type)).padStart(3)}`);
            }
        }
        for (const component of children.filter(isComponent)) {
            lines.push(`${indent}+ ${component.type} "${component.name}"  ${countUnder(component.urn, byParent)} resources`);
            walk(component.urn, `${indent}    `);
        }
    };
    walk(undefined, "    ");
    return lines.join("\n");
}
