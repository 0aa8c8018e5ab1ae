/**
 * Benchmarks the bundled transaction-processor against local DynamoDB (dynalite) and S3 (s3rver):
 * N sequential, then N concurrent POST /transactions through the exact bytes Lambda would run.
 *
 *   npm run bench:handler                  # N=500, concurrency 50
 *   BENCH_N=2000 BENCH_CONCURRENCY=100 npm run bench:handler
 *
 * Figures are for this machine and local emulators: use them to compare builds, not to size
 * production (dynalite and s3rver are far slower than the real services).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { randomUUID } from "crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { bundleFunction } from "../components/shared/function-bundle";
import { handlerEnv } from "../tests/handler/support/fixture";
import { jwtAuthorizer, postTransactionEvent, lambdaContext } from "../tests/handler/support/events";
import { LocalAws } from "../tests/handler/support/local-aws";

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const N = Number(process.env.BENCH_N ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const WARMUP = 20;

function percentile(sorted: readonly number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Scenario {
    readonly label: string;
    readonly expectedStatus: number;
    readonly event: () => APIGatewayProxyEventV2;
}

/** Every event carries what API Gateway's JWT authorizer adds: the verified claims, the tenant among them. */
const AUTHORIZER = jwtAuthorizer("bench");

/** A new transaction each time: PutItem, PutObject, UpdateItem. */
const CREATE: Omit<Scenario, "label"> = {
    expectedStatus: 201,
    event: () =>
        postTransactionEvent(
            { amount: 1250, currency: "EUR", merchantId: "bench", reference: `bench ${randomUUID()}`, metadata: { run: "bench" } },
            { idempotencyKey: `bench-${randomUUID()}`, authorizer: AUTHORIZER },
        ),
};

/** Rejected by validation: the handler's own cost, no I/O. */
const INVALID: Omit<Scenario, "label"> = {
    expectedStatus: 400,
    event: () =>
        postTransactionEvent({ amount: 12.5, currency: "EUR", merchantId: "bench" }, { idempotencyKey: `bench-${randomUUID()}`, authorizer: AUTHORIZER }),
};

async function timedCall(handler: Handler, scenario: Scenario, failures: Map<number, number>): Promise<number> {
    const event = scenario.event();
    const started = performance.now();
    const result = await handler(event, lambdaContext());
    const elapsed = performance.now() - started;
    const status = result.statusCode ?? 0;
    if (status !== scenario.expectedStatus) {
        failures.set(status, (failures.get(status) ?? 0) + 1);
    }
    return elapsed;
}

async function run(handler: Handler, scenario: Scenario, concurrency: number): Promise<void> {
    const latencies: number[] = [];
    const failures = new Map<number, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
        Array.from({ length: concurrency }, async () => {
            while (next < N) {
                next++;
                latencies.push(await timedCall(handler, scenario, failures));
            }
        }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const failed = [...failures].map(([status, count]) => `${count}×${status}`).join(", ") || "none";
    console.log(
        `${scenario.label.padEnd(40)} n=${N}  p50=${percentile(latencies, 50).toFixed(1)} ms  p99=${percentile(latencies, 99).toFixed(1)} ms  ` +
            `throughput=${(N / seconds).toFixed(0)} req/s  unexpected=${failed}`,
    );
}

async function main(): Promise<void> {
    const bundle = bundleFunction("transaction-processor");
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "payments-dr-bench-"));
    const file = path.join(directory, "index.js");
    fs.writeFileSync(file, bundle.code);

    const aws = await LocalAws.start();
    try {
        const tableName = "bench-transactions";
        const bucketName = "bench-receipts";
        await aws.createTable(tableName);
        await aws.createBucket(bucketName);
        // The function's environment, with access logs off: a thousand lines would drown the figures.
        const env = { ...handlerEnv(aws, tableName, bucketName), LOG_LEVEL: "warn" };
        for (const [name, value] of Object.entries(env)) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }

        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { handler } = require(file) as { handler: Handler };
        console.log(`bundle: ${(bundle.bytes / 1024).toFixed(1)} KiB (${bundle.bytes} bytes), sha256 ${bundle.sha256.slice(0, 12)}…`);

        const warmupFailures = new Map<number, number>();
        for (let i = 0; i < WARMUP; i++) {
            await timedCall(handler, { label: "warm-up", ...CREATE }, warmupFailures);
        }
        await run(handler, { label: "POST 201, sequential", ...CREATE }, 1);
        await run(handler, { label: `POST 201, ${CONCURRENCY} concurrent`, ...CREATE }, CONCURRENCY);
        await run(handler, { label: "POST 400 (validation only, no I/O)", ...INVALID }, 1);
        const items = await aws.scan(tableName);
        console.log(`items written: ${items.length} (expected ${WARMUP + 2 * N})`);
    } finally {
        await aws.stop();
        fs.rmSync(directory, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
