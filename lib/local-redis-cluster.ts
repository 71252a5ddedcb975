import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { projectPath } from "./paths.js";

const run = promisify(execFile);

// A throw-away Redis Cluster on this machine through scripts/redis-cluster.sh, for the tests and
// the benchmarks (make cluster-up keeps its own, lasting one).

export interface LocalClusterOptions {
  /** Data, logs and PID files of the nodes (node i under <dir>/<port>). */
  dir: string;
  /** The first node's port; node i listens on port + i, its cluster bus on port + 100 + i. */
  port: number;
  masters?: number;
  replicas?: number;
  /** How long a master may be silent before its replica takes over. */
  nodeTimeoutMs?: number;
}

/** The environment scripts/redis-cluster.sh reads for this cluster. */
export function localClusterEnv(o: LocalClusterOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLUSTER_DIR: o.dir,
    CLUSTER_PORT: String(o.port),
    CLUSTER_BUS_PORT: String(o.port + 100),
    CLUSTER_MASTERS: String(o.masters ?? 3),
    CLUSTER_REPLICAS: String(o.replicas ?? 0),
    CLUSTER_NODE_TIMEOUT_MS: String(o.nodeTimeoutMs ?? 2_000),
    REDIS_APPENDONLY: "no",
  };
}

/** Node count of a cluster: every master with its replicas. */
export const clusterSize = (o: Pick<LocalClusterOptions, "masters" | "replicas">): number =>
  (o.masters ?? 3) * (1 + (o.replicas ?? 0));

const SCRIPT = projectPath("scripts", "redis-cluster.sh");

/**
 * Starts the nodes and creates the cluster (a running one is reused); resolves once it is ok
 * with host:port of every node.
 */
export async function startLocalCluster(o: LocalClusterOptions): Promise<string[]> {
  const env = localClusterEnv(o);
  await run(SCRIPT, ["up"], { env });
  return (await run(SCRIPT, ["nodes"], { env })).stdout.trim().split(",");
}

/** Stops the nodes that run; `clean` deletes their data too. */
export async function stopLocalCluster(o: LocalClusterOptions, clean = false): Promise<void> {
  await run(SCRIPT, ["down"], { env: { ...localClusterEnv(o), CLUSTER_CLEAN: clean ? "1" : "" } });
}
