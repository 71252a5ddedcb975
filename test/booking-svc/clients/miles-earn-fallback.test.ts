import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import t from "tap";
import { MilesClient } from "../../../booking-svc/clients/miles-client.js";
import type { UnearnedLeg } from "../../../booking-svc/flown/flown-repo.js";
import { Upstream } from "../../../lib/upstream.js";

// A booking-svc of this version beside a user-svc from before POST /api/loyalty/earn/batch (a
// rolling deploy): the batch route is a 404 there, so the legs are earned one call each, a
// refused leg answered as refused and the others earned.

const calls: string[] = [];
const server = createServer(async (req, res) => {
  let text = "";
  for await (const chunk of req) text += chunk;
  calls.push(req.url as string);
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  if (req.url !== "/api/loyalty/earn") return reply(404, { error: "not_found", message: "Route not found." });
  const leg = JSON.parse(text) as { booking_id: number; miles: number };
  if (leg.booking_id === 2) return reply(400, { error: "validation_error", message: "bad leg.", field: "flown_at" });
  return reply(200, {
    entry: { id: leg.booking_id, kind: "earn", miles: leg.miles, at: new Date().toISOString() },
    balance: 0,
  });
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
t.teardown(() => server.close());
const up = new Upstream("user-svc", `http://127.0.0.1:${(server.address() as AddressInfo).port}`, 5_000, 2);
t.teardown(() => up.close());

const leg = (bookingId: number): UnearnedLeg => ({
  bookingId,
  bookingNonce: null,
  flightId: 1,
  userId: 7,
  miles: 100,
  departedAt: null,
  flownKey: "2090-01-01 10:00:00+00",
});

t.test("an older user-svc without the batch route: each leg is earned by its own call", async (t) => {
  const earned: number[] = [];
  const refused = await new MilesClient(up, 1).earnAll([leg(1), leg(2), leg(3)], (legs) =>
    earned.push(...legs.map((l) => l.bookingId)),
  );
  t.same(earned, [1, 3]);
  t.match(
    refused.map((r) => [r.leg.bookingId, r.reason]),
    [[2, /bad leg/]],
  );
  t.same(calls, ["/api/loyalty/earn/batch", "/api/loyalty/earn", "/api/loyalty/earn", "/api/loyalty/earn"]);
});
