import * as http from "http";
import type { AddressInfo } from "net";
import { closeServer } from "../../handler/support/local-aws";

/** A request as the router saw it: the service and region its SigV4 signature is scoped to. */
export interface RoutedCall {
    readonly service: string;
    readonly region: string;
    readonly target: string;
}

/**
 * One local endpoint for every AWS service and region, for a process the test cannot inject clients into (a
 * bundled DR tool run with `AWS_ENDPOINT_URL` pointing here). Each request goes where `route` says for the
 * service and region its signature names (`Credential=<key>/<date>/<region>/<service>/aws4_request`): a local
 * stand-in, or a black hole (then this router never answers either).
 */
export class RegionRouter {
    readonly calls: RoutedCall[] = [];
    private constructor(private readonly server: http.Server) {}

    get endpoint(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    static async start(route: (service: string, region: string) => string): Promise<RegionRouter> {
        const created: { router?: RegionRouter } = {};
        const server = http.createServer((request, response) => {
            const scope = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(String(request.headers.authorization ?? ""));
            const [service, region] = scope ? [scope[2], scope[1]] : ["unsigned", "none"];
            const target = route(service, region);
            created.router!.calls.push({ service, region, target });
            const upstream = http.request(`${target}${request.url ?? "/"}`, { method: request.method, headers: request.headers }, (answer) => {
                response.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(response);
            });
            upstream.on("error", () => response.destroy());
            request.pipe(upstream);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        created.router = new RegionRouter(server);
        return created.router;
    }

    async stop(): Promise<void> {
        await closeServer(this.server);
    }
}
