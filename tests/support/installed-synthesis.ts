/**
 * Run by tests/npm-package.test.ts in a process of its own (the installed package brings its own copies of the
 * Pulumi SDKs, kept out of the mocha process): `node -r ts-node/register/transpile-only installed-synthesis.ts
 * <program> <project> <config JSON>` synthesizes the program under the mocked runtime and prints one JSON
 * document: each resource's type, name, region and Lambda code (hashed), the dynamic providers, the outputs.
 */
import * as crypto from "crypto";
import * as dns from "dns";
import { MOCK_ZONE_NAME_SERVERS } from "../../scripts/synth/mock-state";
import { synthesize } from "../../scripts/synth/synthesize";

export interface InstalledResource {
    readonly type: string;
    readonly name: string;
    readonly region?: string;
    /** SHA-256 of the `index.js` of a Lambda function's code archive. */
    readonly codeSha256?: string;
    /** A dynamic resource's serialized provider (what the engine runs at deploy time). */
    readonly dynamicProvider?: string;
    readonly replicaRegions?: string[];
}

export interface InstalledSynthesis {
    readonly resources: InstalledResource[];
    readonly outputs: Record<string, unknown>;
    /** Domains the program asked public DNS about (answered here, never sent). */
    readonly dnsQueries: string[];
}

async function main(program: string, project: string, config: Record<string, string>): Promise<InstalledSynthesis> {
    // The installed package has its own copy of the delegation check: answer its public-DNS query here, as the
    // mocked runtime does for the repository's copy, so nothing leaves this machine.
    const dnsQueries: string[] = [];
    dns.promises.resolveNs = async (domain: string) => {
        dnsQueries.push(domain);
        return [...MOCK_ZONE_NAME_SERVERS];
    };
    const synthesis = await synthesize("dev", config, project, { program });
    const resources: InstalledResource[] = [];
    for (const r of synthesis.resources) {
        let codeSha256: string | undefined;
        if (r.type === "aws:lambda/function:Function" && r.inputs.code) {
            const assets = (await r.inputs.code.assets) as Record<string, { text: Promise<string> }>;
            codeSha256 = crypto
                .createHash("sha256")
                .update(await assets["index.js"].text)
                .digest("hex");
        }
        resources.push({
            type: r.type,
            name: r.name,
            region: r.region,
            codeSha256,
            dynamicProvider: typeof r.inputs.__provider === "string" ? r.inputs.__provider : undefined,
            replicaRegions: Array.isArray(r.inputs.replicas) ? r.inputs.replicas.map((replica: { regionName: string }) => replica.regionName) : undefined,
        });
    }
    return { resources, outputs: synthesis.outputs as Record<string, unknown>, dnsQueries };
}

const [program, project, config] = process.argv.slice(2);
main(program, project, JSON.parse(config)).then(
    (result) => {
        process.stdout.write(JSON.stringify(result));
        // The runtime keeps handles open after a mocked run: end here, as the CLI's language host would.
        process.exit(0);
    },
    (err: unknown) => {
        process.stderr.write(`installed-synthesis: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
