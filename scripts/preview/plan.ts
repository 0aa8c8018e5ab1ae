/**
 * The stable plan `--json` writes: every resource sorted by URN with its resolved inputs, secrets redacted and
 * assets replaced by content hashes, keys sorted, no timestamps. Two runs on the same sources write the same
 * bytes, so the file can be diffed in review.
 */
import * as crypto from "crypto";
import { promises as fs } from "fs";
import * as pulumi from "@pulumi/pulumi";
import { isWireSecret } from "../../policy/rules/view";

/** What the plan needs of a recorded resource. */
export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly region?: string;
    readonly parentUrn?: string;
    readonly protect: boolean;
    readonly retainOnDelete?: boolean;
    readonly inputs: Record<string, unknown>;
}

export interface PlanEntry {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly region: string | null;
    readonly parent: string | null;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly inputs: unknown;
}

export interface Plan {
    readonly stack: string;
    readonly resources: readonly PlanEntry[];
}

/** Input names whose values never appear in a plan. */
export const SENSITIVE_KEY = /password|secret|token|privateKey/i;
export const REDACTED = "[redacted]";
export const SECRET = "[secret]";

function sha256(data: string | Buffer): string {
    return `sha256:${crypto.createHash("sha256").update(data).digest("hex")}`;
}

/** An asset as its content hash (StringAsset, FileAsset) or its URI (RemoteAsset). */
async function describeAsset(asset: pulumi.asset.Asset): Promise<string> {
    const a = asset as unknown as { text?: Promise<string>; path?: Promise<string>; uri?: Promise<string> };
    if (a.text !== undefined) {
        return sha256(await a.text);
    }
    if (a.path !== undefined) {
        const path = await a.path;
        try {
            return sha256(await fs.readFile(path));
        } catch {
            return `file:${path}`;
        }
    }
    return `uri:${await a.uri}`;
}

/** An archive as `{ archive: <hash of its entries>, entries: { name: hash } }`. */
async function describeArchive(archive: pulumi.asset.Archive): Promise<unknown> {
    const a = archive as unknown as {
        assets?: Promise<Record<string, pulumi.asset.Asset | pulumi.asset.Archive>>;
        path?: Promise<string>;
        uri?: Promise<string>;
    };
    if (a.assets !== undefined) {
        const assets = await a.assets;
        const entries: Record<string, unknown> = {};
        for (const name of Object.keys(assets).sort()) {
            entries[name] = await planValue(assets[name], name);
        }
        return { archive: sha256(JSON.stringify(entries)), entries };
    }
    if (a.path !== undefined) {
        const path = await a.path;
        try {
            return { archive: sha256(await fs.readFile(path)) };
        } catch {
            return { archive: `file:${path}` };
        }
    }
    return { archive: `uri:${await a.uri}` };
}

const isAsset = (v: unknown): boolean => pulumi.asset.Asset.isInstance(v);
const isArchive = (v: unknown): boolean => pulumi.asset.Archive.isInstance(v);

/** One input value as it appears in the plan. `key` is the property name the value sits under. */
export async function planValue(value: unknown, key = ""): Promise<unknown> {
    if (value === undefined) {
        return undefined;
    }
    if (key !== "" && SENSITIVE_KEY.test(key)) {
        return REDACTED;
    }
    if (isWireSecret(value)) {
        return SECRET;
    }
    if (isAsset(value)) {
        return describeAsset(value as pulumi.asset.Asset);
    }
    if (isArchive(value)) {
        return describeArchive(value as pulumi.asset.Archive);
    }
    if (Array.isArray(value)) {
        return Promise.all(value.map((v) => planValue(v)));
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value).sort()) {
            const v = await planValue((value as Record<string, unknown>)[k], k);
            if (v !== undefined) {
                out[k] = v;
            }
        }
        return out;
    }
    return value;
}

export async function buildPlan(stack: string, resources: readonly PlanResource[]): Promise<Plan> {
    const sorted = [...resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    const entries: PlanEntry[] = [];
    for (const r of sorted) {
        entries.push({
            urn: r.urn,
            type: r.type,
            name: r.name,
            region: r.region ?? null,
            parent: r.parentUrn ?? null,
            protect: r.protect,
            retainOnDelete: r.retainOnDelete ?? false,
            inputs: await planValue(r.inputs),
        });
    }
    return { stack, resources: entries };
}

export function planJson(plan: Plan): string {
    return `${JSON.stringify(plan, null, 2)}\n`;
}
