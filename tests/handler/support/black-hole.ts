import * as net from "net";
import type { AddressInfo } from "net";

/** A TCP endpoint that accepts connections and never answers: a dependency that hangs. */
export class BlackHole {
    private readonly sockets = new Set<net.Socket>();
    private readonly server = net.createServer((socket) => {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => undefined);
    });

    static async start(): Promise<BlackHole> {
        const hole = new BlackHole();
        await new Promise<void>((resolve) => hole.server.listen(0, "127.0.0.1", resolve));
        return hole;
    }

    get endpoint(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        for (const socket of this.sockets) {
            socket.destroy();
        }
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}
