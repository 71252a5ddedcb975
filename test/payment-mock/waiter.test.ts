import t from "tap";
import { Waiter } from "../../payment-mock/waiter.js";

t.test("a wait lasts about as long as asked; zero does not wait", async (t) => {
  const w = new Waiter();
  let started = performance.now();
  await w.wait(60);
  t.ok(performance.now() - started >= 55);
  started = performance.now();
  await w.wait(0);
  t.ok(performance.now() - started < 20);
  t.equal(w.size, 0);
});

t.test("close ends every pending wait at once, and later waits return at once", async (t) => {
  const w = new Waiter();
  const started = performance.now();
  const pending = [w.wait(60_000), w.wait(30_000)];
  t.equal(w.size, 2);
  w.close();
  await Promise.all(pending);
  await w.wait(60_000);
  t.ok(performance.now() - started < 1_000);
  t.equal(w.size, 0);
});
