/**
 * Records every AWS SDK command the project's code sends while the tests run, cheaply: the client, the command and
 * where it was sent from (a captured, not yet formatted, stack), nothing else. Real clients (against dynalite,
 * s3rver, PostgreSQL's neighbours) go through `Client.prototype.send` of @smithy/core; clients mocked with
 * aws-sdk-client-mock never reach it, so their stubs' calls are collected when a test resets or restores them.
 * Loaded by mocha (`.mocharc.json` "require"); the evaluation runs once, after every test (conformance.ts).
 */
import { Client } from "@smithy/core/client";
import type { SinonSpyCall, SinonStub } from "sinon";

export interface RecordedCommand {
    /** The client's class, e.g. `DynamoDBDocumentClient`, `S3Client`. */
    readonly clientName: string;
    /** The command's class, e.g. `QueryCommand`. */
    readonly commandName: string;
    readonly input: Record<string, unknown>;
    /** Resolves the client's region (SDK v3 keeps it as a provider). */
    readonly region: () => Promise<string>;
    /** Holds the call's stack, formatted only when read. */
    readonly site: { readonly stack?: string };
}

const recorded: RecordedCommand[] = [];

export function recordedCommands(): readonly RecordedCommand[] {
    harvestLiveStubs();
    return recorded;
}

interface SdkClient {
    readonly constructor: { readonly name: string };
    readonly config: { readonly region?: unknown };
}
interface SdkCommand {
    readonly constructor: { readonly name: string };
    readonly input?: Record<string, unknown>;
}

function regionOf(client: SdkClient): () => Promise<string> {
    return async () => {
        const region = client.config.region;
        return String(typeof region === "function" ? await (region as () => Promise<string>)() : region);
    };
}

function record(client: SdkClient, command: SdkCommand, site: { stack?: string }): void {
    if (!command || typeof command !== "object" || !command.constructor?.name?.endsWith("Command")) {
        return;
    }
    recorded.push({ clientName: client.constructor.name, commandName: command.constructor.name, input: command.input ?? {}, region: regionOf(client), site });
}

// Deep enough to reach a handler's frame from inside the SDK and sinon (V8 keeps awaiting callers as "async" frames).
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 40);

// --- Real clients.
type Send = (this: SdkClient, command: SdkCommand, ...rest: unknown[]) => unknown;
const proto = Client.prototype as unknown as { send: Send };
const realSend = proto.send;
proto.send = function recordingSend(this: SdkClient, command: SdkCommand, ...rest: unknown[]) {
    const site: { stack?: string } = {};
    Error.captureStackTrace(site, recordingSend);
    record(this, command, site);
    return realSend.call(this, command, ...rest);
};

// --- Mocked clients: collect a stub's calls before its history goes (reset, restore) and at the end.
const mockModule = require("aws-sdk-client-mock/dist/cjs/mockClient") as { mockClient: (...args: unknown[]) => AwsStubLike };
const stubModule = require("aws-sdk-client-mock/dist/cjs/awsClientStub") as { AwsStub: { prototype: Record<string, unknown> } };

interface AwsStubLike {
    readonly send: SinonStub;
}
const liveStubs = new Set<AwsStubLike>();
const harvested = new WeakSet<SinonSpyCall>();

function harvest(stub: AwsStubLike): void {
    for (const call of stub.send.getCalls()) {
        if (harvested.has(call)) {
            continue;
        }
        harvested.add(call);
        const error = (call as unknown as { errorWithCallStack?: Error }).errorWithCallStack;
        record(call.thisValue as SdkClient, call.args[0] as SdkCommand, error ?? {});
    }
}

function harvestLiveStubs(): void {
    for (const stub of liveStubs) {
        harvest(stub);
    }
}

const originalMockClient = mockModule.mockClient;
mockModule.mockClient = (...args: unknown[]) => {
    const stub = originalMockClient(...args);
    liveStubs.add(stub);
    return stub;
};
for (const method of ["reset", "resetHistory", "restore"]) {
    const original = stubModule.AwsStub.prototype[method] as (this: AwsStubLike, ...args: unknown[]) => unknown;
    stubModule.AwsStub.prototype[method] = function (this: AwsStubLike, ...args: unknown[]) {
        harvest(this);
        if (method === "restore") {
            liveStubs.delete(this);
        }
        return original.apply(this, args);
    };
}
