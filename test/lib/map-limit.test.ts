import { setImmediate as turn } from "node:timers/promises";
import t from "tap";
import { mapLimit } from "../../lib/map-limit.js";

t.test("results come in the items' order, with at most `limit` calls in flight", async (t) => {
  let running = 0;
  let most = 0;
  const out = await mapLimit([5, 1, 4, 2, 3, 0], 3, async (n) => {
    running++;
    most = Math.max(most, running);
    for (let i = 0; i < n; i++) await turn();
    running--;
    return n * 10;
  });
  t.same(out, [50, 10, 40, 20, 30, 0]);
  t.equal(most, 3);
});

t.test("a failure is thrown once every call has ended, and the items after it still run", async (t) => {
  const ended: number[] = [];
  const run = mapLimit([1, 2, 3, 4], 2, async (n) => {
    await turn();
    if (n === 1) throw new Error("one failed");
    for (let i = 0; i < n; i++) await turn();
    ended.push(n);
    return n;
  });
  await t.rejects(run, /one failed/);
  t.same(ended.sort(), [2, 3, 4], "none left running when the failure is thrown");
});
