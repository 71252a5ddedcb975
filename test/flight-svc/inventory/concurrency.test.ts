import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;

t.test("500 concurrent 1-seat holds on a 100-seat flight: exactly 100 succeed, counter 0", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 100 }]);
  // No counter yet: the first holds also race to initialise it.
  const replies = await Promise.all(
    Array.from({ length: 500 }, () =>
      app.inject({
        headers: service,
        method: "POST",
        url: "/api/flights/holds",
        payload: { flight_ids: [f], seats: 1 },
      }),
    ),
  );
  const codes = replies.map((r) => r.statusCode);
  t.equal(codes.filter((c) => c === 201).length, 100);
  t.equal(codes.filter((c) => c === 409).length, 400);
  t.equal(await app.redis.get(keys.seatsAvailable(f!)), "0");
  t.equal(await app.redis.hlen(keys.flightHolds(f!)), 100);
});

t.test("concurrent multi-leg holds on overlapping legs never hold one leg without the others", async (t) => {
  const { app } = await build(t, { auth });
  const flights = await seedFlights(app.sql, [{ total: 12 }, { total: 9 }, { total: 15 }, { total: 6 }]);
  const [a, b, c, d] = flights as [number, number, number, number];
  const itineraries = [
    [a, b],
    [b, c],
    [c, a],
    [a, b, c],
    [d, b],
    [a, b, c, d],
    [c, d],
  ];
  const results = await Promise.all(
    Array.from({ length: 300 }, async (_, i) => {
      const legs = itineraries[i % itineraries.length] as number[];
      const seats = 1 + (i % 3);
      try {
        const h = await app.inventory.placeHold({ flightIds: legs, seats, ttlSeconds: 60 });
        // Release a third again at once, racing the other holds.
        if (i % 3 === 0) await app.inventory.releaseHold(h.hold_id);
        return { id: h.hold_id, legs, seats, live: i % 3 !== 0 };
      } catch (err) {
        t.equal((err as { code?: string }).code, "not_enough_seats");
        return null;
      }
    }),
  );
  const live = results.filter((r) => r?.live) as { id: string; legs: number[]; seats: number }[];
  t.ok(live.length > 0 && live.length < 300, `${live.length} holds live`);
  for (const f of flights) {
    const hash = await app.redis.hgetall(keys.flightHolds(f));
    const expected = live.filter((h) => h.legs.includes(f));
    t.same(
      Object.keys(hash).sort(),
      expected.map((h) => h.id).sort(),
      `flight ${f} holds exactly the live holds on it`,
    );
    const held = expected.reduce((s, h) => s + h.seats, 0);
    const [total] = await app.sql<{ total_seats: number }[]>`SELECT total_seats FROM flights WHERE id = ${f}`;
    t.equal(Number(await app.redis.get(keys.seatsAvailable(f))), total!.total_seats - held, `flight ${f} counter`);
    t.ok(held <= total!.total_seats);
  }
});
