import * as http from "http";
import type { AddressInfo } from "net";
import { closeServer } from "./local-aws";

/** What the stand-in answers to DescribeAlarms. */
export type SignalMode = "OK" | "ALARM" | "INSUFFICIENT_DATA" | "no-such-alarm" | "server-error" | "slow";

/**
 * A local stand-in for CloudWatch in the standby region: answers DescribeAlarms (AWS JSON 1.0, the protocol
 * the SDK's CloudWatch client speaks) with every requested alarm in the state the test sets, and counts reads.
 */
export class SignalStandIn {
    mode: SignalMode = "OK";
    /** When set, the alarm follows each PutMetricData at once (ALARM for a value of at least 1, else OK), as the real one does after a period. */
    followPublished = false;
    reads = 0;
    /** PutMetricData request bodies, in order. */
    readonly published: any[] = [];
    readonly targets: string[] = [];
    private constructor(
        private readonly server: http.Server,
        readonly port: number,
    ) {}

    get endpoint(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    static async start(): Promise<SignalStandIn> {
        const created: { standIn?: SignalStandIn } = {};
        const server = http.createServer((request, response) => {
            let body = "";
            request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
            request.on("end", () => created.standIn!.answer(request, body, response));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        created.standIn = new SignalStandIn(server, (server.address() as AddressInfo).port);
        return created.standIn;
    }

    private answer(request: http.IncomingMessage, body: string, response: http.ServerResponse): void {
        const target = String(request.headers["x-amz-target"] ?? "");
        const send = (status: number, payload: object) => {
            response.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
            response.end(JSON.stringify(payload));
        };
        if (target.endsWith(".PutMetricData")) {
            const published = JSON.parse(body);
            this.published.push(published);
            const value = published?.MetricData?.[0]?.Value;
            if (this.followPublished && typeof value === "number") {
                this.mode = value >= 1 ? "ALARM" : "OK";
            }
            send(200, {});
            return;
        }
        this.reads += 1;
        this.targets.push(target);
        if (this.mode === "server-error") {
            send(500, { __type: "InternalServiceFault", message: "stand-in failure" });
            return;
        }
        if (this.mode === "slow") {
            setTimeout(() => send(200, { MetricAlarms: [] }), 3_000).unref();
            return;
        }
        const requested = (JSON.parse(body || "{}") as { AlarmNames?: string[] }).AlarmNames ?? [];
        const alarms = this.mode === "no-such-alarm" ? [] : requested.map((name) => ({ AlarmName: name, StateValue: this.mode, StateReason: "stand-in" }));
        send(200, { MetricAlarms: alarms, CompositeAlarms: [] });
    }

    async stop(): Promise<void> {
        await closeServer(this.server);
    }
}
