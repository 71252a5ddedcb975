import postgres from "postgres";
import t from "tap";
import { EVENTS_STREAM, type FlightEventBody } from "../../../contracts/events/stream.js";
import { UpdatesClient } from "../../../user-svc/updates/client.js";
import { FANOUT_CHUNK, UpdatesHub } from "../../../user-svc/updates/hub.js";
import { SubscriptionsRepo } from "../../../user-svc/updates/subscriptions-repo.js";
import { waitFor } from "../../helpers/system.js";
import { build } from "../../helpers/user-svc.js";

const delay = (flight_id: number, minute: number): FlightEventBody => ({
  flight_id,
  kind: "delayed",
  before: { status: "scheduled", departure_time: "2024-02-15T08:00:00Z", arrival_time: "2024-02-15T12:00:00Z" },
  after: {
    status: "delayed",
    departure_time: `2024-02-15T09:${String(minute).padStart(2, "0")}:00Z`,
    arrival_time: "2024-02-15T12:00:00Z",
  },
  at: new Date().toISOString(),
});

// A burst of flight changes (a storm's cancellations, a schedule reload) reaches the hub as one
// read: looked up one event at a time, 10,000 of them were 10,000 users_db round trips in a row.
t.test("flight events read together cost one users_db statement, each still sent once and in order", async (t) => {
  const { app, config } = await build(t);
  await app.subscriptions.add(1, 10, 10);
  await app.subscriptions.add(2, 11, 10);
  const sent: string[] = [];
  const sql = postgres(config.usersDatabaseUrl, { max: 1, onnotice: () => {}, debug: (_c, text) => sent.push(text) });
  t.teardown(() => sql.end());
  const hub = new UpdatesHub(app.redis, new SubscriptionsRepo(sql, 3_600_000), app.log);
  await hub.start();
  t.teardown(() => hub.stop());
  const got = new Map<number, string[]>([
    [1, []],
    [2, []],
  ]);
  for (const userId of [1, 2]) {
    const transport = {
      kind: "websocket" as const,
      send: (id: string | null) => {
        got.get(userId)?.push(id as string);
        return true;
      },
      close: () => {},
    };
    await hub.connect(new UpdatesClient(userId, transport, null));
  }

  // One transaction: the hub's blocked read gets all 60 at once.
  const burst = app.redis.multi();
  for (let i = 0; i < 60; i++) {
    burst.xadd(EVENTS_STREAM, "*", "type", "flight", "body", JSON.stringify(delay([10, 11, 12][i % 3] as number, i)));
  }
  const ids = ((await burst.exec()) ?? []).map(([, id]) => String(id));
  await waitFor(async () => got.get(1)?.length === 20 && got.get(2)?.length === 20, 5_000);
  t.same(
    got.get(1),
    ids.filter((_, i) => i % 3 === 0),
    "flight 10's 20 updates, once each, in stream order",
  );
  t.same(
    got.get(2),
    ids.filter((_, i) => i % 3 === 1),
    "flight 11's likewise",
  );
  // The client's own look-up of the server's array types, on connecting, is not the hub's.
  const lookups = sent.filter((text) => text.includes("flight_subscriptions"));
  t.equal(lookups.length, 1, "one statement for the 60 events");
});

// Not timed: whether other work (a setImmediate, as the server's I/O) runs between the first
// client's send and the last one's.
t.test("an event for many clients lets other work run between chunks of them", async (t) => {
  const { app } = await build(t);
  const clients = FANOUT_CHUNK * 2 + 1;
  const hub = new UpdatesHub(app.redis, app.subscriptions, app.log);
  await hub.start();
  t.teardown(() => hub.stop());
  let sends = 0;
  let sendsWhenOtherWorkRan: number | null = null;
  const transport = {
    kind: "websocket" as const,
    send: () => {
      if (sends++ === 0) {
        setImmediate(() => {
          sendsWhenOtherWorkRan = sends;
        });
      }
      return true;
    },
    close: () => {},
  };
  for (let userId = 1; userId <= clients; userId++) {
    await app.subscriptions.add(userId, 10, 10);
    await hub.connect(new UpdatesClient(userId, transport, null));
  }
  await app.redis.xadd(EVENTS_STREAM, "*", "type", "flight", "body", JSON.stringify(delay(10, 1)));
  await waitFor(async () => sends === clients, 5_000);
  t.ok(
    sendsWhenOtherWorkRan !== null && sendsWhenOtherWorkRan < clients,
    `other work ran after ${sendsWhenOtherWorkRan} of ${clients} sends`,
  );
});
