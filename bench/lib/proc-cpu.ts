import { readFileSync } from "node:fs";

/** User + system CPU seconds a process has used (Linux /proc; 100 ticks a second). */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
