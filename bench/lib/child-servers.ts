import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { projectPath } from "../../lib/paths.js";
import { cpuSecondsOf } from "./proc-cpu.js";

/**
 * Runs `script` (a module that listens and prints one JSON line of URLs) in a process of its
 * own, so the servers and autocannon do not share one event loop: each gets a core, as a real
 * deployment and its clients would.
 */
export async function startChildServers(
  script: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<{ urls: Record<string, string>; cpuSeconds: () => number; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", projectPath(script), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([once(lines, "line"), once(child, "exit")])) as [string | number];
  if (typeof first !== "string") throw new Error(`${script} exited before it listened`);
  return {
    urls: JSON.parse(first) as Record<string, string>,
    cpuSeconds: () => cpuSecondsOf(child.pid as number),
    close: async () => {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}
