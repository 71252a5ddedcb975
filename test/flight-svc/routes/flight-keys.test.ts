import t from "tap";
import { loadFlights } from "../../../flight-svc/data/load-flights.js";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { within } from "../../../lib/within.js";
import { fileAuth } from "../../helpers/auth.js";
import { build } from "../../helpers/flight-svc.js";
import { NEW_FLIGHT, NEW_FLIGHT_CREATED } from "../../helpers/new-flight.js";
import { lockFlights, waitForLockWaiter } from "../../helpers/pg-lock.js";

/** POST /api/flights with an Idempotency-Key (DESIGN.md invariant 4): a retry never adds a second flight. */
const auth = await fileAuth();
const admin = (await auth.admin()).headers;

type App = Awaited<ReturnType<typeof build>>["app"];

function post(app: App, key?: string, payload: object = NEW_FLIGHT, headers = admin) {
  return app.inject({
    method: "POST",
    url: "/api/flights",
    payload,
    headers: key === undefined ? headers : { ...headers, "idempotency-key": key },
  });
}

async function copies(app: App, flightNumber = "6E123"): Promise<number> {
  const [row] = await app.sql<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM flights WHERE flight_number = ${flightNumber}`;
  return row?.n as number;
}

t.test("the same key and body: the first flight again, marked replayed; one row", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const first = await post(app, "add-6e123");
  t.equal(first.statusCode, 201);
  t.same(first.json(), NEW_FLIGHT_CREATED);
  t.notOk(first.headers["idempotent-replayed"], "the first answer is no replay");
  const again = await post(app, "add-6e123");
  t.equal(again.statusCode, 201);
  t.same(again.json(), NEW_FLIGHT_CREATED);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.equal(await copies(app), 1);
});

t.test("the same key with another body: 422 idempotency_key_reused, nothing added", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  t.equal((await post(app, "add-6e123")).statusCode, 201);
  const other = await post(app, "add-6e123", { ...NEW_FLIGHT, price: 5999 });
  t.equal(other.statusCode, 422);
  t.same(other.json(), {
    error: "idempotency_key_reused",
    message: "This Idempotency-Key was used with a different request body.",
  });
  t.equal(await copies(app), 1);
});

t.test("without a key each request adds a flight, as before; a key's retry adds none", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  t.same([(await post(app)).json().id, (await post(app)).json().id], [17, 18]);
  t.same([(await post(app, "k")).json().id, (await post(app, "k")).json().id], [19, 19]);
  t.equal(await copies(app), 3);
});

t.test("a key whose answer was lost replays after a restart and a Redis flush", async (t) => {
  const { app: before } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  t.equal((await post(before, "lost-answer")).statusCode, 201);
  await before.redis.flushdb();
  await before.close();
  const { app: after } = await build(t, { auth, reset: false });
  const retry = await post(after, "lost-answer");
  t.equal(retry.statusCode, 201);
  t.same(retry.json(), NEW_FLIGHT_CREATED);
  t.equal(retry.headers["idempotent-replayed"], "true");
  t.equal(await copies(after), 1);
});

t.test("a duplicate while the first runs: 409 request_in_progress; after it, the replay", async (t) => {
  const { app, config } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const lock = await lockFlights(config.flightsDatabaseUrl);
  t.teardown(() => lock.release());
  // The first request holds its key while it waits to insert its flight.
  const first = post(app, "slow");
  await waitForLockWaiter(app.sql);
  const duplicate = await within(post(app, "slow"), 5_000, null);
  if (!duplicate) await lock.release();
  t.ok(duplicate, "the duplicate is answered without waiting for the first");
  t.equal(duplicate?.statusCode, 409);
  t.same(duplicate?.json(), {
    error: "request_in_progress",
    message: "A request with this Idempotency-Key is still in progress.",
  });
  await lock.release();
  t.equal((await first).statusCode, 201);
  const later = await post(app, "slow");
  t.equal(later.headers["idempotent-replayed"], "true");
  t.equal(later.json().id, (await first).json().id);
  t.equal(await copies(app), 1);
});

t.test("20 duplicates at once make one flight: each answer is it or a 409", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const replies = await Promise.all(Array.from({ length: 20 }, () => post(app, "burst")));
  const created = replies.filter((r) => r.statusCode === 201);
  t.equal(created.filter((r) => r.headers["idempotent-replayed"] === undefined).length, 1, "one ran");
  t.same(new Set(created.map((r) => r.json().id)), new Set([17]));
  t.ok(
    replies.every((r) => r.statusCode === 201 || r.json().error === "request_in_progress"),
    "the rest were refused as in progress",
  );
  t.equal(await copies(app), 1);
});

t.test("keys are per caller: another admin's same key is a request of its own", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const other = (await auth.admin("ops")).headers;
  t.equal((await post(app, "shared", NEW_FLIGHT, admin)).json().id, 17);
  t.equal((await post(app, "shared", NEW_FLIGHT, admin)).headers["idempotent-replayed"], "true");
  const theirs = await post(app, "shared", NEW_FLIGHT, other);
  t.equal(theirs.json().id, 18);
  t.notOk(theirs.headers["idempotent-replayed"]);
});

t.test("a key older than 24 h may be used again, and is pruned", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  t.equal((await post(app, "yesterday")).statusCode, 201);
  await app.sql`UPDATE flight_idempotency_keys SET created_at = now() - interval '25 hours'`;
  const reused = await post(app, "yesterday", { ...NEW_FLIGHT, price: 5999 });
  t.equal(reused.statusCode, 201);
  t.same(reused.json(), { ...NEW_FLIGHT_CREATED, id: 18, price: 5999 });
  const [row] = await app.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM flight_idempotency_keys`;
  t.equal(row?.n, 1, "the expired key's row is gone, the new one stays");
});

t.test("a reload that replaces the flights forgets their keys: a retry makes the flight anew", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  t.equal((await post(app, "before-reload")).json().id, 17);
  await loadFlights(app.sql, SAMPLE_FLIGHTS.slice(0, 2), { mode: "replace" });
  await app.timetable.reload();
  const retry = await post(app, "before-reload");
  t.equal(retry.statusCode, 201);
  t.notOk(retry.headers["idempotent-replayed"], "id 17 no longer is that flight");
  const again = await post(app, "before-reload");
  t.equal(again.headers["idempotent-replayed"], "true");
  t.equal(again.json().id, retry.json().id);
  t.equal(await copies(app), 1);
});
