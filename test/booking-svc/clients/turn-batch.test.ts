import t from "tap";
import { type Batched, TurnBatch } from "../../../booking-svc/clients/turn-batch.js";
import { currentRequestId, withRequestId } from "../../../lib/request-context.js";
import type { Reply } from "../../../lib/upstream.js";

// The calls of one event-loop turn go as one; each caller gets its own reply, its own error, and
// alone (or when the upstream will not take the batch) the call it would have made anyway.

interface Calls {
  one: { item: number; requestId: string | undefined }[];
  many: { items: number[]; requestId: string | undefined }[];
}

function batcher(many: (items: Batched<number>[]) => Promise<Reply<unknown>[] | null>, max = 8) {
  const calls: Calls = { one: [], many: [] };
  const batch = new TurnBatch<number>({
    one: async (item) => {
      calls.one.push({ item, requestId: currentRequestId() });
      return { status: 201, body: { alone: item } };
    },
    many: async (items) => {
      calls.many.push({ items: items.map((b) => b.item), requestId: currentRequestId() });
      return many(items);
    },
    max,
  });
  return { batch, calls };
}

const answerEach = async (items: Batched<number>[]) =>
  items.map((b) => ({ status: 200, body: { item: b.item, for: b.requestId } }));

t.test("calls of one turn: one batch, each its own reply, each with its request id", async (t) => {
  const { batch, calls } = batcher(answerEach);
  const replies = await Promise.all([1, 2, 3].map((n) => withRequestId(`req-${n}`, () => batch.send(n))));
  t.same(calls.many, [{ items: [1, 2, 3], requestId: undefined }], "the batch belongs to no one request");
  t.same(calls.one, []);
  t.same(
    replies.map((r) => r.body),
    [1, 2, 3].map((n) => ({ item: n, for: `req-${n}` })),
  );
});

t.test("a call alone goes as it would without batching, in its request's context", async (t) => {
  const { batch, calls } = batcher(answerEach);
  const reply = await withRequestId("req-alone", () => batch.send(7));
  t.same(calls.many, []);
  t.same(calls.one, [{ item: 7, requestId: "req-alone" }]);
  t.same(reply, { status: 201, body: { alone: 7 } });
  await Promise.all([batch.send(8), batch.send(9)]);
  await batch.send(10);
  t.same(calls.many.length, 1, "a later turn is a batch of its own");
  t.same(calls.one.at(-1)?.item, 10);
});

t.test("a batch the upstream will not take: each item alone, with its request id", async (t) => {
  const { batch, calls } = batcher(async () => null);
  const replies = await Promise.all([1, 2].map((n) => withRequestId(`req-${n}`, () => batch.send(n))));
  t.equal(calls.many.length, 1);
  t.same(calls.one, [
    { item: 1, requestId: "req-1" },
    { item: 2, requestId: "req-2" },
  ]);
  t.same(
    replies.map((r) => r.body),
    [{ alone: 1 }, { alone: 2 }],
  );
});

t.test("a reply count that does not match the items is not trusted: each alone", async (t) => {
  const { batch, calls } = batcher(async (items) => (await answerEach(items)).slice(1));
  await Promise.all([batch.send(1), batch.send(2)]);
  t.same(
    calls.one.map((c) => c.item),
    [1, 2],
  );
});

t.test("an error of the whole call is each caller's error", async (t) => {
  const { batch } = batcher(async () => {
    throw new Error("no answer in time");
  });
  const results = await Promise.allSettled([batch.send(1), batch.send(2)]);
  t.same(
    results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "fulfilled")),
    ["no answer in time", "no answer in time"],
  );
});

t.test("more than max in a turn: split into calls sent together", async (t) => {
  const { batch, calls } = batcher(answerEach, 2);
  const replies = await Promise.all([1, 2, 3, 4, 5].map((n) => batch.send(n)));
  t.same(
    calls.many.map((c) => c.items),
    [
      [1, 2],
      [3, 4],
    ],
  );
  t.same(
    calls.one.map((c) => c.item),
    [5],
    "a remainder of one goes alone",
  );
  t.same(
    replies.map((r) => (r.body as { item?: number; alone?: number }).item ?? (r.body as { alone: number }).alone),
    [1, 2, 3, 4, 5],
  );
});
