// Skybook's services as `make up` runs them (scripts/services.sh): each `node dist/<svc>/server.js`
// in a process of its own, configured by the environment, its output in a log file, ready once
// /health answers. The supervisor's restart loop is left out: a crash must end the bench.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { openSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { projectPath } from "../../lib/paths.js";
import { pinnedCommand } from "./cpu-pinning.js";
import { cpuSecondsOf } from "./proc-cpu.js";

export const SERVICES = ["flight-svc", "booking-svc", "payment-mock", "user-svc"] as const;
export type ServiceName = (typeof SERVICES)[number];
// user-svc first: the others fetch its keys, and booking-svc its service token, from it.
const START_ORDER: readonly ServiceName[] = ["user-svc", "flight-svc", "payment-mock", "booking-svc"];

export interface Stack {
  urls: Record<ServiceName, string>;
  /** CPU seconds used so far by each service process. */
  cpuSeconds: () => Record<ServiceName, number>;
  stop: () => Promise<void>;
}

const PORT_ENV: Record<ServiceName, string> = {
  "flight-svc": "FLIGHT_PORT",
  "booking-svc": "BOOKING_PORT",
  "payment-mock": "PAYMENT_PORT",
  "user-svc": "USER_PORT",
};

async function healthy(name: string, url: string, child: ChildProcess, log: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} did not become healthy at ${url}; see ${log}`);
}

/**
 * With BENCH_CPU_PROF_DIR set, each service writes a V8 CPU profile when it stops, into
 * <dir>/<service>-<port>/ (bench/profile-top.ts summarises them).
 */
function profiled(s: ServiceName, port: number): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}/${s}-${port}`] : [];
}

/**
 * Starts `names` on ports `base`, `base + 1`, … in SERVICES' order, each told where the others
 * are. `env` adds settings (AUTH_MODE, METRICS, payment latency …) for this stack only;
 * `cores`, a taskset list, pins its processes (taskset execs node, so the pid stays node's).
 */
export async function startStack(
  base: number,
  env: Record<string, string>,
  logDir: string,
  names: readonly ServiceName[] = SERVICES,
  cores: string | null = null,
): Promise<Stack> {
  const port = (s: ServiceName) => base + SERVICES.indexOf(s);
  const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${port(s)}`])) as Record<
    ServiceName,
    string
  >;
  const common = {
    ...process.env,
    FLIGHT_SERVICE_URL: urls["flight-svc"],
    PAYMENT_SERVICE_URL: urls["payment-mock"],
    USER_SERVICE_URL: urls["user-svc"],
    ...Object.fromEntries(SERVICES.map((s) => [PORT_ENV[s], String(port(s))])),
    ...env,
  };
  const children = new Map<ServiceName, ChildProcess>();
  const stop = async () => {
    await Promise.all(
      [...children.values()].map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        c.kill("SIGTERM");
        await once(c, "exit");
      }),
    );
  };
  try {
    for (const s of START_ORDER.filter((n) => names.includes(n))) {
      const log = `${logDir}/${s}-${port(s)}.log`;
      const out = openSync(log, "w");
      const [command, args] = pinnedCommand(cores, [
        process.execPath,
        ...profiled(s, port(s)),
        projectPath(`dist/${s}/server.js`),
      ]);
      const child = spawn(command, args, { env: common, stdio: ["ignore", out, out] });
      children.set(s, child);
      await healthy(s, urls[s], child, log);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    urls,
    cpuSeconds: () =>
      Object.fromEntries([...children].map(([s, c]) => [s, cpuSecondsOf(c.pid as number)])) as Record<
        ServiceName,
        number
      >,
    stop,
  };
}
