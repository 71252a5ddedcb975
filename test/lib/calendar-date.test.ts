import t from "tap";
import { utcDayNumber } from "../../lib/calendar-date.js";

const DAY_MS = 86_400_000;
const pad = (n: number, width: number) => String(n).padStart(width, "0");

// The oracle: JavaScript's own calendar, through the slow path the arithmetic replaced.
function oracle(v: string): number | null {
  const ms = Date.parse(`${v}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v) return null;
  return ms / DAY_MS;
}

t.test("every day from 1899 to 2201 and every day-of-month 00-32 agree with Date", async (t) => {
  let wrong = 0;
  for (let y = 1899; y <= 2201; y++) {
    for (let m = 0; m <= 13; m++) {
      for (let d = 0; d <= 32; d++) {
        const v = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        if (utcDayNumber(v) !== oracle(v)) wrong++;
      }
    }
  }
  t.equal(wrong, 0);
});

t.test("leap days and the ends of the range", async (t) => {
  t.equal(utcDayNumber("1970-01-01"), 0);
  t.equal(utcDayNumber("2024-02-15"), Date.UTC(2024, 1, 15) / DAY_MS);
  t.equal(utcDayNumber("2024-02-29"), Date.UTC(2024, 1, 29) / DAY_MS);
  t.equal(utcDayNumber("2023-02-29"), null);
  t.equal(utcDayNumber("1900-02-29"), null, "a century is not a leap year");
  t.equal(utcDayNumber("2000-02-29"), Date.UTC(2000, 1, 29) / DAY_MS, "every 400th year is");
  t.equal(utcDayNumber("0001-01-01"), oracle("0001-01-01"), "years before 100 are not read as 19xx");
  t.equal(utcDayNumber("9999-12-31"), oracle("9999-12-31"));
});

t.test("anything but YYYY-MM-DD is no date", async (t) => {
  for (const v of [
    "",
    "2024-2-15",
    "2024-02-15T00:00:00Z",
    " 2024-02-15",
    "2024/02/15",
    "２０２４-02-15",
    "+02024-02-15",
  ]) {
    t.equal(utcDayNumber(v), null, JSON.stringify(v));
  }
});
