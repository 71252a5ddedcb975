import t from "tap";
import { GroupedWrites } from "../../../booking-svc/store/grouped-writes.js";

// Pure logic: what a group is made of and how each caller learns its own group's outcome.

function recorder(fail: (items: number[]) => boolean = () => false) {
  const groups: number[][] = [];
  let pending: (() => void)[] = [];
  const write = async (items: number[]) => {
    groups.push(items);
    await new Promise<void>((r) => {
      pending.push(r);
    });
    if (fail(items)) throw new Error(`group ${items.join(",")} failed`);
  };
  /** Lets every write that is waiting finish. */
  const release = () => {
    for (const r of pending) r();
    pending = [];
  };
  return { groups, write, release };
}

t.test("the first item is written alone; those arriving meanwhile go together, up to max", async (t) => {
  const r = recorder();
  const writes = new GroupedWrites(r.write, 3);
  const done = [1, 2, 3, 4, 5].map((n) => writes.add(n));
  t.same(r.groups, [[1]], "the first is written at once");
  r.release();
  await done[0];
  await new Promise((resolve) => setImmediate(resolve));
  t.same(r.groups, [[1], [2, 3, 4]], "the next three together");
  r.release();
  await done[3];
  await new Promise((resolve) => setImmediate(resolve));
  t.same(r.groups, [[1], [2, 3, 4], [5]]);
  r.release();
  await Promise.all(done);
});

t.test("a failed group is written again item by item: only the item that fails is rejected", async (t) => {
  const r = recorder((items) => items.includes(2));
  const writes = new GroupedWrites(r.write, 10);
  const first = writes.add(1);
  const second = writes.add(2);
  const third = writes.add(3);
  r.release();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  t.same(r.groups.at(-1), [2, 3]);
  r.release();
  await new Promise((resolve) => setImmediate(resolve));
  t.same(r.groups.slice(-2), [[2], [3]], "each alone, at once");
  r.release();
  await t.rejects(second, /group 2 failed/);
  await third;
  const fourth = writes.add(4);
  t.same(r.groups.at(-1), [4], "a later item starts a new write");
  r.release();
  await fourth;
});

t.test("a write that answers per item gives each caller its own item's answer", async (t) => {
  const sizes: number[] = [];
  const doubled = new GroupedWrites<number, number>(async (items) => {
    sizes.push(items.length);
    await new Promise((r) => setImmediate(r));
    return items.map((i) => i * 2);
  }, 10);
  t.same(await Promise.all([1, 2, 3, 4].map((i) => doubled.add(i))), [2, 4, 6, 8]);
  t.same(sizes, [1, 3], "the first alone, the rest together");
});
