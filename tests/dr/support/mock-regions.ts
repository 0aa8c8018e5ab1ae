import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import {
    CloudWatchClient,
    DescribeAlarmsCommand,
    PutMetricDataCommand,
    type DescribeAlarmsCommandInput,
    type PutMetricDataCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue, type PutItemCommandInput } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { COMMAND_ACTIONS } from "../../../components/takeover/dr-script-actions";
import type { RegionalClients } from "../../../scripts/dr/clients";
import type { DrCliDeps } from "../../../scripts/dr/cli";
import type { AnswerProbe } from "../../../scripts/dr/who-answers";

type Service = "cloudwatch" | "dynamodb" | "s3";
const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "test" };

/**
 * The DR scripts' clients, one real SDK client per service and region, each mocked at the client level
 * (aws-sdk-client-mock). Records which clients a script asked for and every command it sent.
 */
export class MockRegions implements RegionalClients {
    readonly requested: string[] = [];
    private readonly stubs = new Map<string, AwsStub<any, any, any>>();
    private readonly clients = new Map<string, CloudWatchClient | DynamoDBClient | S3Client>();

    private client(service: Service, region: string) {
        const key = `${service}:${region}`;
        let client = this.clients.get(key);
        if (client === undefined) {
            const options = { region, credentials: CREDENTIALS, maxAttempts: 1 };
            client = service === "cloudwatch" ? new CloudWatchClient(options) : service === "dynamodb" ? new DynamoDBClient(options) : new S3Client(options);
            this.clients.set(key, client);
            this.stubs.set(key, mockClient(client as any));
        }
        return client;
    }

    /** The stub of a service in a region, to arrange answers. */
    mock(service: Service, region: string): AwsStub<any, any, any> {
        this.client(service, region);
        return this.stubs.get(`${service}:${region}`)!;
    }

    cloudwatch(region: string): CloudWatchClient {
        this.requested.push(`cloudwatch:${region}`);
        return this.client("cloudwatch", region) as CloudWatchClient;
    }
    dynamodb(region: string): DynamoDBClient {
        this.requested.push(`dynamodb:${region}`);
        return this.client("dynamodb", region) as DynamoDBClient;
    }
    s3(region: string): S3Client {
        this.requested.push(`s3:${region}`);
        return this.client("s3", region) as S3Client;
    }
    destroy(): void {
        // The test owns the clients; nothing to close (mocked clients open no sockets).
    }

    /** `<service>:<region> <Command>` for every command sent, in order per client. */
    sent(): string[] {
        return [...this.stubs.entries()].flatMap(([key, stub]) => stub.calls().map((call) => `${key} ${(call.args[0] as object).constructor.name}`));
    }

    /** The IAM actions of every command sent (components/takeover/dr-script-actions.ts), deduplicated. */
    sentActions(): string[] {
        const actions = this.sent().flatMap((line) => {
            const command = line.split(" ")[1];
            const mapped = COMMAND_ACTIONS[command];
            if (mapped === undefined) {
                throw new Error(`${command} has no IAM mapping in COMMAND_ACTIONS`);
            }
            return mapped;
        });
        return [...new Set(actions)].sort();
    }

    /** Every call of a region fails as an unreachable endpoint would. */
    unreachable(region: string): void {
        const error = Object.assign(new Error(`connect ECONNREFUSED (${region})`), { code: "ECONNREFUSED" });
        for (const service of ["cloudwatch", "dynamodb", "s3"] as const) {
            this.mock(service, region).onAnyCommand().rejects(error);
        }
    }
}

/**
 * The takeover alarm in the standby region, simulated: PutMetricData records the value; DescribeAlarms
 * reports the state that value gives after `lagReads` reads (CloudWatch evaluates once per period).
 */
export class SimulatedSignal {
    state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
    changedAt = new Date("2026-11-28T17:00:00Z");
    published: PutMetricDataCommandInput[] = [];
    /** The takeover authority beside it (contracts/takeover-authority.ts): set while a takeover is recorded. */
    readonly authority: SimulatedAuthority;
    private readsSincePublish = 0;

    constructor(
        regions: MockRegions,
        region: string,
        initial: "OK" | "ALARM" | "INSUFFICIENT_DATA",
        private readonly lagReads = 1,
    ) {
        this.state = initial;
        this.authority = new SimulatedAuthority(regions, region, initial === "ALARM");
        const stub = regions.mock("cloudwatch", region);
        stub.on(PutMetricDataCommand).callsFake((input: PutMetricDataCommandInput) => {
            // The alarm's clock restarts only when the value changes: a republished value is the same signal.
            if (this.published.at(-1)?.MetricData?.[0]?.Value !== input.MetricData?.[0]?.Value) {
                this.readsSincePublish = 0;
            }
            this.published.push(input);
            return {};
        });
        stub.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => {
            const last = this.published.at(-1)?.MetricData?.[0]?.Value;
            if (last !== undefined && this.readsSincePublish++ >= this.lagReads) {
                const next = last >= 1 ? "ALARM" : "OK";
                if (next !== this.state) {
                    this.state = next;
                    this.changedAt = new Date("2026-11-28T18:00:00Z");
                }
            }
            return {
                MetricAlarms: (input.AlarmNames ?? []).map((AlarmName) => ({ AlarmName, StateValue: this.state, StateUpdatedTimestamp: this.changedAt })),
            };
        });
    }
}

/** The takeover authority's item in the standby region's DynamoDB: GetItem answers it, PutItem replaces it. */
export class SimulatedAuthority {
    readonly writes: PutItemCommandInput[] = [];
    private item?: Record<string, AttributeValue>;

    constructor(regions: MockRegions, region: string, initiallySet: boolean) {
        if (initiallySet) {
            this.item = { pk: { S: "TAKEOVER" }, state: { S: "set" }, changedAt: { S: "2026-11-28T17:00:00.000Z" }, changedBy: { S: "npm run failover" } };
        }
        const stub = regions.mock("dynamodb", region);
        stub.on(GetItemCommand).callsFake(() => (this.item === undefined ? {} : { Item: this.item }));
        stub.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
            this.writes.push(input);
            this.item = input.Item;
            return {};
        });
    }

    get set(): boolean {
        return this.item?.state?.S === "set";
    }
}

/** Clock, sleep, output capture, and a DNS probe that follows the simulated signal. */
export function fakeDeps(regions: MockRegions, outputsText: string, answer: () => "primary" | "secondary") {
    let clock = Date.parse("2026-11-28T18:30:00Z");
    const captured = { stdout: "", stderr: "" };
    const probe: AnswerProbe = {
        resolveCname: async () => [answer() === "primary" ? "p1.execute-api.us-east-1.amazonaws.com." : "s2.execute-api.us-west-2.amazonaws.com."],
        fetchHealth: async () => ({ role: answer() }),
    };
    const deps: Partial<DrCliDeps> = {
        clients: () => regions,
        readFile: async () => outputsText,
        stdout: (t) => (captured.stdout += t),
        stderr: (t) => (captured.stderr += t),
        env: {},
        now: () => clock,
        sleep: async (ms) => {
            clock += ms;
        },
        probe,
        // No terminal unless a test gives one; a fixed operator for the record of a forced step.
        prompt: async () => undefined,
        operator: () => "alice@ops-laptop",
    };
    return { deps, captured, advance: (ms: number) => (clock += ms), now: () => clock };
}
