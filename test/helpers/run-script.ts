import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { projectPath } from "../../lib/paths.js";

export interface Outcome {
  code: number;
  output: string;
}

/** Runs a script of scripts/ in a run folder of its own, with none of the test's server URLs. */
export function script(args: string[], env: Record<string, string>): Promise<Outcome> {
  const clean = { ...process.env };
  for (const k of ["REDIS_URL", "FLIGHTS_DATABASE_URL", "BOOKINGS_DATABASE_URL", "USERS_DATABASE_URL", "PG_FAST"]) {
    delete clean[k];
  }
  return new Promise((resolve) => {
    execFile(
      "bash",
      args,
      { cwd: projectPath(), env: { ...clean, PG_FAST: "1", REDIS_APPENDONLY: "no", ...env }, timeout: 240_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** Whether process `pid` exists (signal 0 checks without sending anything). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether the process of a pid file is alive. */
export function alive(pidFile: string): boolean {
  return existsSync(pidFile) && pidAlive(Number(readFileSync(pidFile, "utf8").split("\n")[0]));
}
