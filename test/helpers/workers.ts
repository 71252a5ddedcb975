import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { CHILD_START_MS } from "./child-start.js";

/** The pids of a process' children: a cluster primary's workers. */
export const workersOf = (pid: number) =>
  readFile(`/proc/${pid}/task/${pid}/children`, "utf8").then((s) => s.split(" ").filter(Boolean).map(Number));

/** `probe`'s first answer other than undefined (a throw counts as none), polled until `ms`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = CHILD_START_MS): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A request on a connection of its own: a worker takes a connection, not a request. */
export const onOwnConnection = (url: string, init: RequestInit = {}) =>
  fetch(url, {
    ...init,
    headers: { ...init.headers, connection: "close" },
    signal: AbortSignal.timeout(15_000),
  });

/** The pids that wrote an access-log line for `url` in `stdout` (LOG_LEVEL=info, ACCESS_LOG=on). */
export function answeredBy(stdout: string, url: string): Set<number> {
  const pids = new Set<number>();
  for (const line of stdout.split("\n")) {
    if (line.includes(`"url":"${url}"`)) pids.add((JSON.parse(line) as { pid: number }).pid);
  }
  return pids;
}
