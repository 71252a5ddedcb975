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

/**
 * The fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] the state,
 * [1] the parent's pid, [11] and [12] user and system ticks.
 */
export function statFields(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
}

function ownCpuSeconds(pid: number): number {
  if (schedstat) return threadNanoseconds(pid) / 1e9;
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** What the process's children that have ended (and were waited for) used: [13] and [14] of its stat. */
function endedChildrenCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * User + system CPU seconds a process and its children have used (Linux /proc): a service with
 * several workers (lib/workers.ts) works in its children, and PostgreSQL in a backend per
 * connection. A child that ends between two readings keeps its CPU in the second through its
 * parent's account of ended children; counting live children only, such a reading fell by all
 * the CPU that backend had ever used (a burst's stores once read -52 ms).
 */
export function cpuSecondsOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean);
  return children.reduce(
    (sum, child) => sum + childCpuSeconds(Number(child)),
    ownCpuSeconds(pid) + endedChildrenCpuSeconds(pid),
  );
}

/**
 * A child's cpuSecondsOf, or 0 when it ended and was waited for between the parent's listing and
 * this read (a PostgreSQL backend whose client disconnected): its CPU is in the parent's account
 * of ended children from the next reading on.
 */
function childCpuSeconds(pid: number): number {
  try {
    return cpuSecondsOf(pid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ESRCH") return 0;
    throw err;
  }
}
