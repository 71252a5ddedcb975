// The CPU of the PostgreSQL and Redis servers a bench talks to, when they run on this machine: a
// booking's cost to the machine includes its commits and scripts, and the two sides of a
// comparison share the stores, so a round's growth belongs to the side measured in it.
import { existsSync, readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type { Sql } from "postgres";
import { cpuSecondsOf, statFields } from "./proc-cpu.js";

/** The pid if /proc shows a process of that name there (a server in a container has another pid space). */
function localPid(pid: number, names: readonly string[]): number | null {
  const comm = `/proc/${pid}/comm`;
  if (!Number.isInteger(pid) || pid <= 0 || !existsSync(comm)) return null;
  const name = readFileSync(comm, "utf8").trim();
  return names.some((n) => name.startsWith(n)) ? pid : null;
}

const POSTGRES = ["postgres", "postmaster"];

/**
 * CPU seconds used so far by the PostgreSQL servers (each postmaster and every child: backends,
 * WAL writer, checkpointer) and the Redis server behind these handles; null when any of them is
 * not a local process, so that a figure is never part of one.
 */
export async function storesCpu(sqls: readonly Sql[], redis: Redis): Promise<(() => number) | null> {
  const postmasters = new Set<number>();
  for (const sql of sqls) {
    const [row] = await sql<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const backend = localPid(Number(row?.pid), POSTGRES);
    const postmaster = backend === null ? null : localPid(Number(statFields(backend)[1]), POSTGRES);
    if (postmaster === null) return null;
    postmasters.add(postmaster);
  }
  const info = String(await redis.info("server"));
  const redisPid = localPid(Number(/process_id:(\d+)/.exec(info)?.[1]), ["redis"]);
  if (redisPid === null) return null;
  const pids = [...postmasters, redisPid];
  return () => pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
}
