import t from "tap";
import { createRng } from "../../stress/rng.js";
import { buildRouteMix, type RouteDay, searchPath } from "../../stress/route-mix.js";

const day = (source: string, destination: string, date: string, flights: number): RouteDay => ({
  source,
  destination,
  date,
  flights,
});

// Ten busy routes and forty quiet ones over two days.
const ROUTES: RouteDay[] = [];
const AIRPORTS = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH", "III", "JJJ"];
for (let i = 0; i < 50; i++) {
  const s = AIRPORTS[i % 10] as string;
  const d = AIRPORTS[(i * 3 + 1 + Math.floor(i / 10)) % 10] as string;
  if (s === d) continue;
  for (const date of ["2024-02-15", "2024-02-16"]) ROUTES.push(day(s, d, date, i < 10 ? 40 - i : 2));
}

t.test("the busiest routes are the popular ones, ranked by flights", async (t) => {
  const mix = buildRouteMix(ROUTES);
  t.equal(mix.popular.length, 5);
  t.same(
    mix.popular.map((r) => r.flights),
    [80, 78, 76, 74, 72],
  );
  t.ok(mix.tail.length > 20);
});

t.test("popular routes take about 70% of searches, the tail and multi-stop pairs the rest", async (t) => {
  const mix = buildRouteMix(ROUTES);
  const rng = createRng(7);
  const popular = new Set(mix.popular.map((r) => `${r.source}-${r.destination}`));
  const direct = new Set(ROUTES.map((r) => `${r.source}-${r.destination}`));
  const firstPopular = `${mix.popular[0]?.source}-${mix.popular[0]?.destination}`;
  const n = 20_000;
  let onPopular = 0;
  let connecting = 0;
  let onFirst = 0;
  const seats = new Set<number>();
  const sorts = new Set<string>();
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const q = mix.next(rng);
    const pair = `${q.source}-${q.destination}`;
    if (popular.has(pair)) onPopular++;
    if (!direct.has(pair)) connecting++;
    if (pair === firstPopular) onFirst++;
    if (q.source === q.destination || !["2024-02-15", "2024-02-16"].includes(q.date)) bad++;
    seats.add(q.seats);
    sorts.add(q.sort_by);
  }
  t.equal(bad, 0, "every search has two airports and a scheduled date");
  t.ok(Math.abs(onPopular / n - 0.7) < 0.02, `popular share ${onPopular / n}`);
  t.ok(Math.abs(connecting / n - 0.1) < 0.02, `multi-stop share ${connecting / n}`);
  // 1/rank weights: the first of five gets 1/(1+1/2+1/3+1/4+1/5) ≈ 44% of the popular traffic.
  t.ok(Math.abs(onFirst / onPopular - 0.438) < 0.03, `first route share ${onFirst / onPopular}`);
  t.same([...seats].sort(), [1, 2, 3, 4]);
  t.same([...sorts].sort(), ["cheapest", "fastest"]);
});

t.test("the same seed gives the same traffic", async (t) => {
  const a = buildRouteMix(ROUTES);
  const ra = createRng(42);
  const rb = createRng(42);
  const first = Array.from({ length: 100 }, () => a.next(ra));
  const second = Array.from({ length: 100 }, () => a.next(rb));
  t.same(first, second);
  const rc = createRng(43);
  t.notSame(
    first,
    Array.from({ length: 100 }, () => a.next(rc)),
  );
});

t.test("a schedule with one route still works and no routes is an error", async (t) => {
  const mix = buildRouteMix([day("DEL", "BOM", "2024-02-15", 3)]);
  const q = mix.next(createRng(1));
  t.equal(q.source, "DEL");
  t.equal(q.destination, "BOM");
  t.throws(() => buildRouteMix([]), /no routes to search/);
});

t.test("searchPath writes the query string of the search API", async (t) => {
  t.equal(
    searchPath({ source: "DEL", destination: "BLR", date: "2024-02-15", seats: 2, sort_by: "fastest", max_stops: 1 }),
    "/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2&sort_by=fastest&max_stops=1",
  );
  t.equal(
    searchPath({ source: "DEL", destination: "BLR", date: "2024-02-15", seats: 1, sort_by: "cheapest" }),
    "/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=1&sort_by=cheapest",
  );
});
