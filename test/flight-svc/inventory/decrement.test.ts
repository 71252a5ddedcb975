import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import t, { type Test } from "tap";
import { legKeys } from "../../../flight-svc/inventory/key-layout.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { bookTogether } from "../../../flight-svc/inventory/ledger-batch.js";
import { loadLua } from "../../../flight-svc/inventory/lua-source.js";
import { killProcess, startFlightProcess } from "../../helpers/flight-process.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";
import { freePort } from "../../helpers/free-port.js";
import { lockFlightRow } from "../../helpers/pg-lock.js";

// A seat decrement is one script before PostgreSQL (lua/decrement.lua) and, after its batch
// committed, one script for the whole batch (lua/confirm-finish-batch.lua), which runs after the
// answer. A flight-svc killed between the two leaves the sweeper to settle it through the
// ledger, exactly once.

const DATE = "2024-02-15";
const LATER = 31 * 60_000; // past the settle grace period
const GRACE_MS = 30_000;
const KEEP_MS = 60_000;

const sha = (file: string) => createHash("sha1").update(loadLua(file)).digest("hex");

const decrement = (app: FastifyInstance, flight_id: number, seats = 1) =>
  app.inject({ method: "POST", url: "/api/flights/seats/decrement", payload: { flight_id, seats, date: DATE } });

async function scrape(app: FastifyInstance, name: string): Promise<number> {
  const body = (await app.inject({ method: "GET", url: "/metrics" })).body;
  const line = body.split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1] ?? Number.NaN);
}

async function ledgerCount(app: FastifyInstance, flight: number, status: string): Promise<number> {
  const [row] = await app.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM seat_ledger WHERE ${flight} = ANY(flight_ids) AND status = ${status}`;
  return row?.n ?? 0;
}

/** The script a flight-svc runs first, without anything after it (its process died there). */
async function scriptOnly(app: FastifyInstance, flight: number, seats: number) {
  const id = `dec-test-${Math.random().toString(36).slice(2)}`;
  const now = Date.now();
  const r = await app.redis.invDecrement(...legKeys(id, [flight]), id, seats, now, GRACE_MS, KEEP_MS, `${flight}`, id);
  return { id, reply: r, op: { id, kind: "decrement" as const, legs: [flight], seats, token: id } };
}

/** EVALSHA calls by script on this test's Redis database, while `run` runs. */
async function countScripts(t: Test, app: FastifyInstance, run: () => Promise<unknown>): Promise<Map<string, number>> {
  const redis = app.redis as Redis; // this file runs on one node
  const db = String(redis.options.db ?? 0);
  const monitor = await redis.monitor();
  // Dropped while Redis still streams lines to it (other files' commands included), the connection
  // takes the next line for a reply and reports a command queue state error: expected once it ends.
  let ending = false;
  const end = () => {
    ending = true;
    monitor.disconnect();
  };
  monitor.on("error", (err: Error) => {
    if (!ending) t.error(err, "the MONITOR connection failed");
  });
  t.teardown(end);
  const calls = new Map<string, number>();
  const marks = new Set<string>();
  monitor.on("monitor", (_time: string, args: string[], _source: string, database: string) => {
    if (database !== db) return;
    if (args[0]?.toLowerCase() === "echo") marks.add(args[1] as string);
    if (args[0]?.toLowerCase() !== "evalsha") return;
    calls.set(args[1] as string, (calls.get(args[1] as string) ?? 0) + 1);
  });
  // MONITOR starts a moment after it answers, and its stream trails the replies: marks bound the run.
  const mark = async (name: string) => {
    while (!marks.has(name)) {
      await app.redis.echo(name);
      await sleep(20);
    }
  };
  await mark("start");
  await run();
  await mark("end");
  end();
  return calls;
}

t.test("concurrent decrements: one script each, then one finish script per committed batch", async (t) => {
  const { app } = await build(t);
  const [f] = await seedFlights(app.sql, [{ total: 500 }]);
  // ioredis sends a script's first call on a connection as EVAL: one decrement runs them first.
  // Its finish script runs after its answer: the count starts once it ended.
  t.equal((await decrement(app, f!)).statusCode, 200);
  await app.inventory.idle();
  let replies: { statusCode: number }[] = [];
  const calls = await countScripts(t, app, async () => {
    replies = await Promise.all(Array.from({ length: 120 }, () => decrement(app, f!)));
    await app.inventory.idle();
  });
  t.same(
    replies.map((r) => r.statusCode),
    replies.map(() => 200),
  );
  const batches = await scrape(app, "skybook_inventory_confirm_batches_total");
  t.ok(batches >= 2 && batches < 121, `${batches} transactions for 121 decrements`);
  t.equal(await scrape(app, "skybook_inventory_confirm_finish_batches_total"), batches, "one finish per batch");
  t.equal(calls.get(sha("decrement.lua")), 120, "one decrement script per request");
  t.equal(calls.get(sha("confirm-finish-batch.lua")), batches - 1, "one finish script per batch");
  t.equal(calls.get(sha("confirm-finish.lua")) ?? 0, 0, "no confirm finished on its own");
  t.equal(calls.get(sha("hold.lua")) ?? 0, 0, "no hold script");
  t.equal(calls.get(sha("confirm-begin.lua")) ?? 0, 0, "no confirm-begin script");
  t.equal(await bookedSeats(app.sql, f!), 121);
  t.same(await app.inventory.availableSeats([f!]), [379]);
  t.equal(await app.redis.hlen(keys.flightHolds(f!)), 0, "every decrement left the flight's hash");
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 0 }, "nothing left to settle");
  t.same((await app.inventory.reconcile(false)).drift, []);
});

t.test("a decrement whose process died after its script and before its commit gives its seats back once", async (t) => {
  const { app } = await build(t, { env: { HOLD_SWEEP_MS: "600000" } });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  await app.inventory.availableSeats([f!]);
  const { id, reply, op } = await scriptOnly(app, f!, 4);
  t.same(reply, [0, 6]);
  t.same((await app.inventory.reconcile(false)).drift, [], "the taken seats are accounted for meanwhile");
  t.same(await app.inventory.sweepOnce(Date.now() + 10_000), { expired: 0, settled: 0 }, "not before the grace");
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 1 });
  t.same(await app.inventory.availableSeats([f!]), [10]);
  t.equal(await ledgerCount(app, f!, "released"), 1, "the ledger wrote it off");
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 0 }, "once");
  // The commit, had it come late, finds the row and books nothing.
  t.same(await bookTogether(app.sql, [op]), [{ status: "released", mine: true }]);
  t.equal(await bookedSeats(app.sql, f!), 0);
  t.same(await app.inventory.availableSeats([f!]), [10]);
  t.match(await app.inventory.getHold(id), { status: "expired" });
});

t.test("a decrement whose process died after its commit is finished by the sweeper, booked once", async (t) => {
  const { app } = await build(t, { env: { HOLD_SWEEP_MS: "600000" } });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  await app.inventory.availableSeats([f!]);
  const { id, op } = await scriptOnly(app, f!, 3);
  t.same(await bookTogether(app.sql, [op]), [{ status: "confirmed", mine: true }]);
  // Redis dropped the counter meanwhile: its initialisation must not subtract the seats twice.
  await app.redis.del(keys.seatsAvailable(f!));
  t.same(await app.inventory.availableSeats([f!]), [7]);
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 1 });
  t.same(await app.inventory.availableSeats([f!]), [7]);
  t.equal(await bookedSeats(app.sql, f!), 3);
  t.equal(await ledgerCount(app, f!, "confirmed"), 1);
  t.equal(await app.redis.hlen(keys.flightHolds(f!)), 0);
  t.match(await app.inventory.getHold(id), { status: "confirmed" });
  t.same((await app.inventory.reconcile(false)).drift, []);
});

t.test("flight-svc SIGKILLed while its decrements wait for their commit: the sweeper returns every seat", async (t) => {
  const { app, config } = await build(t, { env: { HOLD_SWEEP_MS: "600000" } });
  const [f] = await seedFlights(app.sql, [{ total: 50 }]);
  const port = await freePort();
  const child = await startFlightProcess(config, port, { HOLD_SWEEP_MS: "600000" });
  t.teardown(() => killProcess(child, "SIGKILL"));
  const url = `http://127.0.0.1:${port}/api/flights/seats/decrement`;
  const body = JSON.stringify({ flight_id: f, seats: 1, date: DATE });
  const post = () => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  t.equal((await post()).status, 200, "one decrement before the lock");

  // The flight's row is locked: the batch transaction waits there, after the scripts ran.
  const lock = await lockFlightRow(config.flightsDatabaseUrl, f!);
  t.teardown(() => lock.release());
  const pending = Array.from({ length: 20 }, () => post().catch(() => null));
  for (;;) {
    if ((await app.redis.hlen(keys.flightHolds(f!))) === 20) break;
    await sleep(20);
  }
  await killProcess(child, "SIGKILL");
  await lock.release();
  t.same(
    (await Promise.all(pending)).filter((r) => r?.status === 200),
    [],
    "no decrement was answered as booked",
  );
  // The batch in flight was one statement: PostgreSQL may still commit it, its client gone.
  await batchesDone(app);
  const committed = await ledgerCount(app, f!, "confirmed");
  t.ok(committed === 1 || committed === 2, `only the batch in flight could commit (${committed - 1})`);
  t.equal(await bookedSeats(app.sql, f!), committed);
  t.same(await app.inventory.availableSeats([f!]), [29], "the 20 taken seats are still held");
  t.same((await app.inventory.reconcile(false)).drift, []);
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 20 });
  t.same(await app.inventory.availableSeats([f!]), [50 - committed], "each seat returned or booked");
  t.equal(await ledgerCount(app, f!, "released"), 21 - committed);
  t.equal(await bookedSeats(app.sql, f!), committed, "booked once");
  t.equal(await app.redis.hlen(keys.flightHolds(f!)), 0);
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 0 }, "once");
  t.same((await app.inventory.reconcile(false)).drift, []);
});

async function batchesDone(app: FastifyInstance): Promise<void> {
  for (;;) {
    const [row] = await app.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%INSERT INTO seat_ledger AS l%'
        AND state <> 'idle'`;
    if (row?.n === 0) return;
    await sleep(20);
  }
}

t.test("the leg-by-leg protocol decrements with the same steps and finishes each confirm on its own", async (t) => {
  const { app } = await build(t, { env: { INVENTORY_PROTOCOL: "per-leg", HOLD_SWEEP_MS: "600000" } });
  const [f] = await seedFlights(app.sql, [{ total: 30 }]);
  const replies = await Promise.all(Array.from({ length: 40 }, () => decrement(app, f!)));
  await app.inventory.idle();
  const codes = replies.map((r) => r.statusCode);
  t.equal(codes.filter((c) => c === 200).length, 30);
  t.equal(codes.filter((c) => c === 409).length, 10);
  t.equal(await scrape(app, "skybook_inventory_confirm_finish_batches_total"), 0);
  t.equal(await bookedSeats(app.sql, f!), 30);
  t.same(await app.inventory.availableSeats([f!]), [0]);
  t.equal(await app.redis.hlen(keys.flightHolds(f!)), 0);
  t.same((await app.inventory.reconcile(false)).drift, []);
});

t.test("a seat change's record leaves Redis after the grace period; a confirmed hold's stays a day", async (t) => {
  const graceMs = 5_000;
  const { app } = await build(t, { env: { HOLD_SETTLE_GRACE_MS: String(graceMs) } });
  const [f] = await seedFlights(app.sql, [{ total: 50 }]);
  const decrements = await Promise.all(Array.from({ length: 20 }, () => decrement(app, f!)));
  // After the decrements: an increment gives back only seats that are booked.
  const increment = await app.inject({
    method: "POST",
    url: "/api/flights/seats/increment",
    payload: { flight_id: f, seats: 1, date: DATE },
  });
  t.same(
    [...decrements, increment].map((r) => r.statusCode),
    Array.from({ length: 21 }, () => 200),
  );
  const held = await app.inject({ method: "POST", url: "/api/flights/holds", payload: { flight_ids: [f], seats: 1 } });
  const holdId = held.json().hold_id as string;
  t.equal((await app.inject({ method: "POST", url: `/api/flights/holds/${holdId}/confirm` })).statusCode, 200);
  await app.inventory.idle();

  const records = async (pattern: string) => {
    const found: string[] = [];
    for (let shard = 0; shard < 16; shard++) found.push(...(await app.redis.keys(`inv:{h:${shard}}:hold:${pattern}`)));
    return Promise.all(
      found.map(async (key) => ({ key, state: await app.redis.hget(key, "state"), ttl: await app.redis.pttl(key) })),
    );
  };
  const ended = [...(await records("dec-*")), ...(await records("inc-*"))];
  t.equal(ended.length, 21, "every change has its record while it may be asked again");
  t.same(
    ended.filter((r) => r.ttl <= 0 || r.ttl > graceMs),
    [],
    `each ends within the grace period (${graceMs} ms), not a day later`,
  );
  t.same(new Set(ended.map((r) => r.state)), new Set(["confirmed", "cancelled"]));
  const hold = await app.redis.pttl(keys.hold(holdId));
  t.ok(hold > 24 * 3600_000, `the confirmed hold stays answerable for a day (${hold} ms left)`);
  t.match(await app.inventory.getHold(holdId), { status: "confirmed" });
});
