import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { freePort } from "./free-port.js";

/**
 * A private redis-server the test can stop and start again on the same port, to see how the
 * services behave while Redis is down.
 */
export class DisposableRedis {
  private proc: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<DisposableRedis> {
    const r = new DisposableRedis(await freePort());
    await r.startAgain();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async startAgain(): Promise<void> {
    const proc = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    this.proc = proc;
    let out = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    for (let i = 0; i < 100 && !out.includes("Ready to accept connections"); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!out.includes("Ready to accept connections")) throw new Error(`redis-server did not start:\n${out}`);
  }

  /** Stops the server's process without closing its connections: a Redis that stalls. */
  freeze(): void {
    this.proc?.kill("SIGSTOP");
  }

  thaw(): void {
    this.proc?.kill("SIGCONT");
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    proc.kill("SIGCONT");
    proc.kill("SIGTERM");
    await once(proc, "exit");
    this.proc = undefined;
  }
}
