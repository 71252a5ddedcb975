import t from "tap";
import { checkDelivery, checkDisruption, checkMoney } from "../../stress/updates/invariants.js";

const events = [
  { id: "1-0", flightId: 1 },
  { id: "2-0", flightId: 2 },
  { id: "3-0", flightId: 1 },
];

t.test("delivery: exactly the subscriber's flights' events, once, in order", async (t) => {
  t.same(checkDelivery(events, [{ userId: 1, flights: [1], received: ["1-0", "3-0"] }]), []);
  t.same(checkDelivery(events, [{ userId: 2, flights: [1, 2], received: ["1-0", "2-0", "3-0"] }]), []);
  const missing = checkDelivery(events, [{ userId: 3, flights: [1], received: ["1-0"] }]);
  t.match(missing, [{ detail: /1 missing/ }]);
  const twice = checkDelivery(events, [{ userId: 4, flights: [1], received: ["1-0", "1-0", "3-0"] }]);
  t.equal(twice.length, 1);
  const swapped = checkDelivery(events, [{ userId: 5, flights: [1], received: ["3-0", "1-0"] }]);
  t.equal(swapped.length, 1);
  t.equal(checkDelivery(events, [{ userId: 6, flights: [2], received: ["1-0", "2-0"] }]).length, 1, "not its flight");
});

const booking = (over: object) => ({
  bookingId: 1,
  status: "cancelled",
  cancelReason: "flight_cancelled",
  flightIds: [1],
  totalAmount: 100,
  paid: 100,
  refunded: 100,
  ...over,
});

t.test("disruption: nothing left confirmed on a cancelled flight; each refunded in full once", async (t) => {
  const cancelled = new Set([1]);
  t.same(checkDisruption([booking({})], cancelled), []);
  t.same(checkDisruption([booking({ status: "confirmed", flightIds: [2], refunded: 0 })], cancelled), []);
  t.match(checkDisruption([booking({ status: "confirmed", refunded: 0 })], cancelled), [{ detail: /is confirmed/ }]);
  t.match(checkDisruption([booking({ refunded: 200 })], cancelled), [{ invariant: "refunded exactly once" }]);
  t.match(checkDisruption([booking({ refunded: 0 })], cancelled), [{ invariant: "refunded exactly once" }]);
});

t.test("money: confirmed bookings hold what was paid and not refunded", async (t) => {
  t.same(
    checkMoney([
      booking({}),
      booking({ status: "confirmed", refunded: 0 }),
      booking({ status: "failed", paid: 0, refunded: 0 }),
    ]),
    [],
  );
  t.equal(checkMoney([booking({ status: "confirmed" })]).length, 1, "a confirmed booking refunded");
  t.equal(checkMoney([booking({ status: "failed", refunded: 0 })]).length, 1, "a failed booking kept its money");
});
