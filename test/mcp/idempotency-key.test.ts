import t from "tap";
import { canonicalJson, idempotencyKey } from "../../mcp/idempotency-key.js";

// The key an assistant's retry must hit again, and the calls that must not share it.

const trip = { flight_id: 7, seats: 2, date: "2024-02-15" };

t.test("the same call in any key order is the same key", async (t) => {
  t.equal(canonicalJson({ b: [{ y: 1, x: 2 }], a: null }), '{"a":null,"b":[{"x":2,"y":1}]}');
  t.equal(idempotencyKey(1, "book", trip), idempotencyKey(1, "book", { date: "2024-02-15", seats: 2, flight_id: 7 }));
  t.match(idempotencyKey(1, "book", trip), /^mcp-[0-9a-f]{64}$/);
});

t.test("another user, tool or argument is another key", async (t) => {
  const key = idempotencyKey(1, "book", trip);
  t.not(idempotencyKey(2, "book", trip), key);
  t.not(idempotencyKey(1, "change_booking", trip), key);
  t.not(idempotencyKey(1, "book", { ...trip, seats: 3 }), key);
});

t.test("a request_id alone names the attempt", async (t) => {
  const key = idempotencyKey(1, "book", { ...trip, request_id: "r1" });
  t.not(key, idempotencyKey(1, "book", trip), "not the key without it");
  t.not(key, idempotencyKey(1, "book", { ...trip, request_id: "r2" }));
  t.equal(
    key,
    idempotencyKey(1, "book", { ...trip, seats: 3, request_id: "r1" }),
    "booking-svc then refuses the other body",
  );
});
