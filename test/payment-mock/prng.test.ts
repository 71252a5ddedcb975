import t from "tap";
import { createRng } from "../../payment-mock/prng.js";

const draw = (seed: number, n: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng());
};

t.test("the same seed gives the same sequence, another seed another", async (t) => {
  t.same(draw(42, 100), draw(42, 100));
  t.not(draw(42, 100).join(), draw(43, 100).join());
});

t.test("numbers lie in [0, 1) and spread evenly", async (t) => {
  const xs = draw(7, 20_000);
  t.ok(xs.every((x) => x >= 0 && x < 1));
  const buckets = new Array(10).fill(0);
  for (const x of xs) buckets[Math.floor(x * 10)]++;
  for (const b of buckets) t.ok(b > 1_800 && b < 2_200, `bucket holds ${b} of 20000`);
});
