import { readFileSync } from "node:fs";

/**
 * User + system CPU seconds a process and its live children have used (Linux /proc; 100 ticks a
 * second): a service with several workers (lib/workers.ts) works in its children.
 */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const own = (Number(fields[11]) + Number(fields[12])) / 100;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean);
  return children.reduce((sum, child) => sum + cpuSecondsOf(Number(child)), own);
}
