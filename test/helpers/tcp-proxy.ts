import { once } from "node:events";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { freePort } from "./free-port.js";

/**
 * A TCP forwarder in front of a real server (PostgreSQL) that a test can cut, as if the server
 * stopped: every connection drops and new ones are refused until restore(). The server itself
 * keeps running for the other tests. `watch`, if given, sees each chunk a client sends, as it is
 * forwarded (a test that cuts at a given statement).
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly targetPort: number,
    private readonly watch: ((chunk: Buffer) => void) | null,
  ) {}

  static async start(targetPort: number, watch: ((chunk: Buffer) => void) | null = null): Promise<TcpProxy> {
    const p = new TcpProxy(await freePort(), targetPort, watch);
    await p.restore();
    return p;
  }

  /** `url` with its port replaced by the proxy's. */
  via(url: string): string {
    const u = new URL(url);
    u.port = String(this.port);
    return u.toString();
  }

  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = createConnection({ host: "127.0.0.1", port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
      const watch = this.watch;
      if (watch) client.on("data", (chunk: Buffer) => watch(chunk));
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    server.listen(this.port, "127.0.0.1");
    await once(server, "listening");
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
