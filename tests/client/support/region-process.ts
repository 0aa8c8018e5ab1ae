import * as http from "http";
import type { AddressInfo } from "net";
import { Gateway, type GatewayCommand, type GatewayConfig } from "./gateway";

/**
 * A region's API in its own process (`fork`ed by regional-api.ts): the functions read their configuration from
 * the process environment, so each region needs its own, as each Lambda container has. Reports its port, then
 * takes commands over IPC; exits when the parent goes away.
 */
const config = JSON.parse(process.env.GATEWAY_CONFIG ?? "{}") as GatewayConfig;
const gateway = new Gateway(config);
const server = http.createServer((request, response) => {
    gateway.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ message: `gateway: ${String(error)}` }));
    });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ type: "ready", port: (server.address() as AddressInfo).port }));
process.on("message", (message: { id: number; command: GatewayCommand }) => {
    gateway.command(message.command).then(
        (result) => process.send?.({ type: "reply", id: message.id, result }),
        (error: unknown) => process.send?.({ type: "reply", id: message.id, error: String(error) }),
    );
});
process.on("disconnect", () => process.exit(0));
