import { spawn } from "node:child_process";
import { once } from "node:events";
import { projectPath } from "../../lib/paths.js";
import { cpuSecondsOf } from "./proc-cpu.js";

/**
 * Runs `script` (a module that listens and then calls `announceUrls`) in a process of its own, so
 * the servers and autocannon do not share one event loop: each gets a core, as a real deployment
 * and its clients would. The URLs come over the IPC channel, not stdout, where the servers' own
 * log lines (a start-up warning) go.
 */
export async function startChildServers(
  script: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<{ urls: Record<string, string>; cpuSeconds: () => number; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", projectPath(script), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [first] = (await Promise.race([once(child, "message"), once(child, "exit")])) as [unknown];
  if (typeof first !== "object" || first === null) throw new Error(`${script} exited before it listened`);
  return {
    urls: first as Record<string, string>,
    cpuSeconds: () => cpuSecondsOf(child.pid as number),
    close: async () => {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** The child's side of `startChildServers`: hands its servers' URLs to the parent. */
export function announceUrls(urls: Record<string, string>): void {
  if (!process.send) throw new Error("announceUrls: not started by startChildServers (no IPC channel)");
  process.send(urls);
}
