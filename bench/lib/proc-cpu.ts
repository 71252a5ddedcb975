import { existsSync, readdirSync, readFileSync } from "node:fs";

// Each thread's schedstat counts nanoseconds on the CPU, where /proc/<pid>/stat counts 10 ms
// ticks: a few-second round of a 5% question needs the finer one. Chosen once, so that two
// readings of one process are always in the same terms.
const schedstat = existsSync("/proc/self/task") && existsSync(`/proc/self/task/${process.pid}/schedstat`);

function threadNanoseconds(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read: its last moments are not counted.
    }
  }
  return ns;
}

/** User + system CPU seconds a process has used (Linux /proc). */
export function cpuSecondsOf(pid: number): number {
  if (schedstat) return threadNanoseconds(pid) / 1e9;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
