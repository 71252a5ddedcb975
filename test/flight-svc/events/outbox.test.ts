import t from "tap";
import type { StreamEvent } from "../../../contracts/events/stream.js";
import { eventAppender } from "../../../lib/events/append-event.js";
import type { RedisClient } from "../../../lib/redis-plugin.js";
import { fileAuth } from "../../helpers/auth.js";
import { killProcess, startFlightProcess } from "../../helpers/flight-process.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { freePort } from "../../helpers/free-port.js";
import { streamEvents } from "../../helpers/stream-events.js";
import { waitFor } from "../../helpers/system.js";
import { TcpProxy } from "../../helpers/tcp-proxy.js";

const auth = await fileAuth();
const admin = (await auth.admin()).headers;

async function waitForEvents(redis: RedisClient, n: number): Promise<StreamEvent[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = await streamEvents(redis);
    if (events.length >= n || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 25));
  }
}

t.test("status and time changes are appended once each, in order; price and seats are not events", async (t) => {
  const { app } = await build(t, { auth });
  const [id] = await seedFlights(app.sql, [{}]);
  const patch = (body: object) =>
    app.inject({ headers: admin, method: "PATCH", url: `/api/flights/${id}`, payload: body });
  t.equal((await patch({ price: 6100 })).statusCode, 200);
  t.equal((await patch({ total_seats: 120 })).statusCode, 200);
  t.equal(
    (await patch({ status: "delayed", departure_time: "2024-02-15T09:00:00Z", arrival_time: "2024-02-15T11:00:00Z" }))
      .statusCode,
    200,
  );
  t.equal((await patch({ departure_time: "2024-02-15T08:30:00Z" })).statusCode, 200);
  t.equal((await patch({ status: "cancelled" })).statusCode, 200);
  const events = await waitForEvents(app.redis, 3);
  await new Promise((r) => setTimeout(r, 200));
  t.same(
    (await streamEvents(app.redis)).map((e) => e.body),
    [
      {
        flight_id: id,
        kind: "delayed",
        before: { status: "scheduled", departure_time: "2024-02-15T08:00:00Z", arrival_time: "2024-02-15T10:00:00Z" },
        after: { status: "delayed", departure_time: "2024-02-15T09:00:00Z", arrival_time: "2024-02-15T11:00:00Z" },
        at: events[0]?.body.at,
      },
      {
        flight_id: id,
        kind: "retimed",
        before: { status: "delayed", departure_time: "2024-02-15T09:00:00Z", arrival_time: "2024-02-15T11:00:00Z" },
        after: { status: "delayed", departure_time: "2024-02-15T08:30:00Z", arrival_time: "2024-02-15T11:00:00Z" },
        at: events[1]?.body.at,
      },
      {
        flight_id: id,
        kind: "cancelled",
        before: { status: "delayed", departure_time: "2024-02-15T08:30:00Z", arrival_time: "2024-02-15T11:00:00Z" },
        after: { status: "cancelled", departure_time: "2024-02-15T08:30:00Z", arrival_time: "2024-02-15T11:00:00Z" },
        at: events[2]?.body.at,
      },
    ],
  );
  // The relay marks a row after appending its entry, so the marks may trail what a reader sees.
  const marks = async () =>
    (await app.sql<{ stream_id: string | null }[]>`SELECT stream_id FROM flight_event_outbox ORDER BY id`).map(
      (r) => r.stream_id,
    );
  await waitFor(async () => (await marks()).every((m) => m !== null), 15_000);
  t.same(
    await marks(),
    events.map((e) => e.id),
    "each outbox row is marked with its entry's id",
  );
});

t.test("a change refused under the row lock leaves no event", async (t) => {
  const { app } = await build(t, { auth });
  const [id] = await seedFlights(app.sql, [{ booked: 10 }]);
  const r = await app.inject({
    headers: admin,
    method: "PATCH",
    url: `/api/flights/${id}`,
    payload: { status: "delayed", total_seats: 5 },
  });
  t.equal(r.statusCode, 409);
  const [row] = await app.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM flight_event_outbox`;
  t.equal(row?.n, 0);
});

t.test("an append made before a crash is not made again when the relay retries", async (t) => {
  const { app, config } = await build(t, { auth });
  await app.eventRelay.stop();
  const [id] = await seedFlights(app.sql, [{}]);
  await app.inject({ headers: admin, method: "PATCH", url: `/api/flights/${id}`, payload: { status: "delayed" } });
  // What a relay killed after its append and before its commit leaves: the entry, no mark.
  const [row] = await app.sql<{ event_key: string }[]>`SELECT event_key FROM flight_event_outbox`;
  const first = await eventAppender(app.redis, config.eventsRetentionHours).append(
    `flight-${row?.event_key}`,
    "flight",
    { flight_id: id },
  );
  t.equal(await app.eventRelay.relayOnce(), 1, "the row was still waiting");
  t.equal(await app.eventRelay.relayOnce(), 0);
  const events = await streamEvents(app.redis);
  t.same(
    events.map((e) => e.id),
    [first],
    "the retry found the first append",
  );
  const [marked] = await app.sql<{ stream_id: string }[]>`SELECT stream_id FROM flight_event_outbox`;
  t.equal(marked?.stream_id, first);
});

t.test("flight-svc killed between the commit and the append: the event is appended after restart", async (t) => {
  const { app, config } = await build(t, { auth });
  await app.eventRelay.stop();
  const [id] = await seedFlights(app.sql, [{}]);
  const redisPort = Number(new URL(config.redisUrl).port);
  const proxy = await TcpProxy.start(redisPort);
  t.teardown(() => proxy.cut());
  const port = await freePort();
  const child = await startFlightProcess({ ...config, redisUrl: proxy.via(config.redisUrl) }, port, auth.env);
  t.teardown(() => killProcess(child, "SIGKILL"));
  // Redis goes away: the change commits in PostgreSQL, the append cannot happen.
  await proxy.cut();
  await fetch(`http://127.0.0.1:${port}/api/flights/${id}`, {
    method: "PATCH",
    headers: { ...admin, "content-type": "application/json" },
    body: JSON.stringify({ status: "cancelled" }),
  });
  const [waiting] = await app.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM flight_event_outbox WHERE stream_id IS NULL`;
  t.equal(waiting?.n, 1, "committed, not appended");
  const [flight] = await app.sql<{ status: string }[]>`SELECT status FROM flights WHERE id = ${id as number}`;
  t.equal(flight?.status, "cancelled");
  await killProcess(child, "SIGKILL");
  t.equal((await streamEvents(app.redis)).length, 0);

  // Another instance (or the same one restarted) relays what the dead one left.
  app.eventRelay.start();
  const events = await waitForEvents(app.redis, 1);
  t.same(
    events.map((e) => (e.type === "flight" ? [e.body.flight_id, e.body.kind] : [])),
    [[id, "cancelled"]],
  );
  await new Promise((r) => setTimeout(r, 300));
  t.equal((await streamEvents(app.redis)).length, 1, "once");
});
