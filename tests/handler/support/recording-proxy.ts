import * as http from "http";
import type { AddressInfo } from "net";
import { closeServer } from "./local-aws";

export interface RecordedRequest {
    readonly method: string;
    readonly url: string;
    readonly headers: http.IncomingHttpHeaders;
}

/** An answer the proxy gives itself instead of forwarding: a service refusing a request. */
export interface InjectedFault {
    readonly status: number;
    readonly contentType: string;
    readonly body: string;
}

/**
 * An HTTP pass-through in front of a local service that records every request line and its
 * headers: lets tests see what went over the wire (e.g. the SSE-KMS headers s3rver ignores).
 */
export class RecordingProxy {
    readonly requests: RecordedRequest[] = [];
    private readonly agent = new http.Agent({ keepAlive: false });
    private readonly server: http.Server;
    private port = 0;
    private fault?: (request: RecordedRequest) => InjectedFault | undefined;

    private constructor(private readonly targetPort: number) {
        this.server = http.createServer((incoming, outgoing) => this.forward(incoming, outgoing));
    }

    static async start(targetPort: number): Promise<RecordingProxy> {
        const proxy = new RecordingProxy(targetPort);
        await new Promise<void>((resolve, reject) => {
            proxy.server.once("error", reject);
            proxy.server.listen(0, "127.0.0.1", () => resolve());
        });
        proxy.port = (proxy.server.address() as AddressInfo).port;
        return proxy;
    }

    get endpoint(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    /** From now on, answer the requests `fault` picks with its answer (e.g. writes refused, reads served). */
    injectFault(fault: (request: RecordedRequest) => InjectedFault | undefined): void {
        this.fault = fault;
    }

    /** Requests whose method is `method` and, if given, whose `x-amz-target` header ends with `target`. */
    count(method: string, target?: string): number {
        return this.requests.filter((r) => r.method === method && (target === undefined || String(r.headers["x-amz-target"] ?? "").endsWith(`.${target}`)))
            .length;
    }

    private forward(incoming: http.IncomingMessage, outgoing: http.ServerResponse): void {
        const request: RecordedRequest = { method: incoming.method ?? "", url: incoming.url ?? "", headers: incoming.headers };
        this.requests.push(request);
        const injected = this.fault?.(request);
        if (injected !== undefined) {
            incoming.resume();
            incoming.on("end", () => {
                outgoing.writeHead(injected.status, { "content-type": injected.contentType }).end(injected.body);
            });
            return;
        }
        const upstream = http.request(
            {
                host: "127.0.0.1",
                port: this.targetPort,
                method: incoming.method,
                path: incoming.url,
                headers: incoming.headers,
                agent: this.agent,
            },
            (response) => {
                outgoing.writeHead(response.statusCode ?? 502, response.headers);
                response.pipe(outgoing);
            },
        );
        upstream.on("error", () => outgoing.writeHead(502).end());
        incoming.pipe(upstream);
    }

    async stop(): Promise<void> {
        await closeServer(this.server);
        this.agent.destroy();
    }
}
