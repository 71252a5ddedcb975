import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { projectPath } from "../../lib/paths.js";
import { keySlot } from "../../lib/redis-slot.js";
import { alive } from "../chaos/local-system.js";

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

async function until<T>(what: string, ms: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`${what} within ${ms / 1000} s`);
    await sleep(100);
  }
}

export interface ClusterLayout {
  /** scripts/cluster.sh's folder (CLUSTER_RUN_DIR): the instances' PID files. */
  runDir: string;
  /** scripts/redis-cluster.sh's folder (CLUSTER_DIR): <port>/redis.pid of each node. */
  redisDir: string;
  /** host:port of every Redis node (REDIS_CLUSTER_NODES). */
  redisNodes: readonly string[];
  /** CLUSTER_INSTANCE_PORT. */
  instancePort: number;
}

/** The layout `make cluster-up` makes under `runDir`. */
export function clusterUpLayout(runDir: string, redisNodes: readonly string[], instancePort: number): ClusterLayout {
  const dir = resolve(projectPath(), runDir);
  return { runDir: dir, redisDir: join(dir, "redis"), redisNodes, instancePort };
}

export class ClusterControls {
  private readonly runDir: string;
  private readonly redisDir: string;
  private readonly redisNodes: readonly string[];
  private readonly instancePort: number;
  /** The slot ranges each master served when killMasterAfter killed it. */
  private readonly slotsOf = new Map<number, [number, number][]>();

  constructor(layout: ClusterLayout) {
    ({
      runDir: this.runDir,
      redisDir: this.redisDir,
      redisNodes: this.redisNodes,
      instancePort: this.instancePort,
    } = layout);
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
    return join(this.redisDir, String(port), "redis.pid");
  }

  /**
   * Replication is asynchronous: a failover may lose what the master acknowledged and had not
   * yet sent. To make that loss happen rather than hope for it, the master's replicas are
   * stopped (SIGSTOP) and the master drops its replication links (CLIENT KILL TYPE replica:
   * what it sends from then on cannot sit in a socket buffer for the replica to read later), it
   * goes on acknowledging writes while `meanwhile` runs, then it is killed (SIGKILL) and the
   * replicas resume without those writes. Returns the time of the kill.
   *
   * A replica cut off this way finds, on Redis 7.0, that it "was disconnected from its master
   * for longer than allowed" at once and never takes over; the drill sets its
   * cluster-replica-validity-factor to 0 (take over whatever the age of the data), which is
   * the point of the drill: a takeover with the last writes missing.
   */
  async killMasterAfter(port: number, meanwhile: () => Promise<unknown>): Promise<number> {
    const all = await this.nodes();
    const master = all.find((n) => n.port === port && n.master);
    if (!master) throw new Error(`Redis node ${port} is not a master`);
    const replicas = all.filter((n) => n.of === master.id && !n.failed);
    if (replicas.length === 0) throw new Error(`master ${port} has no replica to take over`);
    const replicaPids = await Promise.all(replicas.map((r) => this.pidIn(this.redisPidFile(r.port))));
    const masterPid = await this.pidIn(this.redisPidFile(port));
    for (const r of replicas)
      await this.onNode(r.port, (n) => n.call("CONFIG", "SET", "cluster-replica-validity-factor", "0"));
    this.slotsOf.set(port, master.slots);
    // Up to the cut the replicas are current (online, their last ack this second): what goes
    // missing is what follows it.
    await until(`the replicas of ${port} did not catch up`, 10_000, () =>
      this.onNode(port, async (m) => {
        const info = (await m.call("INFO", "replication")) as string;
        const lags = [...info.matchAll(/^slave\d+:.*state=online,.*lag=(\d+)/gm)].map((x) => Number(x[1]));
        return lags.length === replicas.length && lags.every((lag) => lag <= 1) ? true : null;
      }),
    );
    for (const pid of replicaPids) process.kill(pid, "SIGSTOP");
    try {
      await this.onNode(port, (m) => m.call("CLIENT", "KILL", "TYPE", "replica"));
      await meanwhile();
      process.kill(masterPid, "SIGKILL");
      return performance.now();
    } finally {
      for (const pid of replicaPids) process.kill(pid, "SIGCONT");
    }
  }

  private async onNode<T>(port: number, fn: (node: Redis) => Promise<T>): Promise<T> {
    const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500 });
    r.on("error", () => {});
    try {
      await r.connect();
      return await fn(r);
    } finally {
      r.disconnect();
    }
  }

  /**
   * Waits until every live node sees another master serving each slot the killed one served
   * (killMasterAfter noted them) and says the cluster is ok.
   */
  async failedOver(port: number, ms: number): Promise<number> {
    const slots = this.slotsOf.get(port) ?? [];
    return until(`no replica took over from Redis node ${port}`, ms, async () => {
      const live = (await this.nodes()).filter((n) => n.port !== port && !n.failed);
      const views = await Promise.all(
        live.map((n) =>
          this.onNode(n.port, async (r) => ({
            ok: /cluster_state:ok/.test((await r.call("CLUSTER", "INFO")) as string),
            nodes: parseClusterNodes((await r.call("CLUSTER", "NODES")) as string),
          })),
        ),
      );
      const served = (view: ClusterNode[]) =>
        slots.every(([a]) =>
          view.some((n) => n.master && !n.failed && n.port !== port && n.slots.some(([x, y]) => a >= x && a <= y)),
        );
      return views.every((v) => v.ok && served(v.nodes)) ? performance.now() : null;
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
        CLUSTER_DIR: this.redisDir,
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
