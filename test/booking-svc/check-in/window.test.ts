import t from "tap";
import { windowState } from "../../../booking-svc/check-in/window.js";

// The check-in window's edges, exactly: open from departure − 24 h (included) until departure −
// 45 min (excluded).

const w = { opensHours: 24, closesMinutes: 45 };
const departure = new Date("2026-03-01T12:00:00Z");
const at = (msBefore: number) => new Date(departure.getTime() - msBefore);
const H = 3_600_000;
const M = 60_000;

t.test("not open until exactly 24 h before departure", async (t) => {
  t.equal(windowState(departure, at(24 * H + 1), w), "checkin_not_open", "1 ms before it opens");
  t.equal(windowState(departure, at(48 * H), w), "checkin_not_open");
  t.equal(windowState(departure, at(24 * H), w), "open", "the opening instant itself");
  t.equal(windowState(departure, at(24 * H - 1), w), "open");
});

t.test("closed from exactly 45 min before departure", async (t) => {
  t.equal(windowState(departure, at(45 * M + 1), w), "open", "1 ms before it closes");
  t.equal(windowState(departure, at(45 * M), w), "checkin_closed", "the closing instant itself");
  t.equal(windowState(departure, at(45 * M - 1), w), "checkin_closed");
  t.equal(windowState(departure, at(0), w), "checkin_closed");
  t.equal(windowState(departure, at(-H), w), "checkin_closed", "after departure");
});

t.test("other settings move both edges", async (t) => {
  const short = { opensHours: 2, closesMinutes: 0 };
  t.equal(windowState(departure, at(2 * H + 1), short), "checkin_not_open");
  t.equal(windowState(departure, at(2 * H), short), "open");
  t.equal(windowState(departure, at(1), short), "open");
  t.equal(windowState(departure, at(0), short), "checkin_closed");
});
