/**
 * Wire values: what the mocked runtime and @pulumi/policy hand over, normalized (secrets unwrapped, preview
 * unknowns replaced by UNKNOWN).
 */
import { Props, UNKNOWN } from "./view-types";
import { obj } from "./view-values";

/**
 * The parts of the mocked runtime's `RecordedResource` (scripts/synth/synthesize.ts) the adapter reads;
 * declared here so the pack does not depend on the synthesis code.
 */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly state: Record<string, unknown>;
    readonly id?: string;
    readonly region?: string;
    readonly providerUrn?: string;
    readonly parentUrn?: string;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependsOn: readonly string[];
}

// @pulumi/policy marks values unknown during preview with these sentinels (see @pulumi/policy/proxy.js).
const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
// Pulumi's wire signature for secrets ({ [SIG_KEY]: SECRET_SIG, value }), as the mocked runtime records them.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
// @pulumi/policy's proxy hands out the raw object under this key (see @pulumi/policy/proxy.js).
const PROXY_TARGET = "__getSpecialProxyTarget";

/** True for values the mocked runtime or the wire format marks as secret. */
export function isWireSecret(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function isAssetOrArchive(value: object): boolean {
    return "__pulumiAsset" in value || "__pulumiArchive" in value;
}

/** Deep copy with secrets unwrapped and preview unknowns replaced by UNKNOWN; assets are kept as they are. */
export function normalize(value: unknown): unknown {
    if (typeof value === "string") {
        return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (isWireSecret(value)) {
        return normalize(value.value);
    }
    if (isAssetOrArchive(value)) {
        return value;
    }
    if (value.constructor?.name === "Secret" && "value" in value) {
        return normalize((value as { value: unknown }).value);
    }
    if (Array.isArray(value)) {
        return value.map(normalize);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
        out[k] = normalize(v);
    }
    return out;
}

function rawOf(props: unknown): unknown {
    if (props !== null && typeof props === "object") {
        const target = (props as Record<string, unknown>)[PROXY_TARGET];
        if (target !== undefined) {
            return target;
        }
    }
    return props;
}

export function normalizeProps(props: unknown): Props {
    return (obj(normalize(rawOf(props))) ?? {}) as Props;
}
