import t from "tap";
import { TurnReads } from "../../lib/turn-reads.js";

t.test("reads asked in one turn of the event loop share one read; each gets its own ids in order", async (t) => {
  const calls: number[][] = [];
  let reads = 0;
  const seats = new TurnReads<number | null>(
    async (ids) => {
      calls.push(ids);
      return ids.map((id) => (id === 99 ? null : id * 10));
    },
    () => reads++,
  );
  const [a, b, c] = await Promise.all([seats.read([3, 1]), seats.read([1, 2]), seats.read([99])]);
  t.same(calls, [[3, 1, 2, 99]]);
  t.equal(reads, 1);
  t.same([a, b, c], [[30, 10], [10, 20], [null]]);
  t.same(await seats.read([5]), [50], "a later turn reads again");
  t.equal(reads, 2);
});

t.test("a large union is split into reads sent together", async (t) => {
  const sizes: number[] = [];
  const seats = new TurnReads<number | null>(
    async (ids) => {
      sizes.push(ids.length);
      return ids.map(() => 1);
    },
    () => {},
  );
  const asks = Array.from({ length: 30 }, (_, i) => seats.read(Array.from({ length: 40 }, (_, j) => i * 40 + j)));
  const answers = await Promise.all(asks);
  t.same(sizes, [512, 512, 176]);
  t.ok(answers.every((a) => a.length === 40 && a.every((v) => v === 1)));
});

t.test("a failed read fails every search that shared it, and the next turn reads again", async (t) => {
  let fail = true;
  const seats = new TurnReads<number | null>(
    async (ids) => {
      if (fail) throw new Error("redis down");
      return ids.map(() => 7);
    },
    () => {},
  );
  const results = await Promise.allSettled([seats.read([1]), seats.read([2])]);
  t.same(
    results.map((r) => r.status),
    ["rejected", "rejected"],
  );
  fail = false;
  t.same(await seats.read([1]), [7]);
});
