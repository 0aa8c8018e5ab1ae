/** Value helpers: rules read untyped JSON through these. */
import { Props, ResourceView, UNKNOWN, Unknown } from "./view-types";

export function isUnknown(value: unknown): value is Unknown {
    return value === UNKNOWN;
}

/** Set to something (an unknown value counts: it will be set at deploy time). */
export function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** The nested value at `path`; UNKNOWN if any step is unknown; undefined if any step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
    let current = value;
    for (const key of path) {
        if (isUnknown(current)) {
            return UNKNOWN;
        }
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return current;
}

/** A known string, else undefined. */
export function str(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** A known number (numeric strings included), else undefined. */
export function num(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) {
        return Number(value);
    }
    return undefined;
}

/** A known boolean (the strings "true"/"false" included), else undefined. */
export function bool(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    return undefined;
}

/** The known elements of an array (a single value counts as one element; unknown or missing as none). */
export function list(value: unknown): unknown[] {
    if (value === undefined || value === null || isUnknown(value)) {
        return [];
    }
    return Array.isArray(value) ? value : [value];
}

/** A known plain object, else undefined. */
export function obj(value: unknown): Readonly<Record<string, unknown>> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Tags of a resource as a plain map (`tags`, else `tagsAll`). */
export function tagsOf(props: Props): Readonly<Record<string, unknown>> {
    return obj(props.tags) ?? obj(props.tagsAll) ?? {};
}

/** `environment` helper for rules that apply to one environment. */
export function isEnvironment(view: ResourceView, environment: string): boolean {
    return view.environment === environment;
}
