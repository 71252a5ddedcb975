import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  clusterSize,
  type LocalClusterOptions,
  startLocalCluster,
  stopLocalCluster,
} from "../../lib/local-redis-cluster.js";

async function portFree(port: number): Promise<boolean> {
  const srv = createServer();
  return new Promise((resolve) => {
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** `count` consecutive free ports whose bus ports (+100) are free too, from TEST_CLUSTER_PORT or a random base. */
async function freePortRun(count: number, offset: number): Promise<number> {
  const given = Number(process.env.TEST_CLUSTER_PORT ?? 0);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = given ? given + offset : 20_000 + Math.floor(Math.random() * 9_000);
    const ports = Array.from({ length: count }, (_, i) => [base + i, base + 100 + i]).flat();
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
    if (given)
      throw new Error(`TEST_CLUSTER_PORT=${given}: ports ${base}..${base + count - 1} (or their bus ports) are taken`);
  }
  throw new Error("no free ports for a test Redis Cluster");
}

export interface TestCluster {
  nodes: string[];
  /** Where node `port` keeps its PID file and data. */
  dir: string;
}

/**
 * A throw-away Redis Cluster, three masters and no replicas unless asked (so it starts in a
 * second or two), started with scripts/redis-cluster.sh and deleted on teardown. With
 * TEST_CLUSTER_PORT set, `portOffset` keeps two clusters of one test run apart.
 */
export async function startTestCluster(
  t: { teardown: (fn: () => unknown) => void },
  options: Pick<LocalClusterOptions, "replicas" | "nodeTimeoutMs"> & { portOffset?: number } = {},
): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), "skybook-cluster-"));
  const cluster: LocalClusterOptions = {
    dir,
    port: await freePortRun(clusterSize(options), options.portOffset ?? 0),
    ...options,
  };
  t.teardown(async () => {
    await stopLocalCluster(cluster).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });
  return { nodes: await startLocalCluster(cluster), dir };
}
