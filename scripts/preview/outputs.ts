/**
 * The stack outputs, printed last as `pulumi preview` does. Secret outputs show as `[secret]`, in the text and
 * in `--json`. Collapsed (the default), an object or list longer than one line shows its size only.
 */
import { SECRET } from "./plan";

/** Values longer than this are collapsed unless `details` is on. */
const INLINE_LIMIT = 100;

/** The outputs with every secret replaced, keys sorted. */
export function redactOutputs(outputs: Readonly<Record<string, unknown>>, secretKeys: readonly string[] = []): Record<string, unknown> {
    const secret = new Set(secretKeys);
    return Object.fromEntries(
        Object.keys(outputs)
            .sort()
            .filter((key) => outputs[key] !== undefined)
            .map((key) => [key, secret.has(key) ? SECRET : outputs[key]]),
    );
}

function formatValue(value: unknown, details: boolean, indent: string): string {
    const inline = JSON.stringify(value);
    if (inline.length <= INLINE_LIMIT || value === null || typeof value !== "object") {
        return inline;
    }
    if (!details) {
        const size = Array.isArray(value) ? `${value.length} items` : `${Object.keys(value).length} keys`;
        return `${Array.isArray(value) ? "[…]" : "{…}"} (${size}; --details shows it)`;
    }
    return JSON.stringify(value, null, 4).replace(/\n/g, `\n${indent}`);
}

export function formatOutputs(outputs: Readonly<Record<string, unknown>>, details = false): string {
    const keys = Object.keys(outputs);
    if (keys.length === 0) {
        return "Outputs: none";
    }
    const width = Math.max(...keys.map((k) => k.length));
    return ["Outputs:", ...keys.map((key) => `    ${key.padEnd(width)}: ${formatValue(outputs[key], details, "    ")}`)].join("\n");
}
