import t from "tap";
import type { AppError } from "../../lib/errors.js";
import { PaymentService, type ProcessResult } from "../../payment-mock/service.js";
import type { MockSettings } from "../../payment-mock/settings.js";
import type { ChargeRequest } from "../../payment-mock/types.js";

const quiet: MockSettings = {
  failureRate: 0,
  timeoutRate: 0,
  latencyMinMs: 0,
  latencyMaxMs: 0,
  timeoutDelayMs: 50,
  timeoutOutcome: "not_processed",
  seed: 1,
};
const req: ChargeRequest = { bookingId: 1, userId: 7, amountCents: 125_050, paymentType: "upi" };

function service(t: { teardown: (fn: () => void) => void }, over: Partial<MockSettings> = {}) {
  const s = new PaymentService({ ...quiet, ...over }, 1_000);
  t.teardown(() => s.close());
  return s;
}

const idOf = (r: ProcessResult) => (r.kind === "payment" ? r.payment.id : "timeout");

async function codeOf(p: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    return (err as AppError).code;
  }
  return "no error";
}

t.test("the same key returns the first payment and charges once", async (t) => {
  const s = service(t);
  const first = await s.process(req, "booking-1");
  const again = await s.process(req, "booking-1");
  t.equal(first.replayed, false);
  t.equal(again.replayed, true);
  t.equal(idOf(again), idOf(first));
  t.equal(s.statsJson().success.count, 1);
});

t.test("the same key with another body is refused and charges nothing", async (t) => {
  const s = service(t);
  await s.process(req, "booking-1");
  t.equal(await codeOf(s.process({ ...req, amountCents: 1 }, "booking-1")), "idempotency_key_reused");
  t.equal(await codeOf(s.process({ ...req, userId: 8 }, "booking-1")), "idempotency_key_reused");
  t.equal(s.statsJson().success.count, 1);
});

t.test("without a key, booking id + amount is the key; another amount is another payment", async (t) => {
  const s = service(t);
  const first = await s.process(req, null);
  t.equal(idOf(await s.process(req, null)), idOf(first));
  t.not(idOf(await s.process({ ...req, amountCents: 99 }, null)), idOf(first));
  t.equal(s.statsJson().success.count, 2);
});

t.test("without a key, another user or payment type for a booking + amount is refused, also in flight", async (t) => {
  const s = service(t);
  await s.process(req, null);
  t.equal(await codeOf(s.process({ ...req, paymentType: "credit_card" }, null)), "idempotency_key_reused");
  t.equal(await codeOf(s.process({ ...req, userId: 8 }, null, "success")), "idempotency_key_reused");
  const late = { ...req, bookingId: 2 };
  const waiting = s.process(late, null, "timeout");
  t.equal(await codeOf(s.process({ ...late, userId: 8 }, null, "timeout")), "idempotency_key_reused");
  t.same(await waiting, { kind: "timeout", replayed: false });
  t.equal(s.statsJson().success.count, 1);
});

t.test("a declined payment is replayed as declined, not retried", async (t) => {
  const s = service(t, { failureRate: 1 });
  const first = await s.process(req, "k");
  s.updateSettings({ failure_rate: 0 });
  const again = await s.process(req, "k");
  t.equal(first.kind === "payment" && first.payment.status, "failed");
  t.equal(idOf(again), idOf(first));
  t.same(s.statsJson().failed, { count: 1, amount: 1250.5 });
});

t.test("a duplicate that arrives during the latency shares the first answer", async (t) => {
  const s = service(t, { latencyMinMs: 80, latencyMaxMs: 80 });
  const [a, b, c] = await Promise.all([s.process(req, "k"), s.process(req, "k"), s.process(req, null)]);
  t.equal(idOf(b), idOf(a));
  t.equal(idOf(c), idOf(a), "the key-less duplicate finds the recorded payment by booking id + amount");
  t.same([a.replayed, b.replayed], [false, true]);
  t.equal(s.statsJson().success.count, 1);
});

t.test("without a key, a forced outcome never shares the wait of a request forced to another", async (t) => {
  const s = service(t);
  const [late, paid, lateAgain] = await Promise.all([
    s.process(req, null, "timeout"),
    s.process(req, null, "success"),
    s.process(req, null, "timeout"),
  ]);
  t.same(late, { kind: "timeout", replayed: false });
  t.equal(paid.kind === "payment" && paid.payment.status, "success");
  t.same(lateAgain, { kind: "timeout", replayed: true }, "the same forced timeout shares the wait");
  t.same(s.statsJson().timeout, { count: 1, processed: 0 });
});

t.test("a timeout that is not processed records nothing; a retry with the key is a new attempt", async (t) => {
  const s = service(t);
  const started = performance.now();
  const [a, b] = await Promise.all([s.process(req, "k", "timeout"), s.process(req, "k")]);
  t.ok(performance.now() - started >= 45, "the answer waited for the timeout delay");
  t.same(a, { kind: "timeout", replayed: false });
  t.same(b, { kind: "timeout", replayed: true }, "the concurrent duplicate got the same timeout");
  t.equal(await codeOf(() => s.getByKey("k")), "payment_not_found");
  t.same(s.statsJson().timeout, { count: 1, processed: 0 });
  const retry = await s.process(req, "k");
  t.equal(retry.kind, "payment");
  t.equal(s.statsJson().success.count, 1);
});

t.test("a processed timeout is charged at receipt; a later retry learns it succeeded", async (t) => {
  const s = service(t, { timeoutOutcome: "processed" });
  const pending = s.process(req, "k", "timeout");
  t.equal(s.getByKey("k").status, "success", "visible to a status lookup before the answer");
  t.same(await pending, { kind: "timeout", replayed: false });
  const retry = await s.process(req, "k");
  t.equal(retry.replayed, true);
  t.equal(idOf(retry), s.getByKey("k").id);
  t.same(s.statsJson(), {
    success: { count: 1, amount: 1250.5 },
    failed: { count: 0, amount: 0 },
    timeout: { count: 1, processed: 1 },
    refunds: { count: 0, amount: 0 },
    net_amount: 1250.5,
  });
});

t.test("refunds with a key are replayed; the key with another body is refused", async (t) => {
  const s = service(t);
  const paid = await s.process(req, "k");
  const id = idOf(paid);
  const a = s.refund(id, 50_000, "r1");
  const b = s.refund(id, 50_000, "r1");
  t.equal(b.refund.id, a.refund.id);
  t.equal(b.replayed, true);
  t.equal(await codeOf(() => s.refund(id, 10_000, "r1")), "idempotency_key_reused");
  const rest = s.refund(id, undefined, null);
  t.equal(rest.refund.amountCents, 75_050);
  t.equal(s.refund(id, undefined, null).refund.id, rest.refund.id, "a repeated full refund is the same refund");
  t.same(s.statsJson().refunds, { count: 2, amount: 1250.5 });
  t.equal(s.statsJson().net_amount, 0);
  t.equal(await codeOf(() => s.refund("pay_nope", undefined, null)), "payment_not_found");
});

t.test("with a seed, reset starts the same sequence again", async (t) => {
  const s = service(t, { failureRate: 0.5, seed: 11 });
  const run = async () => {
    const out: string[] = [];
    for (let i = 1; i <= 40; i++) {
      const r = await s.process({ ...req, bookingId: i }, null);
      out.push(r.kind === "payment" ? (r.payment.declineCode ?? "ok") : "timeout");
    }
    return out;
  };
  const first = await run();
  t.ok(first.includes("ok") && first.some((o) => o !== "ok"), "both outcomes occur");
  s.reset();
  t.same(await run(), first);
  t.equal(s.storedCount, 40);
});

t.test("close answers the waiting requests at once", async (t) => {
  const s = service(t, { timeoutDelayMs: 60_000, latencyMinMs: 60_000, latencyMaxMs: 60_000 });
  const started = performance.now();
  const pending = Promise.all([s.process(req, "a", "timeout"), s.process({ ...req, bookingId: 2 }, "b")]);
  s.close();
  const [a, b] = await pending;
  t.equal(a.kind, "timeout");
  t.equal(b.kind, "payment");
  t.ok(performance.now() - started < 1_000);
});

t.test("without a seed a random one is drawn and told, so the run can be replayed with it", async (t) => {
  const s = service(t, { failureRate: 0.5, seed: null });
  const outcomes = async () => {
    const out: string[] = [];
    for (let i = 1; i <= 30; i++) {
      const r = await s.process({ ...req, bookingId: i }, null);
      out.push(r.kind === "payment" ? r.payment.status : "timeout");
    }
    return out;
  };
  const seed = s.seedInUse;
  const first = await outcomes();
  s.updateSettings({ seed });
  s.reset();
  t.equal(s.seedInUse, seed);
  t.same(await outcomes(), first);
  s.updateSettings({ seed: null });
  t.equal(s.currentSettings.seed, null);
});
