/**
 * Compares two snapshots of a stack (before and after a change). A resource whose URN changed is the same
 * resource only when the new one answers to the old URN through `aliases` (its own, or its parent's): then it
 * is listed as aliased and the rest of it must be identical, URN references translated. Everything else that
 * differs is a difference: a resource added or removed, an input, an option, an output.
 */
import { aliasUrns } from "./aliases";
import type { SnapshotResource, StackSnapshot } from "./document";

export interface AliasedChange {
    readonly from: string;
    readonly to: string;
}

export interface StackComparison {
    readonly differences: readonly string[];
    readonly aliased: readonly AliasedChange[];
}

/** Deep replacement of every string that is exactly a renamed URN. */
function translated(value: unknown, renamed: ReadonlyMap<string, string>): unknown {
    if (typeof value === "string") {
        return renamed.get(value) ?? value;
    }
    if (Array.isArray(value)) {
        return value.map((v) => translated(v, renamed));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, translated(v, renamed)]));
    }
    return value;
}

const json = (v: unknown) => JSON.stringify(v);

/** The paths at which two JSON values differ, with both values (at most `limit`). */
export function valueDifferences(before: unknown, after: unknown, at: string, limit = 20): string[] {
    const found: string[] = [];
    const walk = (a: unknown, b: unknown, path: string) => {
        if (found.length >= limit || json(a) === json(b)) {
            return;
        }
        const bothObjects = a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b);
        if (!bothObjects) {
            found.push(`${path}: ${json(a) ?? "(absent)"} → ${json(b) ?? "(absent)"}`);
            return;
        }
        const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
        for (const key of keys) {
            walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`);
        }
    };
    walk(before, after, at);
    return found;
}

/** A resource without what an alias may change (URN, type). */
function comparable(r: SnapshotResource, aliases: SnapshotResource["aliases"]): Record<string, unknown> {
    const { urn: _urn, type: _type, ...rest } = r;
    return { ...rest, aliases };
}

export function compareStacks(before: StackSnapshot, after: StackSnapshot): StackComparison {
    const differences: string[] = [];
    const aliased: AliasedChange[] = [];
    const beforeByUrn = new Map(before.resources.map((r) => [r.urn, r]));
    const afterByUrn = new Map(after.resources.map((r) => [r.urn, r]));
    const answersTo = aliasUrns(after.resources);

    // Pair every resource of `before` with the one of `after` that has its URN, or answers to it through an alias.
    const renamed = new Map<string, string>();
    const claimed = new Set<string>();
    for (const r of after.resources) {
        if (beforeByUrn.has(r.urn)) {
            claimed.add(r.urn);
        }
    }
    for (const old of before.resources) {
        if (afterByUrn.has(old.urn)) {
            continue;
        }
        const successors = after.resources.filter((r) => !beforeByUrn.has(r.urn) && answersTo.get(r.urn)!.has(old.urn));
        if (successors.length === 1 && !claimed.has(successors[0].urn)) {
            renamed.set(old.urn, successors[0].urn);
            claimed.add(successors[0].urn);
            aliased.push({ from: old.urn, to: successors[0].urn });
        } else if (successors.length > 1) {
            differences.push(`${old.urn}: ${successors.length} new resources answer to it (${successors.map((r) => r.urn).join(", ")})`);
        } else {
            differences.push(`removed: ${old.urn}`);
        }
    }
    for (const r of after.resources) {
        if (!claimed.has(r.urn)) {
            differences.push(`added: ${r.urn}`);
        }
    }

    for (const old of before.resources) {
        const successorUrn = renamed.get(old.urn) ?? (afterByUrn.has(old.urn) ? old.urn : undefined);
        if (successorUrn === undefined) {
            continue;
        }
        const successor = afterByUrn.get(successorUrn)!;
        // An alias naming a URN on purpose (a shipped parent) stays as it was; one the SDK filled with the resource's
        // parent follows the parent's move.
        const afterAliases = new Set(successor.aliases.map(json));
        const oldAliases = old.aliases.map((alias) => (afterAliases.has(json(alias)) ? alias : translated(alias, renamed)));
        const moved = translated(comparable(old, []), renamed) as Record<string, unknown>;
        // Sorted by URN when written: sorted again once renamed URNs are in.
        const a: Record<string, unknown> = { ...moved, dependsOn: [...(moved.dependsOn as string[])].sort(), aliases: oldAliases };
        // An alias added for the move is the move itself (listed as aliased); any other alias change is a difference.
        const kept = new Set((a.aliases as unknown[]).map(json));
        const added = successor.aliases.filter((alias) => !kept.has(json(alias)));
        const explainsMove = (alias: SnapshotResource["aliases"][number]) =>
            successorUrn !== old.urn &&
            aliasUrns(after.resources.map((r) => (r.urn === successorUrn ? { ...r, aliases: [alias] } : r)))
                .get(successorUrn)!
                .has(old.urn);
        const moves = new Set(added.filter(explainsMove));
        const b = comparable(
            successor,
            successor.aliases.filter((alias) => !moves.has(alias)),
        );
        differences.push(...valueDifferences(a, b, successorUrn === old.urn ? old.urn : `${old.urn} → ${successorUrn}`));
    }

    differences.push(...valueDifferences(translated(before.outputs, renamed), after.outputs, "outputs"));
    differences.push(...valueDifferences(before.secretOutputs, after.secretOutputs, "secretOutputs"));
    return { differences, aliased };
}
