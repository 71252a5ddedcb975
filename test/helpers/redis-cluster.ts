import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectPath } from "../../lib/paths.js";

const run = promisify(execFile);

async function portFree(port: number): Promise<boolean> {
  const srv = createServer();
  return new Promise((resolve) => {
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** `count` consecutive free ports whose bus ports (+100) are free too, from TEST_CLUSTER_PORT or a random base. */
async function freePortRun(count: number): Promise<number> {
  const given = Number(process.env.TEST_CLUSTER_PORT ?? 0);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = given || 20_000 + Math.floor(Math.random() * 9_000);
    const ports = Array.from({ length: count }, (_, i) => [base + i, base + 100 + i]).flat();
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
    if (given)
      throw new Error(`TEST_CLUSTER_PORT=${given}: ports ${base}..${base + count - 1} (or their bus ports) are taken`);
  }
  throw new Error("no free ports for a test Redis Cluster");
}

/**
 * A throw-away Redis Cluster of three masters (no replicas, so it starts in a second or two),
 * started with scripts/redis-cluster.sh and deleted on teardown.
 */
export async function startTestCluster(t: { teardown: (fn: () => unknown) => void }): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "skybook-cluster-"));
  const port = await freePortRun(3);
  const env = {
    ...process.env,
    CLUSTER_DIR: dir,
    CLUSTER_PORT: String(port),
    CLUSTER_BUS_PORT: String(port + 100),
    CLUSTER_MASTERS: "3",
    CLUSTER_REPLICAS: "0",
    REDIS_APPENDONLY: "no",
  };
  const script = projectPath("scripts", "redis-cluster.sh");
  t.teardown(async () => {
    await run(script, ["down"], { env }).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });
  await run(script, ["up"], { env });
  return [0, 1, 2].map((i) => `127.0.0.1:${port + i}`);
}
