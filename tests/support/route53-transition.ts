import type { RecordedResource } from "../../scripts/synth/synthesize";

/** One Route 53 record set a synthesis declares. */
export interface RecordSet {
    readonly urn: string;
    readonly zoneId: string;
    readonly name: string;
    readonly type: string;
    readonly setIdentifier?: string;
    readonly allowOverwrite: boolean;
}

export function recordSets(resources: readonly RecordedResource[]): RecordSet[] {
    return resources
        .filter((r) => r.type === "aws:route53/record:Record")
        .map((r) => ({
            // The same logical resource in another stack of the project (a test variant) is the same resource.
            urn: r.urn.replace(/^urn:pulumi:[^:]+::/, "urn:pulumi:<stack>::"),
            zoneId: String(r.inputs.zoneId),
            name: String(r.inputs.name).toLowerCase().replace(/\.$/, ""),
            type: String(r.inputs.type),
            setIdentifier: r.inputs.setIdentifier,
            allowOverwrite: Boolean(r.inputs.allowOverwrite),
        }));
}

/** Why Route 53 refuses `a` and `b` in the same zone at the same time, or undefined when it accepts both. */
export function conflict(a: RecordSet, b: RecordSet): string | undefined {
    if (a.zoneId !== b.zoneId || a.name !== b.name) {
        return undefined;
    }
    if ((a.type === "CNAME") !== (b.type === "CNAME")) {
        return `${a.type} and ${b.type} at ${a.name}: a CNAME cannot share its name with another type`;
    }
    if (a.type === b.type && a.setIdentifier === b.setIdentifier && !(a.allowOverwrite || b.allowOverwrite)) {
        return `two ${a.type} record sets ${a.name}${a.setIdentifier ? ` (${a.setIdentifier})` : ""}: the second CREATE finds the first`;
    }
    return undefined;
}

/**
 * Every pair of record sets Route 53 may hold at the same moment of a `pulumi up` from `from` to `to`, given how
 * Pulumi orders steps:
 * - a resource only in `to` is created while the program runs, in any order the dependencies allow;
 * - a resource only in `from` is deleted at the end, after every create and update;
 * - a resource in both (same URN) is updated in place when only `type`/`records`/`aliases` change (the AWS
 *   provider swaps the record in one atomic change batch: DELETE old + CREATE new), or replaced when its name or
 *   zone changes: the replacement is created first and the old one deleted at the end, unless deleteBeforeReplace.
 * So any old record set that is not the same resource as a new one may coexist with it.
 */
export function transitionConflicts(from: readonly RecordSet[], to: readonly RecordSet[], deleteFirst: ReadonlySet<string> = new Set()): string[] {
    const problems: string[] = [];
    const check = (a: RecordSet, b: RecordSet) => {
        const why = conflict(a, b);
        if (why) {
            problems.push(why);
        }
    };
    for (let i = 0; i < to.length; i++) {
        for (let j = i + 1; j < to.length; j++) {
            check(to[i], to[j]);
        }
    }
    for (const old of from) {
        for (const next of to) {
            const sameResource = old.urn === next.urn;
            const inPlace = sameResource && old.name === next.name && old.zoneId === next.zoneId;
            if (inPlace || (sameResource && deleteFirst.has(old.urn))) {
                continue;
            }
            check(old, next);
        }
    }
    return [...new Set(problems)];
}
