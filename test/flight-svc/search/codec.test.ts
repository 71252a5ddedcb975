import t from "tap";
import { decodeCandidates, encodeCandidates } from "../../../flight-svc/search/codec.js";
import { SearchEngine } from "../../../flight-svc/search/engine.js";
import { dayStartMinutes } from "../../../flight-svc/search/flight-record.js";
import { indexOf, type NetFlight } from "../../helpers/search-oracle.js";

const BASE = dayStartMinutes("2024-02-15") as number;
const flights: NetFlight[] = [
  { id: 1, source: "AAA", destination: "CCC", dep: BASE + 600, arr: BASE + 700, price: 300, cancelled: false },
  { id: 2, source: "AAA", destination: "BBB", dep: BASE + 480, arr: BASE + 540, price: 100, cancelled: false },
  { id: 3, source: "BBB", destination: "CCC", dep: BASE + 600, arr: BASE + 660, price: 100, cancelled: false },
  { id: 4, source: "AAA", destination: "CCC", dep: BASE + 900, arr: BASE + 960, price: 500, cancelled: false },
];
const query = {
  source: "AAA",
  destination: "CCC",
  dayStart: BASE,
  maxStops: 3,
  sorts: ["cheapest", "fastest"],
} as const;
const ids = (list: { legs: { id: number }[] }[]) => list.map((it) => it.legs.map((f) => f.id));

t.test("a complete set is stored once and decodes to both orders", async (t) => {
  const index = indexOf(flights);
  const r = new SearchEngine(index, { minConnectionMinutes: 45, maxLayoverMinutes: 360 }).search({
    ...query,
    candidates: 10,
  });
  const set = { complete: r.complete, lists: { cheapest: r.lists.cheapest ?? [], fastest: r.lists.fastest ?? [] } };
  t.ok(set.complete);
  const text = encodeCandidates(set);
  t.same(JSON.parse(text), { complete: true, cheapest: [[2, 3], [1], [4]] });
  const back = decodeCandidates(text, index);
  t.same(ids(back?.lists.cheapest ?? []), [[2, 3], [1], [4]]);
  t.same(ids(back?.lists.fastest ?? []), [[4], [1], [2, 3]]);
  t.same(
    back?.lists.cheapest.map((it) => [it.price, it.duration, it.departure]),
    [
      [200, 180, BASE + 480],
      [300, 100, BASE + 600],
      [500, 60, BASE + 900],
    ],
  );
});

t.test("a cut set keeps both lists; an unknown or cancelled flight makes it unusable", async (t) => {
  const index = indexOf(flights);
  const r = new SearchEngine(index, { minConnectionMinutes: 45, maxLayoverMinutes: 360 }).search({
    ...query,
    candidates: 1,
  });
  const set = { complete: r.complete, lists: { cheapest: r.lists.cheapest ?? [], fastest: r.lists.fastest ?? [] } };
  t.notOk(set.complete);
  const text = encodeCandidates(set);
  t.same(JSON.parse(text), { complete: false, cheapest: [[2, 3]], fastest: [[4]] });
  t.same(ids(decodeCandidates(text, index)?.lists.fastest ?? []), [[4]]);
  t.equal(decodeCandidates(JSON.stringify({ complete: true, cheapest: [[99]] }), index), null);
  index.upsert({ ...index.flight(4)!, status: "cancelled" });
  t.equal(decodeCandidates(text, index), null);
});
