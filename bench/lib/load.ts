// The bench's side of bench/lib/load-generator.ts: runs it in a child process and reads its
// figures, and the CPU the measured servers used while it measured (read from /proc).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { projectPath } from "../../lib/paths.js";
import type { BurstFigures, BurstSpec, LoadFigures, LoadSpec } from "./load-spec.js";

export interface Measured extends LoadFigures {
  /** CPU microseconds the servers used per request answered during the measured seconds. */
  cpuUsPerRequest: number;
}

async function runGenerator(mode: string, spec: unknown, onMeasuring: () => void): Promise<unknown> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", projectPath("bench/lib/load-generator.ts"), mode, JSON.stringify(spec)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let last = "";
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === "measuring") onMeasuring();
    else last = line;
  }
  const [code] = (child.exitCode === null ? await once(child, "exit") : [child.exitCode]) as [number];
  if (code !== 0 || !last) throw new Error(`load generator (${mode}) exited with ${code}`);
  return JSON.parse(last);
}

/** A load phase; `cpuSeconds` sums the CPU of the processes it measures (servers, not the generator). */
export async function measure(spec: LoadSpec, cpuSeconds: () => number): Promise<Measured> {
  let before = 0;
  const figures = (await runGenerator("load", spec, () => {
    before = cpuSeconds();
  })) as LoadFigures;
  const used = cpuSeconds() - before;
  const answered = figures.requestsPerSec * spec.seconds;
  return { ...figures, cpuUsPerRequest: answered > 0 ? (used * 1e6) / answered : Number.NaN };
}

export async function burst(spec: BurstSpec): Promise<BurstFigures> {
  return (await runGenerator("burst", spec, () => {})) as BurstFigures;
}
