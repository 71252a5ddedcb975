// Which cores the measured servers and the load generator run on. On a shared machine the
// scheduler moves both around, and a generator that lands on the servers' core steals the CPU
// being measured: with util-linux's taskset the servers get the last core and the generator
// the others. Without taskset, or with one core, everything runs unpinned and the bench says so.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";

export interface Pinning {
  /** taskset's core list for the servers, or null when nothing is pinned. */
  servers: string | null;
  generator: string | null;
  /** One line for the bench's output: where things ran. */
  description: string;
}

function detect(): Pinning {
  const cores = availableParallelism();
  const taskset = spawnSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
  if (taskset.error || taskset.status !== 0) {
    return { servers: null, generator: null, description: "unpinned (taskset from util-linux is not available)" };
  }
  if (cores < 2) return { servers: null, generator: null, description: "unpinned (one core)" };
  const last = cores - 1;
  const generator = last === 1 ? "0" : `0-${last - 1}`;
  return {
    servers: String(last),
    generator,
    description: `servers pinned to core ${last}, load generator to core${last === 1 ? "" : "s"} ${generator}`,
  };
}

export const pinning = detect();

/** The command that runs `argv` on `cores` (a taskset list), or `argv` itself when unpinned. */
export function pinnedCommand(cores: string | null, argv: readonly string[]): [string, string[]] {
  if (cores === null) return [argv[0] as string, argv.slice(1)];
  return ["taskset", ["-c", cores, ...argv]];
}
