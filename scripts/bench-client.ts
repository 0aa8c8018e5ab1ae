/**
 * How fast a merchant's payments recover with the client (@payments-dr/client) that knows both regions, against
 * the DNS path's computed times for the committed stacks. The client pays continuously against two local regions
 * (the real functions, dynalite, s3rver: tests/client/support/regional-api.ts); the primary is then fenced (the
 * takeover signal) or black-holed (accepts, never answers); the figure is the time from that moment to the first
 * 2xx in the secondary.
 *
 *   npm run bench:client              # 5 runs of each
 *   BENCH_RUNS=10 npm run bench:client
 *
 * Measured on this machine against local servers: the client's own logic (detection, switch, retry) is what is
 * timed; a real region adds its network round trips.
 */
import { randomUUID } from "crypto";
import { PaymentsClient, type CreateResult } from "@payments-dr/client";
import { parseStackSettings } from "../program/config";
import { CONFIG_NAMESPACE } from "../program/config-keys";
import { computeRecoveryObjectives } from "../program/objectives";
import { computeTakeoverObjectives } from "../program/takeover-objectives";
import { REGION_B } from "../tests/handler/support/two-regions";
import { TwoRegionApi } from "../tests/client/support/regional-api";
import { projectConfig } from "./preview/run";
import { readStackConfigFile } from "./synth/stack-config";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Merchants paying at once, each one payment after another. */
const PAYERS = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pays continuously; `fault` strikes after a warm-up; returns ms from the fault to the first 2xx in the secondary. */
async function recovery(api: TwoRegionApi, fault: () => Promise<void>, heal: () => Promise<void>): Promise<number> {
    const client = new PaymentsClient({ endpoints: api.endpoints(), auth: api.auth() });
    const timeline: { faultAt?: number; recoveredAt?: number } = {};
    const pay = async () => {
        while (timeline.recoveredAt === undefined) {
            const result: CreateResult = await client.createTransaction({ amount: 100, currency: "EUR", reference: `bench ${randomUUID().slice(0, 8)}` });
            if (timeline.faultAt !== undefined && result.region === REGION_B.name) {
                timeline.recoveredAt ??= Date.now();
            }
        }
    };
    const payers = Promise.all(Array.from({ length: PAYERS }, pay));
    await sleep(500);
    await fault();
    timeline.faultAt = Date.now();
    await payers;
    await heal();
    return timeline.recoveredAt! - timeline.faultAt;
}

function summary(label: string, samples: readonly number[]): string {
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    return `  ${label.padEnd(28)} median ${(median / 1000).toFixed(2)} s   min ${(sorted[0] / 1000).toFixed(2)} s   max ${(sorted.at(-1)! / 1000).toFixed(2)} s   (${samples.length} runs)`;
}

async function main(): Promise<void> {
    const api = new TwoRegionApi("jwt");
    await api.start();
    const fenced: number[] = [];
    const blackHoled: number[] = [];
    const boundMs = new PaymentsClient({ endpoints: api.endpoints(), auth: api.auth() }).regionSwitchBoundMs;
    try {
        for (let run = 0; run < RUNS; run++) {
            fenced.push(
                await recovery(
                    api,
                    async () => api.fence(),
                    () => api.unfence(),
                ),
            );
            blackHoled.push(
                await recovery(
                    api,
                    async () => void (await api.primary.command({ type: "black-hole", on: true })),
                    async () => void (await api.primary.command({ type: "black-hole", on: false })),
                ),
            );
        }
    } finally {
        await api.stop();
    }

    console.log(`Client-observed recovery (fault → first 2xx in the secondary; ${PAYERS} merchants paying continuously, local regions)`);
    console.log(summary("primary fenced", fenced));
    console.log(summary("primary black-holed", blackHoled));
    console.log(`  (the client's stated bound for a dead region: ${(boundMs / 1000).toFixed(1)} s, then one request in the secondary)`);
    console.log("");
    console.log("DNS path, computed from each stack's settings (program/objectives.ts, program/takeover-objectives.ts)");
    for (const stack of ["dev", "prod"]) {
        const settings = parseStackSettings(projectConfig(readStackConfigFile(stack).config), CONFIG_NAMESPACE, stack);
        const objectives = computeRecoveryObjectives(settings);
        const takeover = computeTakeoverObjectives(settings);
        console.log(
            `  ${stack.padEnd(5)} failure: clients reach the secondary within ${objectives.rtoSeconds} s (worst case: detection, check timeout, ` +
                `aggregation, ${objectives.dnsTtlSeconds} s TTL); takeover: the primary is fenced ${takeover.alarmSeconds}-${takeover.fencedSeconds} s ` +
                `after the signal, DNS clients reach the secondary by ${takeover.clientsSeconds} s (up to ${takeover.clientsSeconds - takeover.alarmSeconds} s of REGION_FENCED)`,
        );
    }
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        console.error(error);
        process.exit(1);
    },
);
