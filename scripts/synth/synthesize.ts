import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { NameServerLookup, setNameServerLookup } from "../../components/global/delegation";
import { computedState, invokeResult, MOCK_ZONE_NAME_SERVERS } from "./mock-state";
import { RecordedOptions, recordedOptions } from "./resource-options";

export type { RecordedAlias, RecordedOptions } from "./resource-options";

/** One resource the program registered, with the inputs it was given and where it lands. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly inputs: Record<string, any>;
    /** Inputs plus the attributes the mock computed (arn, id, endpoints). */
    readonly state: Record<string, any>;
    readonly id?: string;
    /** Region of the explicit provider (undefined for components and non-AWS resources). */
    readonly region?: string;
    /** URN of the provider the resource was registered with (a default provider's name starts with `default`). */
    readonly providerUrn?: string;
    readonly parentUrn?: string;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependsOn: readonly string[];
    /** Properties whose drift the engine ignores after creation (`ignoreChanges`). */
    readonly ignoreChanges: readonly string[];
    readonly deleteBeforeReplace: boolean;
    /** The resource options the mock interface does not show either (`aliases`, `customTimeouts`, ...). */
    readonly options: RecordedOptions;
}

export interface Synthesis {
    readonly stack: string;
    readonly resources: readonly RecordedResource[];
    /** The program's stack exports, resolved. */
    readonly outputs: Readonly<Record<string, unknown>>;
    /** Names of the exports that are secret (shown as `[secret]`). */
    readonly secretOutputs?: readonly string[];
}

const PROGRAM = path.join(__dirname, "..", "..", "index.ts");
const SETTLE_TIMEOUT_MS = 30_000;

interface Pending {
    inputs: Record<string, any>;
    state: Record<string, any>;
    id?: string;
    region?: string;
    provider?: string;
    custom: boolean;
}

/** Mocks that compute realistic ids and ARNs per type and per provider region, and record every call. */
class RecordingMocks implements pulumi.runtime.Mocks {
    readonly pending = new Map<string, Pending>();
    private readonly providerRegions = new Map<string, string>();

    constructor(
        private readonly stateOverride?: SynthesisOptions["stateOverride"],
        private readonly partition = "aws",
    ) {}

    private regionOf(providerRef?: string): string | undefined {
        if (!providerRef) {
            return undefined;
        }
        return this.providerRegions.get(providerRef.split("::").pop()!);
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        if (args.type === "pulumi:providers:aws") {
            const id = `provider-${args.name}`;
            this.providerRegions.set(id, args.inputs.region);
            this.pending.set(`${args.type}::${args.name}`, { inputs: args.inputs, state: args.inputs, id, region: args.inputs.region, custom: true });
            return { id, state: args.inputs };
        }
        const region = this.regionOf(args.provider);
        const computed = computedState(args.type, args.name, args.inputs, region ?? "global", this.partition);
        const id = computed.id;
        const state = this.stateOverride?.(args.type, args.name, computed.state) ?? computed.state;
        this.pending.set(`${args.type}::${args.name}`, {
            inputs: args.inputs,
            state,
            id,
            region,
            provider: args.provider,
            custom: args.custom ?? true,
        });
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return invokeResult(args.token, args.inputs, this.regionOf(args.provider) ?? "us-east-1", this.partition);
    }
}

interface RegistrationMeta {
    type: string;
    name: string;
    parent?: string;
    protect: boolean;
    retainOnDelete: boolean;
    dependsOn: string[];
    ignoreChanges: string[];
    deleteBeforeReplace: boolean;
    options: RecordedOptions;
}

async function resolve(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        return new Promise((done) => (value as pulumi.Output<unknown>).apply((v) => done(v)));
    }
    return value;
}

/**
 * Runs the real program (`index.ts`) under Pulumi's mocked runtime with the given config (fully qualified
 * keys, e.g. `payments-dr:environment`) and returns every resource it registered. Throws what the program
 * throws, e.g. a `ConfigValidationError` before any resource is registered.
 */
export interface SynthesisOptions {
    /** What public DNS answers for a domain's name servers. Default: delegated to the zone the mock creates. */
    readonly nameServers?: NameServerLookup;
    /** Fully qualified keys whose values were encrypted (`pulumi config set --secret`). */
    readonly secretKeys?: readonly string[];
    /** The program to run. Default: the project's `index.ts`. */
    readonly program?: string;
    /** What AWS answers differently from the mock for one resource (e.g. a replica without a stream); undefined keeps the mock's. */
    readonly stateOverride?: (type: string, name: string, state: Record<string, any>) => Record<string, any> | undefined;
    /** The partition the mocked provider is in (`aws.getPartition`, every ARN the mock computes). Default: `aws`. */
    readonly partition?: string;
}

export async function synthesize(stack: string, config: Record<string, string>, project = "payments-dr", options: SynthesisOptions = {}): Promise<Synthesis> {
    // Pulumi records a stack trace on every promise it makes (runtime/debuggable.ts), and under ts-node each trace
    // goes through source maps: half of a synthesis's time. The mocked run needs none of them; errors the program
    // throws keep their messages (what the tests assert), without a stack.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await synthesizeProgram(stack, config, project, options);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
}

async function synthesizeProgram(stack: string, config: Record<string, string>, project: string, options: SynthesisOptions): Promise<Synthesis> {
    const mocks = new RecordingMocks(options.stateOverride, options.partition);
    await pulumi.runtime.setMocks(mocks, project, stack, false);
    pulumi.runtime.setAllConfig(config, [...(options.secretKeys ?? [])]);

    // Record what the mock interface does not show: parent, protect, retainOnDelete, dependsOn, ignoreChanges, aliases...
    const registrations = new Map<string, RegistrationMeta>();
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) =>
        register(req, (err: any, resp: any) => {
            if (!err) {
                registrations.set(resp.getUrn(), {
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    protect: Boolean(req.getProtect()),
                    retainOnDelete: Boolean(req.getRetainondelete?.()),
                    dependsOn: req.getDependenciesList?.() ?? [],
                    ignoreChanges: req.getIgnorechangesList?.() ?? [],
                    deleteBeforeReplace: Boolean(req.getDeletebeforereplace?.()),
                    options: recordedOptions(req),
                });
            }
            callback(err, resp);
        });

    // No network here: public DNS answers as if the domain were delegated to the zone the mock creates.
    setNameServerLookup(options.nameServers ?? (async () => [...MOCK_ZONE_NAME_SERVERS]));
    const programPath = options.program ?? PROGRAM;
    delete require.cache[require.resolve(programPath)];
    let program: Record<string, unknown>;
    try {
        program = require(programPath);
    } catch (error) {
        // Lets callers prove that a failing program (e.g. invalid config) registered nothing.
        await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
        throw Object.assign(error as object, { registeredResources: registrations.size });
    }

    // An error the program raises inside an apply reaches the language host as an unhandled rejection (printed
    // as the CLI would, then the program fails): collect it here and throw it once everything has settled.
    const programErrors: unknown[] = [];
    let failed: (reason: unknown) => void = () => undefined;
    const programFailed = new Promise<never>((_, reject) => (failed = reject));
    programFailed.catch(() => undefined);
    const onRejection = (reason: unknown) => {
        programErrors.push(reason);
        failed(reason);
    };
    process.on("unhandledRejection", onRejection);
    const settle = require("@pulumi/pulumi/runtime/settings").waitForRPCs as () => Promise<void>;
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    // A data source the mocks do not know leaves outputs unresolved forever: fail loudly instead of hanging.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`synthesis of stack ${stack} did not settle within ${SETTLE_TIMEOUT_MS} ms`)), SETTLE_TIMEOUT_MS);
        timer.unref();
    });
    try {
        await Promise.race([
            (async () => {
                for (const [key, value] of Object.entries(program)) {
                    if (pulumi.Output.isInstance(value) && (await (value as any).isSecret)) {
                        secretOutputs.push(key);
                    }
                    outputs[key] = await resolve(value);
                }
                await settle();
            })(),
            deadline,
            // A failed program leaves the outputs that wait on it unresolved: stop at its first error.
            programFailed,
        ]);
    } catch (error) {
        if (!programErrors.includes(error)) {
            throw error;
        }
    } finally {
        clearTimeout(timer);
        // Rejections are reported on a later tick: let them arrive before the listener goes.
        await new Promise((done) => setImmediate(done));
        process.off("unhandledRejection", onRejection);
    }
    if (programErrors.length > 0) {
        throw Object.assign(programErrors[0] as object, { registeredResources: registrations.size });
    }

    const resources: RecordedResource[] = [];
    for (const [urn, meta] of registrations) {
        const recorded = mocks.pending.get(`${meta.type}::${meta.name}`);
        resources.push({
            urn,
            type: meta.type,
            name: meta.name,
            custom: recorded?.custom ?? false,
            inputs: recorded?.inputs ?? {},
            state: recorded?.state ?? {},
            id: recorded?.id,
            region: recorded?.region,
            providerUrn: recorded?.provider?.split("::").slice(0, -1).join("::"),
            parentUrn: meta.parent,
            protect: meta.protect,
            retainOnDelete: meta.retainOnDelete,
            dependsOn: meta.dependsOn,
            ignoreChanges: meta.ignoreChanges,
            deleteBeforeReplace: meta.deleteBeforeReplace,
            options: meta.options,
        });
    }
    return { stack, resources, outputs, secretOutputs: secretOutputs.sort() };
}
