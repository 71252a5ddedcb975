import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectPath } from "../../lib/paths.js";
import { createSql } from "../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { testDataConfig } from "./config.js";
import { freePortsOf } from "./free-port.js";
import { whileNoOtherBuild } from "./postgres-admin.js";
import { resetStores } from "./reset.js";
import { SYSTEM_ENV } from "./system.js";

const run = promisify(execFile);

export interface MadeUp {
  flightUrl: string;
  bookingUrl: string;
  paymentUrl: string;
  userUrl: string;
  /** The run folder (RUN_DIR): logs, PID files, and keys/ (AUTH_KEY_DIR) with the service client secret. */
  runDir: string;
  /** localhost:8080 to :8083 as they are written in documentation, mapped to this system. */
  ports: Record<"8080" | "8081" | "8082" | "8083", number>;
}

export interface MadeUpOptions {
  env?: Record<string, string>;
}

/**
 * The system as `make up` starts it: `scripts/services.sh up` builds dist/, migrates, loads the
 * demo data into empty databases, makes the demo customer and starts the four services from dist/ as processes of their
 * own. Here on free ports, on the test file's stores (emptied first, see isolation.ts), with
 * payments that answer at once and succeed unless `env` says otherwise. Stopped on teardown.
 */
export async function startMadeUp(
  t: { teardown: (fn: () => unknown) => void },
  opts: MadeUpOptions = {},
): Promise<MadeUp> {
  const base = testDataConfig();
  const redis = createRedis(base.redisUrl);
  const flightsSql = createSql(base.flightsDatabaseUrl, 1);
  const bookingsSql = createSql(base.bookingsDatabaseUrl, 1);
  const usersSql = createSql(base.usersDatabaseUrl, 1);
  try {
    await resetStores(redis, flightsSql, bookingsSql, usersSql);
  } finally {
    await Promise.all([
      flightsSql.end({ timeout: 5 }),
      bookingsSql.end({ timeout: 5 }),
      usersSql.end({ timeout: 5 }),
      closeRedis(redis),
    ]);
  }
  const runDir = await mkdtemp(join(tmpdir(), "skybook-made-up-"));
  const ports = await freePortsOf(["8080", "8081", "8082", "8083"] as const);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ...SYSTEM_ENV,
    LOG_LEVEL: "warn",
    RUN_DIR: runDir,
    FLIGHT_PORT: String(ports["8080"]),
    BOOKING_PORT: String(ports["8081"]),
    PAYMENT_PORT: String(ports["8082"]),
    USER_PORT: String(ports["8083"]),
    FLIGHT_SERVICE_URL: url(ports["8080"]),
    PAYMENT_SERVICE_URL: url(ports["8082"]),
    ...opts.env,
  };
  const services = (command: string) =>
    run("bash", [projectPath("scripts", "services.sh"), command], { cwd: projectPath(), env, timeout: 180_000 });

  t.teardown(async () => {
    await services("stop").catch(() => {});
    await rm(runDir, { recursive: true, force: true });
  });

  try {
    await whileNoOtherBuild(() => services("up"));
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    const logs = await Promise.all(
      ["flight-svc", "booking-svc", "payment-mock", "user-svc"].map((s) =>
        readFile(join(runDir, "logs", `${s}.log`), "utf8").then(
          (text) => `--- ${s}.log\n${text.slice(-2000)}`,
          () => "",
        ),
      ),
    );
    throw new Error(`scripts/services.sh up failed:\n${e.stdout ?? ""}${e.stderr ?? ""}\n${logs.join("\n")}`);
  }
  return {
    flightUrl: url(ports["8080"]),
    bookingUrl: url(ports["8081"]),
    paymentUrl: url(ports["8082"]),
    userUrl: url(ports["8083"]),
    runDir,
    ports,
  };
}
