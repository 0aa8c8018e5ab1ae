/**
 * The snapshot of one stack: every resource the program registers (type, name, URN, parent, provider, inputs
 * and the options that change what the engine does) and the stack outputs, as the mocked runtime records them.
 * Deterministic: resources sorted by URN, object keys sorted, no timestamps; what the mocks compute (ids,
 * ARNs) is left out, it says nothing about the program.
 */
import { createHash } from "crypto";
import type { RecordedAlias, Synthesis } from "../synth/synthesize";

/** Strings longer than this (bundled Lambda code) are kept as their length and SHA-256, not inline. */
export const INLINE_STRING_LIMIT = 16_384;

export interface SnapshotResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly parent: string | null;
    readonly provider: string | null;
    readonly inputs: unknown;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    readonly dependsOn: readonly string[];
    readonly aliases: readonly RecordedAlias[];
    readonly customTimeouts: unknown;
    readonly additionalSecretOutputs: readonly string[];
    readonly replaceOnChanges: readonly string[];
    readonly deletedWith: string | null;
}

export interface StackSnapshot {
    readonly stack: string;
    readonly resources: readonly SnapshotResource[];
    readonly outputs: unknown;
    readonly secretOutputs: readonly string[];
}

/** A value with object keys sorted at every level and long strings replaced by their digest. */
export function canonical(value: unknown): unknown {
    if (typeof value === "string" && value.length > INLINE_STRING_LIMIT) {
        return { "[long string]": { length: value.length, sha256: createHash("sha256").update(value).digest("hex") } };
    }
    if (Array.isArray(value)) {
        return value.map(canonical);
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
        return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, canonical(v)]));
    }
    return value;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function stackSnapshot(s: Synthesis): StackSnapshot {
    const resources = s.resources.map((r): SnapshotResource => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        custom: r.custom,
        parent: r.parentUrn ?? null,
        provider: r.providerUrn ?? null,
        inputs: canonical(r.inputs),
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        deleteBeforeReplace: r.deleteBeforeReplace,
        ignoreChanges: [...r.ignoreChanges].sort(byString),
        dependsOn: [...r.dependsOn].sort(byString),
        aliases: canonical(r.options.aliases) as RecordedAlias[],
        customTimeouts: canonical(r.options.customTimeouts) ?? null,
        additionalSecretOutputs: [...r.options.additionalSecretOutputs].sort(byString),
        replaceOnChanges: [...r.options.replaceOnChanges].sort(byString),
        deletedWith: r.options.deletedWith ?? null,
    }));
    return {
        stack: s.stack,
        resources: resources.sort((a, b) => byString(a.urn, b.urn)),
        outputs: canonical(s.outputs),
        secretOutputs: [...(s.secretOutputs ?? [])].sort(byString),
    };
}

/** The file text: two-space JSON, one trailing newline. */
export function snapshotJson(snapshot: StackSnapshot): string {
    return `${JSON.stringify(snapshot, null, 2)}\n`;
}
