import * as http from "http";
import type { AddressInfo } from "net";
import { closeServer } from "./local-aws";

export interface RecordedRequest {
    readonly method: string;
    readonly url: string;
    readonly headers: http.IncomingHttpHeaders;
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

    private forward(incoming: http.IncomingMessage, outgoing: http.ServerResponse): void {
        this.requests.push({ method: incoming.method ?? "", url: incoming.url ?? "", headers: incoming.headers });
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
