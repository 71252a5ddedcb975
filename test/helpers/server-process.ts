import { spawn } from "node:child_process";
import { compiledEntry } from "./child-start.js";

/** A service's server.ts as its own process (quiet, AUTH_MODE=off unless `env` says), its output collected. */
export function runServer(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [compiledEntry(script)], {
    env: { ...process.env, LOG_LEVEL: "silent", AUTH_MODE: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
}
