/**
 * The resource options a RegisterResourceRequest carries that Pulumi's mock interface (`newResource`) does not
 * show: what the snapshot compares besides inputs, and what the engine uses to match a moved resource (`aliases`).
 */

/** One `aliases` entry as the engine receives it: a URN, or a spec whose empty fields mean "the resource's own". */
export type RecordedAlias =
    | { readonly urn: string }
    | {
          readonly name?: string;
          readonly type?: string;
          readonly stack?: string;
          readonly project?: string;
          readonly parentUrn?: string;
          readonly noParent?: boolean;
      };

export interface RecordedOptions {
    readonly aliases: readonly RecordedAlias[];
    readonly customTimeouts?: { readonly create?: string; readonly update?: string; readonly delete?: string };
    readonly additionalSecretOutputs: readonly string[];
    readonly replaceOnChanges: readonly string[];
    readonly deletedWith?: string;
    readonly importId?: string;
    readonly version?: string;
}

/** The options of a RegisterResourceRequest (protobuf getters; empty strings mean "not set"). */
export function recordedOptions(req: any): RecordedOptions {
    const aliases: RecordedAlias[] = (req.getAliasesList?.() ?? []).map((alias: any) => {
        if (alias.hasSpec?.()) {
            const spec = alias.getSpec();
            const fields = { name: spec.getName(), type: spec.getType(), stack: spec.getStack(), project: spec.getProject(), parentUrn: spec.getParenturn() };
            const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ""));
            return spec.getNoparent() ? { ...set, noParent: true } : set;
        }
        return { urn: alias.getUrn() };
    });
    for (const urn of req.getAliasurnsList?.() ?? []) {
        aliases.push({ urn });
    }
    const timeouts = req.getCustomtimeouts?.();
    const customTimeouts = timeouts && {
        create: timeouts.getCreate() || undefined,
        update: timeouts.getUpdate() || undefined,
        delete: timeouts.getDelete() || undefined,
    };
    return {
        aliases,
        customTimeouts: customTimeouts && Object.values(customTimeouts).some((v) => v !== undefined) ? customTimeouts : undefined,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList?.() ?? [],
        replaceOnChanges: req.getReplaceonchangesList?.() ?? [],
        deletedWith: req.getDeletedwith?.() || undefined,
        importId: req.getImportid?.() || undefined,
        version: req.getVersion?.() || undefined,
    };
}
