import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { projectPath } from "../../lib/paths.js";
import { keySlot } from "../../lib/redis-slot.js";

const run = promisify(execFile);

// What the failover scenario does to the `make cluster-up` system (scripts/cluster.sh): it
// finds processes by the PID files that script and scripts/redis-cluster.sh keep, kills them
// with SIGKILL, and watches the cluster and the instances come back.

export type InstanceName = `${"flight-svc" | "booking-svc"}-${1 | 2}`;

// scripts/cluster.sh: instance j of service i listens on CLUSTER_INSTANCE_PORT + 2 i + j.
const SERVICE_INDEX = { "flight-svc": 0, "booking-svc": 1 } as const;
const INSTANCES = 2;

interface ClusterNode {
  id: string;
  port: number;
  master: boolean;
  /** The master's id, for a replica. */
  of: string | null;
  failed: boolean;
  slots: [number, number][];
}

/** CLUSTER NODES' lines: id, address, flags, master id, …, slot ranges. */
export function parseClusterNodes(text: string): ClusterNode[] {
  return text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const f = line.split(" ");
      const flags = (f[2] ?? "").split(",");
      const slots = f
        .slice(8)
        .filter((s) => /^\d+(-\d+)?$/.test(s))
        .map((s) => {
          const [a, b] = s.split("-").map(Number);
          return [a, b ?? a] as [number, number];
        });
      return {
        id: f[0] ?? "",
        port: Number((f[1] ?? "").split("@")[0]?.split(":")[1]),
        master: flags.includes("master"),
        of: f[3] === "-" ? null : (f[3] ?? null),
        failed: flags.includes("fail") || flags.includes("fail?"),
        slots,
      };
    });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, ms: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`${what} within ${ms / 1000} s`);
    await sleep(100);
  }
}

export class ClusterControls {
  private readonly runDir: string;

  constructor(
    runDir: string,
    /** host:port of every Redis node (REDIS_CLUSTER_NODES). */
    private readonly redisNodes: readonly string[],
    private readonly instancePort: number,
  ) {
    this.runDir = resolve(projectPath(), runDir);
  }

  private async pidIn(file: string): Promise<number> {
    const text = await readFile(file, "utf8").catch(() => "");
    const pid = Number(text.trim().split("\n")[0]);
    if (!Number.isInteger(pid) || pid <= 0) {
      throw new Error(`no PID in ${file}: is the topology running (make cluster-up)?`);
    }
    return pid;
  }

  private async nodes(): Promise<ClusterNode[]> {
    for (const address of this.redisNodes) {
      const [host, port] = address.split(":");
      const r = new Redis({
        host,
        port: Number(port),
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        connectTimeout: 500,
      });
      r.on("error", () => {});
      try {
        await r.connect();
        return parseClusterNodes((await r.call("CLUSTER", "NODES")) as string);
      } catch {
        // A dead node: ask the next one.
      } finally {
        r.disconnect();
      }
    }
    throw new Error(`no Redis node of ${this.redisNodes.join(",")} answers`);
  }

  /** The port of the master serving `key` now. */
  async masterOf(key: string): Promise<number> {
    const slot = keySlot(key);
    const node = (await this.nodes()).find(
      (n) => n.master && !n.failed && n.slots.some(([a, b]) => slot >= a && slot <= b),
    );
    if (!node) throw new Error(`no master serves slot ${slot}`);
    return node.port;
  }

  private redisPidFile(port: number): string {
    return join(this.runDir, "redis", String(port), "redis.pid");
  }

  /**
   * Replication is asynchronous: a failover may lose what the master acknowledged and had not
   * yet sent. To make that loss happen rather than hope for it, the master's replicas are
   * stopped (SIGSTOP) for `lagMs` while the master keeps acknowledging writes, then the master
   * is killed (SIGKILL) and the replicas resume without those writes. Returns the time of the kill.
   */
  async killMaster(port: number, lagMs: number): Promise<number> {
    const all = await this.nodes();
    const master = all.find((n) => n.port === port && n.master);
    if (!master) throw new Error(`Redis node ${port} is not a master`);
    const replicas = all.filter((n) => n.of === master.id && !n.failed);
    if (replicas.length === 0) throw new Error(`master ${port} has no replica to take over`);
    const replicaPids = await Promise.all(replicas.map((r) => this.pidIn(this.redisPidFile(r.port))));
    const masterPid = await this.pidIn(this.redisPidFile(port));
    for (const pid of replicaPids) process.kill(pid, "SIGSTOP");
    try {
      await sleep(lagMs);
      process.kill(masterPid, "SIGKILL");
      return performance.now();
    } finally {
      for (const pid of replicaPids) process.kill(pid, "SIGCONT");
    }
  }

  /** Waits until another node serves the killed master's slots and every live node says the cluster is ok. */
  async failedOver(port: number, ms: number): Promise<number> {
    return until(`no replica took over from Redis node ${port}`, ms, async () => {
      const all = await this.nodes();
      const promoted = all.find((n) => n.master && !n.failed && n.port !== port && n.slots.length > 0);
      const old = all.find((n) => n.port === port);
      if (!promoted || (old && old.slots.length > 0 && !old.failed)) return null;
      const states = await Promise.all(
        all
          .filter((n) => n.port !== port)
          .map(async (n) => {
            const r = new Redis({ port: n.port, lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500 });
            r.on("error", () => {});
            try {
              await r.connect();
              return /cluster_state:ok/.test((await r.call("CLUSTER", "INFO")) as string);
            } finally {
              r.disconnect();
            }
          }),
      );
      return states.every(Boolean) ? performance.now() : null;
    });
  }

  /**
   * Starts the killed node again (scripts/redis-cluster.sh up starts the nodes that are not
   * running); it rejoins as a replica of the master that replaced it, so the next failover has
   * a replica again.
   */
  async restartRedis(): Promise<void> {
    const [first] = this.redisNodes;
    await run(projectPath("scripts", "redis-cluster.sh"), ["up"], {
      cwd: projectPath(),
      env: {
        ...process.env,
        CLUSTER_DIR: join(this.runDir, "redis"),
        CLUSTER_PORT: (first ?? "").split(":")[1] ?? "",
        CLUSTER_MASTERS: String(this.redisNodes.length / 2),
        CLUSTER_REPLICAS: "1",
      },
    });
  }

  private instancePidFile(name: InstanceName): string {
    return join(this.runDir, "instances", `${name}.pid`);
  }

  private portOf(name: InstanceName): number {
    const service = name.slice(0, -2) as keyof typeof SERVICE_INDEX;
    return this.instancePort + INSTANCES * SERVICE_INDEX[service] + Number(name.slice(-1)) - 1;
  }

  /** SIGKILL to one instance (its process, not its supervisor). Returns its PID. */
  async killInstance(name: InstanceName): Promise<number> {
    const pid = await this.pidIn(this.instancePidFile(name));
    process.kill(pid, "SIGKILL");
    return pid;
  }

  /** Waits until the supervisor's new process of the instance answers /health. */
  async instanceBack(name: InstanceName, killed: number, ms: number): Promise<number> {
    const url = `http://127.0.0.1:${this.portOf(name)}/health`;
    return until(`${name} was not back`, ms, async () => {
      const pid = await this.pidIn(this.instancePidFile(name));
      if (pid === killed || !alive(pid)) return null;
      const r = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return r.ok ? performance.now() : null;
    });
  }
}
