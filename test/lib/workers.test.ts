import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { freePort } from "../helpers/free-port.js";
import { head, openSocket } from "../helpers/raw-http.js";
import { runServer } from "../helpers/server-process.js";
import { answeredBy, onOwnConnection as get, until, workersOf } from "../helpers/workers.js";

// user-svc with USER_WORKERS=2 as a real primary and real workers on the test file's Redis and
// users_db. A fresh key folder makes both workers create the signing key and the service secret
// at the same moment. Which worker answered is read from the log lines (each carries its pid).

const start = (env: Record<string, string>) =>
  runServer("user-svc/server.ts", { LOG_LEVEL: "info", SCRYPT_COST: "1024", ...env });

/** A service that must refuse to start: its exit code and what it wrote to stderr. */
async function refused(script: string, env: Record<string, string>): Promise<[number, string]> {
  const server = runServer(script, env);
  const [code] = await once(server.child, "exit");
  return [code, server.stderr()];
}

t.test("bad worker counts stop start-up with a message naming the variable", async (t) => {
  const [user, flight, payment] = await Promise.all([
    refused("user-svc/server.ts", { USER_WORKERS: "0" }),
    refused("flight-svc/server.ts", { FLIGHT_WORKERS: "abc" }),
    refused("payment-mock/server.ts", { PAYMENT_WORKERS: "2" }),
  ]);
  t.match(user, [2, "user-svc: invalid configuration:\n  USER_WORKERS=0: expected auto or an integer from 1 to 256"]);
  t.match(flight, [2, "FLIGHT_WORKERS=abc: expected auto or an integer from 1 to 256"]);
  t.match(payment, [2, "PAYMENT_WORKERS: expected 1 (payment-mock keeps its payments in memory), got 2"]);
});

t.test("two workers share the port, one key, survive a SIGKILL, and drain on SIGTERM", async (t) => {
  const keyDir = await mkdtemp(join(tmpdir(), "skybook-workers-"));
  t.teardown(() => rm(keyDir, { recursive: true, force: true }));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = start({ USER_PORT: String(port), USER_WORKERS: "2", AUTH_KEY_DIR: keyDir, ACCESS_LOG: "on" });
  const primary = server.child as ChildProcess & { pid: number };
  t.teardown(() => {
    if (primary.exitCode === null) primary.kill("SIGKILL");
  });
  await until("both workers listening", async () =>
    server.stdout().split("Server listening").length === 3 ? true : undefined,
  );

  const first = await workersOf(primary.pid);
  t.equal(first.length, 2, "the primary has two workers");
  // The workers accept from one socket: whichever is free takes the next connection, so
  // connections opened together reach both.
  const kids = new Set<string>();
  let answered = new Set<number>();
  for (let batch = 0; batch < 20 && answered.size < 2; batch++) {
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const res = await get(`${base}/.well-known/jwks.json`);
        kids.add(((await res.json()) as { keys: { kid: string }[] }).keys[0]?.kid ?? "");
      }),
    );
    answered = answeredBy(server.stdout(), "/.well-known/jwks.json");
  }
  t.equal(kids.size, 1, "both workers sign with the one key made at first start");
  t.same([...answered].sort(), [...first].sort(), "answers came from both workers");

  const [victim, survivor] = first as [number, number];
  process.kill(victim, "SIGKILL");
  for (let i = 0; i < 5; i++) t.equal((await get(`${base}/health`)).status, 200, "still answering");
  const replaced = await until("a new worker", async () => {
    const now = await workersOf(primary.pid);
    return now.length === 2 && !now.includes(victim) ? now : undefined;
  });
  t.ok(replaced.includes(survivor), "the other worker kept running");
  await until("the new worker listening", async () =>
    server.stdout().split("Server listening").length === 4 ? true : undefined,
  );
  t.match(server.stderr(), `worker ${victim} died (killed by SIGKILL); starting another in 0.5 s`);

  // Registrations whose body is only half sent when the primary gets SIGTERM: in flight for sure.
  const run = randomUUID().slice(0, 8);
  const body = (i: number) =>
    JSON.stringify({
      username: `drain${i}-${run}`,
      password: "correct horse battery",
      email: `d${i}-${run}@example.com`,
    });
  const inFlight = await Promise.all(
    [0, 1, 2, 3].map(async (i) => {
      const { socket, closed } = await openSocket(port);
      const b = body(i);
      socket.write(
        head("POST", "/api/auth/register", { "content-type": "application/json", "content-length": b.length }) +
          b.slice(0, 10),
      );
      return { rest: () => socket.write(b.slice(10)), closed };
    }),
  );
  await sleep(500);
  const exited = once(primary, "exit");
  primary.kill("SIGTERM");
  await sleep(300);
  for (const r of inFlight) r.rest();
  const statuses = (await Promise.all(inFlight.map((r) => r.closed))).map((r) => r.status);
  t.same(statuses, [201, 201, 201, 201], "every request in flight got its answer");
  t.same(await exited, [0, null], "the primary exits 0 once both workers drained");
  t.equal(server.stdout().split('"reason":"drain asked by the primary"').length, 3, "each worker drained");
  await t.rejects(get(`${base}/health`), "no longer accepting connections");
});
