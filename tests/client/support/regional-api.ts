import { fork, type ChildProcess } from "child_process";
import * as path from "path";
import type { AuthInput, EndpointsInput } from "@payments-dr/client";
import { FENCE_CACHE_MS } from "../../../functions/transaction-processor/fence";
import { TEST_ROLE_ID, TEST_SCOPES } from "../../handler/support/events";
import { handlerEnv } from "../../handler/support/fixture";
import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { writeAuthority } from "../../../functions/takeover-switch/authority";
import { REGION_A, REGION_B, TwoRegions, type SimulatedRegion } from "../../handler/support/two-regions";
import type { GatewayCommand, GatewayConfig, GatewayStats } from "./gateway";
import { issueToken } from "./jwt";

/**
 * The payments API in two regions on this machine, as a client sees it: per region an HTTP endpoint (its own
 * process: gateway + the real processor and health functions) on its own dynalite and s3rver, replication by hand
 * (`replicate()`, tests/handler/support/two-regions.ts), and the takeover signal (a CloudWatch stand-in) that
 * fences the primary.
 */

export const MERCHANT = "merchant_42";
export const JWT_SECRET = "local-identity-provider-secret";
/** The merchant's role session (iam): the role name makes it the tenant `merchant_42`. */
export const MERCHANT_CREDENTIALS = { accessKeyId: "ASIAMERCHANT42EXAMPL", secretAccessKey: "merchant-42-secret", sessionToken: "merchant-42-session" };
const MERCHANT_ROLE = `payments-tenant-${MERCHANT}`;
/** The takeover authority (contracts/takeover-authority.ts), in region B's DynamoDB. */
const AUTHORITY_TABLE = "takeover-authority-dev-local";

const REGION_PROCESS = path.join(__dirname, "region-process.ts");

/** One region's endpoint: a forked process running the gateway and the functions. */
export class RegionProcess {
    private nextId = 0;
    private readonly pending = new Map<number, { resolve: (stats: GatewayStats) => void; reject: (error: Error) => void }>();

    private constructor(
        private readonly child: ChildProcess,
        readonly port: number,
        readonly region: string,
        /** The functions' log lines and anything else the process printed (for a failing test's message). */
        readonly logs: string[],
    ) {
        child.on("message", (message: { type: string; id: number; result: GatewayStats; error?: string }) => {
            const pending = this.pending.get(message.id);
            if (message.type === "reply" && pending !== undefined) {
                this.pending.delete(message.id);
                if (message.error === undefined) {
                    pending.resolve(message.result);
                } else {
                    pending.reject(new Error(message.error));
                }
            }
        });
    }

    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    static async start(config: GatewayConfig, env: Record<string, string | undefined>): Promise<RegionProcess> {
        const merged: Record<string, string> = {};
        for (const [name, value] of Object.entries({ ...process.env, ...env, GATEWAY_CONFIG: JSON.stringify(config) })) {
            if (value !== undefined) {
                merged[name] = value;
            }
        }
        const child = fork(REGION_PROCESS, [], {
            env: merged,
            execArgv: ["-r", require.resolve("ts-node/register/transpile-only")],
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        const logs: string[] = [];
        const keep = (chunk: Buffer) => {
            logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
            logs.splice(0, Math.max(0, logs.length - 500));
        };
        child.stdout?.on("data", keep);
        child.stderr?.on("data", keep);
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`region process ${config.region} did not start: ${logs.join("\n")}`)), 60_000);
            child.once("message", (message: { type: string; port: number }) => {
                clearTimeout(timer);
                resolve(message.port);
            });
            child.once("exit", (code) => reject(new Error(`region process ${config.region} exited (${code}): ${logs.join("\n")}`)));
        });
        return new RegionProcess(child, port, config.region, logs);
    }

    command(command: GatewayCommand): Promise<GatewayStats> {
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            this.pending.set(id, { resolve, reject });
            this.child.send({ id, command });
        });
    }

    async stop(): Promise<void> {
        if (this.child.exitCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.kill();
            await exited;
        }
    }
}

export class TwoRegionApi {
    readonly storage = new TwoRegions();
    primary!: RegionProcess;
    secondary!: RegionProcess;

    constructor(readonly authMode: "jwt" | "iam") {}

    async start(): Promise<void> {
        await this.storage.start();
        await this.storage.servers(REGION_B).dynamo.send(
            new CreateTableCommand({
                TableName: AUTHORITY_TABLE,
                AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
                KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
        // dynalite creates tables asynchronously: wait until it is ACTIVE.
        await waitUntilTableExists({ client: this.storage.servers(REGION_B).dynamo, maxWaitTime: 60, minDelay: 1 }, { TableName: AUTHORITY_TABLE });
        [this.primary, this.secondary] = await Promise.all([this.startRegion(REGION_A), this.startRegion(REGION_B)]);
        await Promise.all([this.primary.command({ type: "warm" }), this.secondary.command({ type: "warm" })]);
    }

    private startRegion(region: SimulatedRegion): Promise<RegionProcess> {
        const config: GatewayConfig = {
            region: region.name,
            auth: this.authMode,
            jwtSecret: JWT_SECRET,
            // The role's unique id is what the processor maps to the tenant (TENANT_ROLE_IDS in handlerEnv: merchant_42).
            callers: { [MERCHANT_CREDENTIALS.accessKeyId]: { ...MERCHANT_CREDENTIALS, roleName: MERCHANT_ROLE, roleId: TEST_ROLE_ID } },
        };
        return RegionProcess.start(config, {
            ...handlerEnv(this.storage.servers(region), this.storage.tableName, this.storage.bucketName),
            APP_REGION: region.name,
            REGION_ROLE: region.role,
            CONSISTENCY_MODE: "eventual",
            AUTH_MODE: this.authMode,
            // As deployed: only the primary reads the takeover authority (in the standby region) and can be fenced.
            ...(region === REGION_A
                ? { FENCE_TABLE_NAME: AUTHORITY_TABLE, FENCE_TABLE_REGION: REGION_B.name, FENCE_ENDPOINT_URL: this.storage.servers(REGION_B).dynamoEndpoint }
                : {}),
        });
    }

    async stop(): Promise<void> {
        await Promise.all([this.primary?.stop(), this.secondary?.stop()]);
        await this.storage.stop();
    }

    /** Both regional endpoints, with their regions (the local URLs do not say). */
    endpoints(): EndpointsInput {
        return { primary: { url: this.primary.url, region: REGION_A.name }, secondary: { url: this.secondary.url, region: REGION_B.name } };
    }

    /** The merchant's authentication for this stack's mode: a fresh token per attempt, or its role session. */
    auth(): AuthInput {
        return this.authMode === "jwt"
            ? { type: "jwt", token: async () => issueToken(JWT_SECRET, { sub: "backend-of-merchant-42", merchant_id: MERCHANT, scope: TEST_SCOPES }) }
            : { type: "iam", credentials: MERCHANT_CREDENTIALS };
    }

    /** Sets the takeover authority: the primary refuses writes within its fence cache (2 s). */
    fence(): Promise<void> {
        return writeAuthority(this.storage.servers(REGION_B).dynamo, { region: REGION_B.name, tableName: AUTHORITY_TABLE }, true, new Date(), "test");
    }

    /** Clears the authority and waits out the primary's fence cache, so the next test starts unfenced. */
    async unfence(): Promise<void> {
        await writeAuthority(this.storage.servers(REGION_B).dynamo, { region: REGION_B.name, tableName: AUTHORITY_TABLE }, false, new Date(), "test");
        await new Promise((resolve) => setTimeout(resolve, FENCE_CACHE_MS + 200));
    }

    /** Global-table and S3 replication, both ways (last writer wins). */
    replicate(): Promise<void> {
        return this.storage.replicate();
    }

    /** Every transaction item (sk TXN) in one region's table. */
    async transactions(region: SimulatedRegion): Promise<Record<string, unknown>[]> {
        return (await this.storage.servers(region).scan(this.storage.tableName)).filter((item) => item.sk === "TXN");
    }
}

/** Registers before/after hooks (call inside `describe`) for the two-region API. */
export function useTwoRegionApi(authMode: "jwt" | "iam"): TwoRegionApi {
    const api = new TwoRegionApi(authMode);
    before(async function () {
        this.timeout(120_000);
        await api.start();
    });
    after(async () => api.stop());
    return api;
}
