import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { projectPath } from "../../lib/paths.js";
import { createSql } from "../../lib/postgres-plugin.js";
import type { Controls, ServiceName } from "./faults.js";

// The system `make chaos` runs on this machine: the four services from dist/, each as its own
// process under scripts/supervise.sh, and the Redis and PostgreSQL of scripts/infra.sh (its
// RUN_DIR and ports come from the environment scripts/chaos.sh set up).

export const SERVICES: readonly ServiceName[] = ["user-svc", "flight-svc", "booking-svc", "payment-mock"];

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > until) throw new Error(`process ${pid} did not exit within ${ms} ms`);
    await sleep(50);
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const child = spawn(cmd, args, { cwd: projectPath(), env, stdio: ["ignore", "ignore", "inherit"] });
  return once(child, "exit").then(([code]) => {
    if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${code}`);
  });
}

export class LocalSystem implements Controls {
  private readonly supervisors = new Map<ServiceName, ChildProcess>();
  private readonly killed = new Map<ServiceName, number>();

  constructor(
    private readonly dir: string,
    private readonly redis: Redis,
    private readonly flightsDatabaseUrl: string,
    private readonly urls: Record<ServiceName, string>,
  ) {}

  logPath(name: ServiceName): string {
    return join(this.dir, "logs", `${name}.log`);
  }

  private pidPath(name: ServiceName): string {
    return join(this.dir, `${name}.pid`);
  }

  /** Starts every service under its supervisor, logs appended to <dir>/logs/<name>.log. */
  async startServices(): Promise<void> {
    await mkdir(join(this.dir, "logs"), { recursive: true });
    for (const name of SERVICES) {
      const log = openSync(this.logPath(name), "a");
      const child = spawn(
        projectPath("scripts", "supervise.sh"),
        ["--pid-file", this.pidPath(name), name, process.execPath, projectPath("dist", name, "server.js")],
        { cwd: projectPath(), stdio: ["ignore", log, log] },
      );
      closeSync(log);
      this.supervisors.set(name, child);
    }
  }

  /** SIGTERM to every supervisor (each stops its service), then waits for them. */
  async stopServices(): Promise<void> {
    await Promise.all(
      [...this.supervisors.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        await exited;
      }),
    );
    this.supervisors.clear();
  }

  /** Supervisors that are no longer running (none should be while the harness runs). */
  stoppedSupervisors(): ServiceName[] {
    return [...this.supervisors].filter(([, c]) => c.exitCode !== null || c.signalCode !== null).map(([n]) => n);
  }

  /** Size of each service log now, to read only what a run adds. */
  async logMarks(): Promise<Map<ServiceName, number>> {
    const marks = new Map<ServiceName, number>();
    for (const name of SERVICES) marks.set(name, (await stat(this.logPath(name)).catch(() => ({ size: 0 }))).size);
    return marks;
  }

  /** Restarts each supervisor logged since `marks`: "died (exit N)" lines per service. */
  async restartsSince(marks: Map<ServiceName, number>): Promise<Map<ServiceName, string[]>> {
    const out = new Map<ServiceName, string[]>();
    for (const name of SERVICES) {
      const text = (await readFile(this.logPath(name))).subarray(marks.get(name) ?? 0).toString();
      out.set(
        name,
        text.split("\n").filter((l) => l.startsWith(`supervise: ${name}: died`)),
      );
    }
    return out;
  }

  async killService(name: ServiceName): Promise<void> {
    const pid = Number(await readFile(this.pidPath(name), "utf8"));
    process.kill(pid, "SIGKILL");
    this.killed.set(name, pid);
    await gone(pid, 5_000);
  }

  async serviceBack(name: ServiceName): Promise<void> {
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      const pid = Number(await readFile(this.pidPath(name), "utf8").catch(() => "0"));
      const ready =
        pid !== 0 &&
        pid !== this.killed.get(name) &&
        (await fetch(`${this.urls[name]}/ready`).then(
          (r) => r.ok,
          () => false,
        ));
      if (ready) return;
      await sleep(25);
    }
    throw new Error(`${name} did not come back within 60 s`);
  }

  async stopPostgres(): Promise<void> {
    const sql = createSql(this.flightsDatabaseUrl, 1);
    let dir: string;
    try {
      const [row] = await sql<{ data_directory: string }[]>`SHOW data_directory`;
      dir = row?.data_directory ?? "";
    } finally {
      await sql.end({ timeout: 1 });
    }
    const pid = Number((await readFile(join(dir, "postmaster.pid"), "utf8")).split("\n")[0]);
    // SIGINT to the postmaster is PostgreSQL's fast shutdown: sessions are terminated at once.
    process.kill(pid, "SIGINT");
    await gone(pid, 30_000);
  }

  async killRedis(): Promise<void> {
    const info = (await this.redis.info("server")) as string;
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    if (!pid) throw new Error("redis INFO named no process_id");
    process.kill(pid, "SIGKILL");
    await gone(pid, 5_000);
  }

  async flushRedis(): Promise<void> {
    await this.redis.flushall();
  }

  async pauseRedisWrites(ms: number): Promise<void> {
    await this.redis.call("CLIENT", "PAUSE", ms, "WRITE");
  }

  async unpauseRedis(): Promise<void> {
    await this.redis.call("CLIENT", "UNPAUSE");
  }

  startInfra(): Promise<void> {
    // With the URLs set infra.sh would take the servers as someone else's and start nothing.
    const env = { ...process.env, REDIS_URL: "", FLIGHTS_DATABASE_URL: "", BOOKINGS_DATABASE_URL: "" };
    return run(projectPath("scripts", "infra.sh"), ["up"], env);
  }
}
