import { Registry } from "prom-client";
import t from "tap";
import { counterFrom, gaugeFrom } from "../../lib/metrics.js";

// A gauge read from Redis or PostgreSQL at scrape time. While that store was down (PostgreSQL
// stopped: booking-svc's oldest pending booking) or stalled (Redis stopped: flight-svc's live
// holds), its read failed or hung, and the scrape lost every other family with it, the request
// counts included, just when an operator looks at them.

function registryWith(read: () => number | Promise<number>): Registry {
  const registry = new Registry();
  counterFrom(registry, "test_requests_total", "Requests.", () => 7);
  gaugeFrom(registry, "test_store_gauge", "A gauge read from a store.", "max", read);
  return registry;
}

t.test("a gauge whose store refuses reads NaN; the scrape keeps every other family", async (t) => {
  const text = await registryWith(() => Promise.reject(new Error("PostgreSQL is unavailable"))).metrics();
  t.match(text, /^test_requests_total 7$/m);
  t.match(text, /^test_store_gauge nan$/im);
});

t.test("a gauge whose store does not answer reads NaN after a second, not at the store's timeout", async (t) => {
  const started = Date.now();
  const text = await registryWith(() => new Promise<number>(() => {})).metrics();
  const took = Date.now() - started;
  t.ok(took < 1_500, `the scrape took ${took} ms (a worker's part is waited for 2 s)`);
  t.match(text, /^test_requests_total 7$/m);
  t.match(text, /^test_store_gauge nan$/im);
});

t.test("a read that answers is the gauge's value", async (t) => {
  t.match(await registryWith(async () => 3).metrics(), /^test_store_gauge 3$/m);
  t.match(await registryWith(() => 4).metrics(), /^test_store_gauge 4$/m);
});
