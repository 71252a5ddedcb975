import t from "tap";
import { parseSeedOptions, UsageError } from "../../../scripts/data/options.js";
import { refusedByOthers, testDataConfig } from "../../helpers/config.js";

const demo = testDataConfig({
  DEMO_SEED: "5",
  DEMO_FLIGHTS_PER_DAY: "1200",
  DEMO_DAYS: "2",
  DEMO_START_DATE: "2024-02-15",
}).demo;

t.test("without flags, the DEMO_* settings", async (t) => {
  t.strictSame(parseSeedOptions([], demo), {
    seed: 5,
    flightsPerDay: 1_200,
    days: 2,
    startDate: "2024-02-15",
    reset: false,
    help: false,
  });
});

t.test("the defaults without settings: a few thousand flights a day for 3 days from today (UTC)", async (t) => {
  const today = new Date().toISOString().slice(0, 10);
  const d = testDataConfig({ DEMO_SEED: "", DEMO_FLIGHTS_PER_DAY: "", DEMO_DAYS: "", DEMO_START_DATE: "" }).demo;
  t.strictSame(d, { seed: 42, flightsPerDay: 3_000, days: 3, startDate: today });
});

t.test("flags win over the settings", async (t) => {
  const o = parseSeedOptions(
    ["--seed", "9", "--flights-per-day", "500", "--days", "4", "--start-date", "2024-03-01", "--reset"],
    demo,
  );
  t.match(o, { seed: 9, flightsPerDay: 500, days: 4, startDate: "2024-03-01", reset: true });
});

t.test("--bench is 100,000 flights a day for one day; explicit flags still win", async (t) => {
  t.match(parseSeedOptions(["--bench"], demo), { flightsPerDay: 100_000, days: 1, seed: 5 });
  t.match(parseSeedOptions(["--bench", "--days", "2"], demo), { flightsPerDay: 100_000, days: 2 });
  t.match(parseSeedOptions(["--flights-per-day=50000", "--bench"], demo), { flightsPerDay: 50_000, days: 1 });
});

t.test("a bad flag is refused, named", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--days", "0"], /--days 0: expected an integer from 1 to 366/],
    [["--seed=-1"], /--seed -1: expected an integer from 0 to/],
    // Written with a space, node's parser called a negative value "ambiguous" and named no range.
    [["--flights-per-day", "-1"], /^--flights-per-day -1: expected an integer from 0 to 1000000$/],
    [["--days", "-3"], /^--days -3: expected an integer from 1 to 366$/],
    [["--flights-per-day", "1e5"], /--flights-per-day 1e5: expected an integer/],
    [["--start-date", "2024-02-30"], /--start-date 2024-02-30: expected a date YYYY-MM-DD/],
    [["--flights-per-day", "1000000", "--days", "6"], /expected at most 5000000 flights in all/],
    [["--colour"], /Unknown option '--colour'/],
    [["extra"], /extra/],
  ];
  for (const [argv, message] of cases) {
    t.throws(() => parseSeedOptions(argv, demo), UsageError, argv.join(" "));
    t.throws(() => parseSeedOptions(argv, demo), { message }, argv.join(" "));
  }
});

t.test("a bad DEMO_ setting stops the config", async (t) => {
  t.throws(
    () => testDataConfig({ DEMO_START_DATE: "tomorrow" }),
    /DEMO_START_DATE=tomorrow: expected a date YYYY-MM-DD/,
  );
  t.throws(() => testDataConfig({ DEMO_DAYS: "0" }), /DEMO_DAYS=0: expected an integer from 1 to 366/);
  t.doesNotThrow(() => testDataConfig(refusedByOthers("data")), "the services' and the harness' rules are theirs");
});

// Every generated day must be one the API takes (2000-01-01 to 2099-12-31): flights on other days
// were loaded, but no search, validation or booking could name their date.
t.test("the days generated must be dates the API takes", async (t) => {
  const cases: [string[], RegExp][] = [
    [
      ["--start-date", "1999-12-31", "--days", "1"],
      /--start-date 1999-12-31: the days generated .* 2000-01-01 to 2099-12-31/,
    ],
    [
      ["--start-date", "2150-01-01", "--days", "1"],
      /--start-date 2150-01-01: the days generated .* 2000-01-01 to 2099-12-31/,
    ],
    [["--start-date", "2099-12-30", "--days", "3"], /--start-date 2099-12-30 with --days 3: the days generated/],
  ];
  for (const [argv, message] of cases) t.throws(() => parseSeedOptions(argv, demo), { message }, argv.join(" "));
  t.match(parseSeedOptions(["--start-date", "2099-12-29", "--days", "3"], demo), { startDate: "2099-12-29", days: 3 });
  t.match(parseSeedOptions(["--start-date", "2000-01-01"], demo), { startDate: "2000-01-01" });
  t.throws(() => testDataConfig({ DEMO_START_DATE: "1970-01-01" }), /DEMO_START_DATE=1970-01-01: expected a date/);
});
