import t from "tap";
import { PaymentStore } from "../../payment-mock/store.js";
import { payment } from "../helpers/payment-fixtures.js";

t.test("a payment is found by id, by key and by booking id + amount + status", async (t) => {
  const store = new PaymentStore(10);
  const p = payment({ idempotencyKey: "booking-1", bookingId: 1, amountCents: 500 });
  store.add(p);
  t.equal(store.get(p.id), p);
  t.equal(store.getByKey("booking-1"), p);
  t.equal(store.getByBooking(1, 500, "success"), p);
  t.equal(store.getByBooking(1, 500, "failed"), undefined);
  t.equal(store.getByBooking(1, 501, "success"), undefined);
  t.equal(store.getByKey("booking-2"), undefined);
});

t.test("the first payment of a booking + amount with each status stays its implicit key", async (t) => {
  const store = new PaymentStore(10);
  const first = payment({ bookingId: 5, amountCents: 100, idempotencyKey: "a" });
  const second = payment({ bookingId: 5, amountCents: 100, idempotencyKey: "b" });
  const declined = payment({ bookingId: 5, amountCents: 100, status: "failed", declineCode: "card_declined" });
  store.add(first);
  store.add(second);
  store.add(declined);
  t.equal(store.getByBooking(5, 100, "success"), first);
  t.equal(store.getByBooking(5, 100, "failed"), declined);
  t.equal(store.getByKey("b"), second);
});

t.test("the cap holds: the least recently used payment and its index entries go", async (t) => {
  const store = new PaymentStore(3);
  const ps = [1, 2, 3, 4].map((i) => payment({ idempotencyKey: `k${i}`, bookingId: 100 + i }));
  for (const p of ps.slice(0, 3)) store.add(p);
  store.get(ps[0]!.id);
  store.add(ps[3]!);
  t.equal(store.size, 3);
  t.equal(store.get(ps[1]!.id), undefined, "the least recently used was evicted");
  t.equal(store.getByKey("k2"), undefined);
  t.equal(store.getByBooking(102, ps[1]!.amountCents, "success"), undefined);
  t.equal(store.getByKey("k1"), ps[0]);
  t.equal((store as unknown as { byKey: Map<string, string> }).byKey.size, 3, "the key index shrank with it");
});

t.test("clear forgets everything", async (t) => {
  const store = new PaymentStore(3);
  const p = payment({ idempotencyKey: "x" });
  store.add(p);
  store.clear();
  t.equal(store.size, 0);
  t.equal(store.getByKey("x"), undefined);
  t.equal(store.getByBooking(p.bookingId, p.amountCents, "success"), undefined);
});
