import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { FlightConfig } from "../../flight-svc/config.js";
import { PROJECT_ROOT } from "../../lib/paths.js";
import { CHILD_START_MS, compiledEntry } from "./child-start.js";

/**
 * flight-svc as its own process (`node dist-test/flight-svc/server.js`) on the test
 * infrastructure, so a test can SIGKILL it mid-request. Resolves once /ready answers 200.
 */
export async function startFlightProcess(
  config: FlightConfig,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [compiledEntry("flight-svc/server.ts")], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      FLIGHT_PORT: String(port),
      LOG_LEVEL: "silent",
      // As the in-process builds (config.ts): tokens only where `env` asks for them.
      AUTH_MODE: config.auth.mode,
      REDIS_URL: config.redisUrl,
      FLIGHTS_DATABASE_URL: config.flightsDatabaseUrl,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + CHILD_START_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`flight-svc exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error("flight-svc did not become ready");
}

export async function killProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill(signal);
  await exited;
}
