import t from "tap";
import { redactObject, redactUrl } from "../../lib/log-redaction.js";

const R = "[redacted]";
const PERSON = { name: "Meera Iyer", email: "meera.iyer@example.com" };

t.test("a person's fields are censored at any depth, in objects and arrays", async (t) => {
  t.same(redactObject({ passengers: [PERSON], n: 1 }), { passengers: R, n: 1 });
  t.same(redactObject(PERSON), { name: R, email: R });
  t.same(redactObject({ a: { b: { c: { d: { passenger: PERSON } } } } }), {
    a: { b: { c: { d: { passenger: { name: R, email: R } } } } },
  });
  t.same(redactObject({ rows: [{ id: 1, who: PERSON }, { id: 2 }] }), {
    rows: [{ id: 1, who: { name: R, email: R } }, { id: 2 }],
  });
  t.same(redactObject({ booking: { passengers: [PERSON] } }), { booking: { passengers: R } });
});

t.test("a request's body and a postgres error's parameters are censored; other bodies are not", async (t) => {
  t.same(redactObject({ req: { method: "POST", body: { seats: 2 } } }), { req: { method: "POST", body: R } });
  t.same(redactObject({ reply: { body: { seats: 2 } } }), { reply: { body: { seats: 2 } } });
  const err = Object.assign(new Error("insert failed"), { parameters: [1, JSON.stringify([PERSON])], code: "23505" });
  const line = redactObject({ err });
  t.ok(line.err instanceof Error, "the copy is still an Error, for pino's serializer");
  t.equal(line.err.message, "insert failed");
  t.equal(line.err.stack, err.stack);
  t.equal((line.err as unknown as { parameters: unknown }).parameters, R);
  t.equal((line.err as unknown as { code: unknown }).code, "23505");
  t.same(redactObject({ outer: { err: { parameters: [1] } } }), { outer: { err: { parameters: R } } });
});

t.test("URLs keep their path and parameters, less the values of secret ones", async (t) => {
  const token = "eyJhbGciOiJFZERTQSJ9.c2VjcmV0";
  t.same(redactObject({ url: `/api/updates?access_token=${token}&since=5` }), {
    url: `/api/updates?access_token=${R}&since=5`,
  });
  t.same(redactObject({ upstream: { url: `http://h/x?Refresh_Token=${token}` } }), {
    upstream: { url: `http://h/x?Refresh_Token=${R}` },
  });
  t.same(redactObject({ path: `/api/subscriptions?access%5Ftoken=${token}` }), {
    path: `/api/subscriptions?access%5Ftoken=${R}`,
  });
  t.same(redactObject({ url: 42 }), { url: 42 }, "only text is a URL");
  t.equal(redactUrl("/api/bookings"), "/api/bookings");
});

t.test("the caller's objects are never changed, and a line with nothing to hide is not copied", async (t) => {
  const booking = { id: 7, passengers: [PERSON], legs: [{ flight_id: 1 }] };
  const line = { booking, why: "test" };
  const before = structuredClone(line);
  const out = redactObject(line);
  t.same(line, before, "the logged object is as it was");
  t.equal(booking.passengers[0], PERSON);
  t.equal(out.booking.legs, booking.legs, "an untouched branch is shared, not copied");
  const plain = { req: { method: "GET", url: "/health" }, res: { statusCode: 200 }, responseTime: 1.2 };
  t.equal(redactObject(plain), plain);
  const frozen = Object.freeze({ name: "Kabir Shah" });
  t.same(redactObject({ who: frozen }), { who: { name: R } }, "a frozen object is copied, not written");
});

t.test("only plain objects, arrays and errors are walked; a cycle ends", async (t) => {
  class Holder {
    name = "Kabir Shah";
  }
  const h = new Holder();
  t.equal(redactObject({ h }).h, h, "a class instance is left to pino's serializers");
  const date = new Date(0);
  t.equal(redactObject({ date }).date, date);
  const a: Record<string, unknown> = { id: 1 };
  a.self = a;
  const out = redactObject(a) as Record<string, unknown>;
  t.equal(out.id, 1);
  t.ok(JSON.stringify(out).includes(R), "walked to the depth limit, then censored");
});
