import { RecordedResource, Synthesis, synthesize } from "../../scripts/synth/synthesize";
import { readStackConfig } from "../../scripts/synth/stack-config";
import { normalize } from "../../policy/rules/view";

const cache = new Map<string, Promise<Synthesis>>();

/**
 * The committed stack, synthesized once per test process (the mocked runtime is global, so syntheses run
 * one after another: each awaits the previous one).
 */
export function stack(name: "dev" | "prod"): Promise<Synthesis> {
    let result = cache.get(name);
    if (!result) {
        const previous = Promise.all([...cache.values()].map((p) => p.catch(() => undefined)));
        result = previous.then(() => synthesize(name, readStackConfig(name)));
        cache.set(name, result);
    }
    return result;
}

/** Synthesizes the committed stack file with some config keys changed (unprefixed keys). Not cached. */
export async function stackWith(name: "dev" | "prod", overrides: Record<string, string | undefined>): Promise<Synthesis> {
    await Promise.all([...cache.values()].map((p) => p.catch(() => undefined)));
    const config = { ...readStackConfig(name) };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete config[`payments-dr:${key}`];
        } else {
            config[`payments-dr:${key}`] = value;
        }
    }
    return synthesize(`${name}-variant`, config);
}

export function ofType(s: Synthesis, type: string, region?: string): RecordedResource[] {
    return s.resources.filter((r) => r.type === type && (region === undefined || r.region === region));
}

export function one(s: Synthesis, type: string, name: string): RecordedResource {
    const found = s.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    }
    return found[0];
}

/**
 * A function's environment variables, secrets unwrapped: one secret variable (the transaction processor's id key)
 * makes Pulumi send the whole `environment` input as a secret.
 */
export function lambdaEnv(fn: RecordedResource): Record<string, any> {
    const environment = normalize(fn.inputs.environment) as { variables?: Record<string, any> } | undefined;
    return environment?.variables ?? {};
}

/** Parses a JSON policy input (IAM, key, bucket and topic policies are JSON strings). */
export function policyOf(r: RecordedResource, key = "policy"): { Statement: any[] } {
    return JSON.parse(r.inputs[key]);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Pulumi's marker of a secret value in the mocked runtime's inputs. */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** The plain value of an input the program marked secret (`pulumi.secret`); other values unchanged. */
export function plain<T = unknown>(value: unknown): T {
    const wrapped = value as Record<string, unknown> | undefined;
    return (typeof wrapped === "object" && wrapped !== null && SECRET_SIGNATURE in wrapped ? wrapped.value : value) as T;
}

/** Whether the program marked an input secret. */
export function isSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && SECRET_SIGNATURE in value;
}
