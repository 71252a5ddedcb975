// A start that fails half-way must stop what it started: a leftover Redis made the next
// `make run` say "redis already running" and fail the same way.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { freePortsEnv, freePortsOf } from "../helpers/free-port.js";
import { whileNoOtherBuild } from "../helpers/postgres-admin.js";
import { alive, script } from "../helpers/run-script.js";

async function occupy(port: number): Promise<Server> {
  const srv = createServer((socket) => socket.destroy());
  srv.listen(port, "127.0.0.1");
  await once(srv, "listening");
  return srv;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(true));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(false)));
  });
}

async function runFolder(t: Test): Promise<{ RUN_DIR: string; REDIS_PORT: string; PG_PORT: string }> {
  // mkdtemp makes a mode-700 folder: the place a clone in root's home or `mktemp -d` has.
  const dir = mkdtempSync(join(tmpdir(), "skybook-failed-start-"));
  const env = { RUN_DIR: join(dir, "run"), ...(await freePortsEnv(["REDIS_PORT", "PG_PORT"])) };
  t.teardown(() => script(["scripts/infra.sh", "clean"], env));
  return env;
}

t.test("infrastructure: PostgreSQL cannot start, so the Redis this call started is stopped", async (t) => {
  const env = await runFolder(t);
  const blocker = await occupy(Number(env.PG_PORT));
  t.teardown(() => blocker.close());
  const r = await script(["scripts/infra.sh", "up"], env);
  t.not(r.code, 0, "the start fails");
  t.match(r.output, new RegExp(`port ${env.PG_PORT} is taken by another program: set PG_PORT`));
  t.match(r.output, /stopped what this call had started/);
  t.notOk(alive(join(env.RUN_DIR, "redis", "redis.pid")), "no redis-server left");
  t.notOk(await answers(Number(env.REDIS_PORT)), "nothing listens on the Redis port");
});

t.test("infrastructure: a Redis port taken by another server is refused, not used", async (t) => {
  const env = await runFolder(t);
  const blocker = await occupy(Number(env.REDIS_PORT));
  t.teardown(() => blocker.close());
  const r = await script(["scripts/infra.sh", "up"], env);
  t.not(r.code, 0, "the start fails");
  t.match(r.output, new RegExp(`port ${env.REDIS_PORT} is taken by another program: set REDIS_PORT`));
  t.notOk(await answers(Number(env.PG_PORT)), "PostgreSQL was not started either");
});

t.test("services: one that cannot listen stops the others, Redis and PostgreSQL", async (t) => {
  const env = await runFolder(t);
  const ports = await freePortsOf(["FLIGHT_PORT", "BOOKING_PORT", "PAYMENT_PORT", "USER_PORT"]);
  const blocker = await occupy(ports.BOOKING_PORT);
  t.teardown(() => blocker.close());
  const r = await whileNoOtherBuild(() =>
    script(["scripts/services.sh", "up"], {
      ...env,
      FLIGHT_PORT: String(ports.FLIGHT_PORT),
      BOOKING_PORT: String(ports.BOOKING_PORT),
      PAYMENT_PORT: String(ports.PAYMENT_PORT),
      USER_PORT: String(ports.USER_PORT),
      FLIGHT_SERVICE_URL: `http://127.0.0.1:${ports.FLIGHT_PORT}`,
      PAYMENT_SERVICE_URL: `http://127.0.0.1:${ports.PAYMENT_PORT}`,
      DEMO_FLIGHTS_PER_DAY: "10",
      DEMO_DAYS: "1",
      LOG_LEVEL: "warn",
    }),
  );
  t.not(r.code, 0, "the start fails");
  t.match(r.output, /booking-svc is not healthy/);
  for (const s of ["flight-svc", "booking-svc", "payment-mock", "user-svc"]) {
    t.notOk(existsSync(join(env.RUN_DIR, `${s}.pid`)), `${s}'s PID file is gone`);
  }
  t.notOk(await answers(ports.FLIGHT_PORT), "flight-svc stopped");
  t.notOk(await answers(ports.PAYMENT_PORT), "payment-mock stopped");
  t.notOk(await answers(ports.USER_PORT), "user-svc stopped");
  t.notOk(await answers(Number(env.REDIS_PORT)), "redis stopped");
  t.notOk(await answers(Number(env.PG_PORT)), "postgres stopped");
});

// `scripts/infra.sh status | grep -q` under pipefail: grep left at the first line and status died of
// SIGPIPE writing the second, so a running Redis counted as "not running" and a failed `make up`
// (or the end of a `make run` beside a `make up`) stopped the Redis and PostgreSQL it found running.
t.test("services: a failed start leaves running the Redis and PostgreSQL it found running", async (t) => {
  const env = await runFolder(t);
  const up = await script(["scripts/infra.sh", "up"], env);
  t.equal(up.code, 0, up.output);
  const ports = await freePortsEnv(["FLIGHT_PORT", "BOOKING_PORT", "PAYMENT_PORT", "USER_PORT"]);
  const r = await whileNoOtherBuild(() =>
    script(["scripts/services.sh", "up"], {
      ...env,
      ...ports,
      FLIGHT_SERVICE_URL: `http://127.0.0.1:${ports.FLIGHT_PORT}`,
      PAYMENT_SERVICE_URL: `http://127.0.0.1:${ports.PAYMENT_PORT}`,
      USER_SERVICE_URL: `http://127.0.0.1:${ports.USER_PORT}`,
      // A bad setting: booking-svc refuses to start.
      BOOKING_WORKERS: "0",
      DEMO_FLIGHTS_PER_DAY: "10",
      DEMO_DAYS: "1",
      LOG_LEVEL: "warn",
    }),
  );
  t.not(r.code, 0, "the start fails");
  t.match(r.output, /BOOKING_WORKERS=0: expected auto or an integer from 1 to 256/);
  t.notMatch(r.output, /infra: (redis|postgres) stopped/);
  t.ok(await answers(Number(env.REDIS_PORT)), "redis still runs");
  t.ok(await answers(Number(env.PG_PORT)), "postgres still runs");
});

// A port that is no port reached redis-server ("FATAL CONFIG FILE ERROR ... port \"abc\"") or
// pg_ctl ("could not start server"), and neither named the setting to change.
t.test("infrastructure: a REDIS_PORT or PG_PORT that is no port is refused by name, nothing started", async (t) => {
  const env = await runFolder(t);
  for (const [name, value] of [
    ["REDIS_PORT", "abc"],
    ["PG_PORT", "-1"],
    ["PG_PORT", "70000"],
  ] as const) {
    const r = await script(["scripts/infra.sh", "up"], { ...env, [name]: value });
    t.not(r.code, 0, `${name}=${value}: the start fails`);
    t.match(r.output, `infra: ${name}=${value}: expected a port number from 1 to 65535\n`, `${name}=${value}`);
    t.notMatch(r.output, /redis ready|FATAL|pg_ctl/, `${name}=${value}: nothing was started`);
  }
  t.notOk(await answers(Number(env.REDIS_PORT)), "no Redis left");
});

// A service port that is no port reached a data script as the URL made of it, and the error named
// that URL ("FLIGHT_SERVICE_URL=http://127.0.0.1:eighty"), a setting the user never set.
t.test("services: a service port that is no port is refused by name, nothing started", async (t) => {
  const env = await runFolder(t);
  for (const [name, value] of [
    ["FLIGHT_PORT", "eighty"],
    ["USER_PORT", "99999"],
  ] as const) {
    const r = await script(["scripts/services.sh", "up"], { ...env, [name]: value });
    t.equal(r.code, 2, `${name}=${value}: exit code 2, as a service's bad setting`);
    t.match(
      r.output,
      `services: invalid configuration:\n  ${name}=${value}: expected a port number from 1 to 65535\n`,
      `${name}=${value}`,
    );
    t.notMatch(r.output, /SERVICE_URL|ready|started/, `${name}=${value}: nothing was started`);
  }
  t.notOk(await answers(Number(env.REDIS_PORT)), "no Redis left");
});

// `make up` with another FLIGHT_PORT beside the running stack kept the running flight-svc, set a
// new demo password, waited 30 s for an answer on the new port and printed "flight-svc is not healthy".
t.test("services: up with another port while a service runs is refused, naming both ports", async (t) => {
  const env = await runFolder(t);
  mkdirSync(env.RUN_DIR, { recursive: true });
  // A running flight-svc as `up` leaves it: its supervisor's PID file and the port it listens on.
  const running = spawn("sleep", ["60"], { stdio: "ignore" });
  t.teardown(() => running.kill());
  writeFileSync(join(env.RUN_DIR, "flight-svc.pid"), `${running.pid}\n`);
  writeFileSync(join(env.RUN_DIR, "flight-svc.port"), "8300\n");
  // Free ports for the others: were the refusal missing, nothing would start on a stack's ports.
  const others = await freePortsEnv(["BOOKING_PORT", "PAYMENT_PORT", "USER_PORT"]);
  const r = await script(["scripts/services.sh", "up"], { ...env, ...others, FLIGHT_PORT: "8310" });
  t.equal(r.code, 1, "the start fails");
  t.match(
    r.output,
    `services: the flight-svc of ${env.RUN_DIR} runs on port 8300, not on FLIGHT_PORT=8310: stop it first ` +
      "(make down with the same RUN_DIR), or give a second stack a RUN_DIR of its own\n",
  );
  t.notMatch(r.output, /ready|demo customer|not healthy/, "nothing was started or changed");
  t.ok(alive(join(env.RUN_DIR, "flight-svc.pid")), "the running flight-svc is left running");
  t.notOk(await answers(Number(env.REDIS_PORT)), "no Redis started");
});
