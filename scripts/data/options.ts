import { parseArgs } from "node:util";
import { utcDayNumber } from "../../lib/calendar-date.js";
import { joinNegativeValues } from "../../lib/cli-args.js";
import { isUtcDate } from "../../lib/config-parse.js";
import { FIRST_DATE, LAST_DATE } from "../../lib/input-schemas.js";
import type { DataConfig } from "./config.js";
import { MAX_GENERATED_FLIGHTS, type ScheduleOptions } from "./generate.js";

export const BENCH_FLIGHTS_PER_DAY = 100_000;

export const USAGE = `options (defaults from DEMO_SEED, DEMO_FLIGHTS_PER_DAY, DEMO_DAYS, DEMO_START_DATE):
  --seed N              the same seed gives the same flights (0..${2 ** 31 - 1})
  --flights-per-day N   generated flights a day, besides the 16 sample flights (0..1000000; 0: only those 16)
  --days N              days of schedule (1..366)
  --start-date DATE     first day, YYYY-MM-DD (every day generated within 2000-01-01..2099-12-31)
  --bench               the bench size: ${BENCH_FLIGHTS_PER_DAY} flights a day for 1 day (flags given win)
  --reset               replace the flights there are (without it, a database with flights is left alone)
  --help`;

export class UsageError extends Error {
  override name = "UsageError";
}

export interface SeedOptions extends ScheduleOptions {
  reset: boolean;
  help: boolean;
}

function integer(flag: string, v: string | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new UsageError(`--${flag} ${v}: expected an integer from ${min} to ${max}`);
  return n;
}

const OPTIONS = {
  seed: { type: "string" },
  "flights-per-day": { type: "string" },
  days: { type: "string" },
  "start-date": { type: "string" },
  bench: { type: "boolean", default: false },
  reset: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

/** Reads the command-line flags over the DEMO_* settings; a bad flag throws UsageError naming it. */
export function parseSeedOptions(argv: readonly string[], demo: DataConfig["demo"]): SeedOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(argv, OPTIONS),
      strict: true,
      allowPositionals: false,
      options: OPTIONS,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const str = (k: string) => values[k] as string | undefined;
  const bench = values.bench === true;
  const opts: SeedOptions = {
    seed: integer("seed", str("seed"), demo.seed, 0, 2 ** 31 - 1),
    flightsPerDay: integer(
      "flights-per-day",
      str("flights-per-day"),
      bench ? BENCH_FLIGHTS_PER_DAY : demo.flightsPerDay,
      0,
      1_000_000,
    ),
    days: integer("days", str("days"), bench ? 1 : demo.days, 1, 366),
    startDate: str("start-date") ?? demo.startDate,
    reset: values.reset === true,
    help: values.help === true,
  };
  if (!isUtcDate(opts.startDate)) throw new UsageError(`--start-date ${opts.startDate}: expected a date YYYY-MM-DD`);
  // Flights on a day the API does not take could be loaded, but never searched for or booked.
  const first = utcDayNumber(opts.startDate) as number;
  if (first < (utcDayNumber(FIRST_DATE) as number) || first + opts.days - 1 > (utcDayNumber(LAST_DATE) as number)) {
    const given = opts.days > 1 ? `${opts.startDate} with --days ${opts.days}` : opts.startDate;
    throw new UsageError(`--start-date ${given}: the days generated must fall from ${FIRST_DATE} to ${LAST_DATE}`);
  }
  if (opts.flightsPerDay * opts.days > MAX_GENERATED_FLIGHTS) {
    throw new UsageError(`--flights-per-day × --days: expected at most ${MAX_GENERATED_FLIGHTS} flights in all`);
  }
  return opts;
}
