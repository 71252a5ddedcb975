// The bench's side of bench/lib/load-generator.ts: runs it in a child process and reads its
// figures, and the CPU the measured servers used while it measured (read from /proc).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { projectPath } from "../../lib/paths.js";
import { pinnedCommand, pinning } from "./cpu-pinning.js";
import type { BurstFigures, BurstSpec, LoadFigures, LoadSpec } from "./load-spec.js";

export interface Measured extends LoadFigures {
  /** CPU microseconds the servers used per request answered during the measured seconds. */
  cpuUsPerRequest: number;
  /** The same for the PostgreSQL and Redis servers (bench/lib/store-cpu.ts); NaN when not measured. */
  storesCpuUsPerRequest: number;
}

/** `cores`: a taskset list for the generator (the pair's, off the servers' core), null to leave it unpinned. */
async function runGenerator(
  mode: string,
  spec: unknown,
  onMeasuring: () => void,
  cores: string | null = null,
): Promise<unknown> {
  const [command, args] = pinnedCommand(cores, [
    process.execPath,
    "--import",
    "tsx",
    projectPath("bench/lib/load-generator.ts"),
    mode,
    JSON.stringify(spec),
  ]);
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  let last = "";
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === "measuring") onMeasuring();
    else last = line;
  }
  const [code] = (child.exitCode === null ? await once(child, "exit") : [child.exitCode]) as [number];
  if (code !== 0 || !last) throw new Error(`load generator (${mode}) exited with ${code}`);
  return JSON.parse(last);
}

/**
 * A load phase; `cpuSeconds` sums the CPU of the processes it measures (servers, not the
 * generator), `storesSeconds` that of the PostgreSQL and Redis servers they use.
 */
export async function measure(
  spec: LoadSpec,
  cpuSeconds: () => number,
  storesSeconds: () => number = () => Number.NaN,
): Promise<Measured> {
  let before = 0;
  let storesBefore = 0;
  const figures = (await runGenerator("load", spec, () => {
    before = cpuSeconds();
    storesBefore = storesSeconds();
  })) as LoadFigures;
  return withCpu(figures, spec.seconds, cpuSeconds() - before, storesSeconds() - storesBefore);
}

function withCpu(figures: LoadFigures, seconds: number, used: number, storesUsed = Number.NaN): Measured {
  const answered = figures.requestsPerSec * seconds;
  const perRequest = (s: number) => (answered > 0 ? (s * 1e6) / answered : Number.NaN);
  return { ...figures, cpuUsPerRequest: perRequest(used), storesCpuUsPerRequest: perRequest(storesUsed) };
}

/**
 * Two loads side by side over the same seconds, each with the CPU of its own servers: whatever
 * else the machine does in those seconds, it does to both.
 */
export async function measurePair(
  specs: [LoadSpec, LoadSpec],
  cpuSeconds: [() => number, () => number],
): Promise<[Measured, Measured]> {
  let before = [0, 0];
  const figures = (await runGenerator(
    "pair",
    specs,
    () => {
      before = cpuSeconds.map((cpu) => cpu());
    },
    pinning.generator,
  )) as [LoadFigures, LoadFigures];
  const [a, b] = figures.map((f, i) =>
    withCpu(f, (specs[i] as LoadSpec).seconds, (cpuSeconds[i] as () => number)() - (before[i] as number)),
  );
  return [a as Measured, b as Measured];
}

export async function burst(spec: BurstSpec): Promise<BurstFigures> {
  return (await runGenerator("burst", spec, () => {})) as BurstFigures;
}
