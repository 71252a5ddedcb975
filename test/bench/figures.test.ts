import t from "tap";
import {
  formatSpread,
  interquartile,
  median,
  medianInterval,
  pairedRatios,
  quantile,
  settled,
  spread,
  verdict,
  verdictRows,
} from "../../bench/lib/figures.js";
import { bookingRequest } from "../../bench/lib/load-spec.js";

t.test("the median of an odd and an even number of rounds", async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
  t.ok(Number.isNaN(median([])));
});

t.test("quantiles interpolate between rounds; the interquartile range is the middle half", async (t) => {
  t.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
  t.equal(quantile([10, 20], 0.25), 12.5);
  t.same(interquartile([0.9, 1.0, 1.1, 1.2, 0.8]), [0.9, 1.1]);
  t.ok(Number.isNaN(quantile([], 0.5)));
});

t.test("the median's bootstrap interval holds the median, narrows with agreeing rounds, repeats", async (t) => {
  const tight = [0.99, 1.0, 1.01, 0.98, 1.02, 1.0, 0.99, 1.01, 1.0, 1.0, 0.98, 1.02];
  const wide = [0.7, 1.3, 0.8, 1.2, 1.0, 0.75, 1.25, 0.9, 1.1, 0.85, 1.15, 1.0];
  const [lo, hi] = medianInterval(tight);
  t.ok(lo <= median(tight) && median(tight) <= hi);
  t.ok(hi - lo < 0.03, `tight rounds: ${lo}–${hi}`);
  const [wlo, whi] = medianInterval(wide);
  t.ok(whi - wlo > 0.1, `wide rounds: ${wlo}–${whi}`);
  t.same(medianInterval(wide), [wlo, whi], "seeded: the same rounds give the same interval");
  t.same(medianInterval([1.5]), [1.5, 1.5]);
  t.ok(medianInterval([]).every(Number.isNaN));
});

t.test("an interval settles a bound only when it lies wholly on one side", async (t) => {
  t.equal(settled([0.97, 1.01], 0.95, "min"), "met");
  t.equal(settled([0.9, 0.94], 0.95, "min"), "not met");
  t.equal(settled([0.93, 0.99], 0.95, "min"), "unsettled");
  t.equal(settled([0.9, 0.98], 1, "max"), "met");
  t.equal(settled([1.01, 1.2], 1, "max"), "not met");
  t.equal(settled([Number.NaN, Number.NaN], 1, "min"), "unmeasured");
});

t.test("a spread keeps the median and the range, printed with its rounds' range", async (t) => {
  t.same(spread([10, 30, 20]), { median: 20, min: 10, max: 30 });
  t.equal(formatSpread(spread([1200, 1000, 1500])), "1,200 (1,000–1,500)");
  t.equal(formatSpread(spread([0.912, 0.9, 0.95]), 2), "0.91 (0.90–0.95)");
  t.equal(formatSpread(spread([7])), "7");
});

t.test("ratios pair the rounds and drop the ones with nothing to divide by", async (t) => {
  t.same(pairedRatios([10, 20, 30], [5, 0, 10]), [2, 3]);
});

t.test("a target is met by its median, in the direction it asks", async (t) => {
  const at = (ratios: number[], kind: "min" | "max") =>
    verdict({ name: "x", measure: "m", ratios, bound: 1, kind }).met;
  t.equal(at([0.8, 1.1, 1.2], "min"), true);
  t.equal(at([0.8, 0.9, 1.2], "min"), false);
  t.equal(at([0.8, 0.9, 1.2], "max"), true);
  t.equal(at([1, 1, 1], "max"), true);
  t.equal(at([], "min"), null);
});

t.test("with an interval the verdict is the interval's, so a median above the bound may stay unsettled", async (t) => {
  const of = (interval: [number, number]) =>
    verdict({ name: "metrics", measure: "off ÷ on", ratios: [0.9, 1.0, 1.1], bound: 0.95, kind: "min", interval });
  t.equal(of([0.96, 1.04]).met, true);
  t.equal(of([0.9, 1.04]).met, "unsettled");
  t.equal(of([0.8, 0.94]).met, false);
  t.equal(of([Number.NaN, Number.NaN]).met, null);
  t.match(verdictRows([of([0.9, 1.04])])[2], /\| 1.00 \(0.90–1.10\) \| ≥ 0.95 \| unsettled \|$/);
});

t.test("rounds that measured nothing are left out of a spread", async (t) => {
  t.same(spread([Number.NaN, 2, 1, 3]), { median: 2, min: 1, max: 3 });
});

t.test("the table says unmeasured where no round measured a target", async (t) => {
  const rows = verdictRows([
    verdict({ name: "auth", measure: "required ÷ off", ratios: [], bound: 0.95, kind: "min" }),
    verdict({ name: "search", measure: "÷ bare", ratios: [0.7, 0.65, 0.8], bound: 0.6, kind: "min" }),
  ]);
  t.match(rows[2], /\| auth \| required ÷ off \| unmeasured \| ≥ 0.95 \| unmeasured \|/);
  t.match(rows[3], /\| search \| ÷ bare \| 0.70 \(0.65–0.80\) \| ≥ 0.6 \| met \|/);
});

t.test("bookings change flight every request and user with every request or account", async (t) => {
  const open = { kind: "bookings" as const, firstFlight: 100, flights: 3, date: "2024-06-01", accounts: [] };
  const bodies = [0, 1, 2, 3].map((n) => bookingRequest(open, n).body);
  t.same(
    bodies.map((b) => [b.user_id, b.flight_id]),
    [
      [1, 100],
      [2, 101],
      [3, 102],
      [4, 100],
    ],
  );
  t.notOk(bookingRequest(open, 0).headers.authorization);
  const guarded = { ...open, accounts: [{ user_id: 7, token: "abc" }, { user_id: 9 }] };
  t.equal(bookingRequest(guarded, 0).headers.authorization, "Bearer abc");
  t.equal(bookingRequest(guarded, 0).body.user_id, 7);
  t.equal(bookingRequest(guarded, 1).body.user_id, 9);
  t.notOk(bookingRequest(guarded, 1).headers.authorization);
});
