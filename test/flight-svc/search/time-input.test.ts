import t from "tap";
import { parseTime } from "../../../flight-svc/flights/time-input.js";
import type { AppError } from "../../../lib/errors.js";

t.test("ISO times: with Z, with an offset, without one (UTC)", async (t) => {
  t.equal(parseTime("x", "2024-02-15T08:00:00Z").toISOString(), "2024-02-15T08:00:00.000Z");
  t.equal(parseTime("x", "2024-02-15T08:00").toISOString(), "2024-02-15T08:00:00.000Z");
  t.equal(parseTime("x", "2024-02-15T08:00:00.000+05:30").toISOString(), "2024-02-15T02:30:00.000Z");
  t.equal(parseTime("x", "2024-02-15T23:00:00-02:00").toISOString(), "2024-02-16T01:00:00.000Z");
  t.equal(parseTime("x", "2024-02-29T00:00:00Z").toISOString(), "2024-02-29T00:00:00.000Z");
});

t.test("impossible or off-minute times are refused, naming the field", async (t) => {
  for (const bad of ["2024-02-30T08:00:00Z", "2023-02-29T08:00Z", "2024-02-15T24:00Z", "2024-02-15T08:60Z", "08:00"]) {
    const err = t.throws(() => parseTime("departure_time", bad)) as AppError;
    t.equal(err.code, "validation_error", bad);
    t.equal(err.details.field, "departure_time", bad);
  }
  for (const far of ["1999-12-31T23:59Z", "2100-01-01T00:00Z", "0100-01-01T00:00Z", "2099-12-31T23:00-02:00"]) {
    const err = t.throws(() => parseTime("departure_time", far)) as AppError;
    t.match(err, { code: "validation_error", message: /between 2000-01-01 and 2099-12-31/ }, far);
  }
  t.equal(parseTime("x", "2000-01-01T01:00+01:00").toISOString(), "2000-01-01T00:00:00.000Z");
  const off = t.throws(() => parseTime("arrival_time", "2024-02-15T08:00:01Z")) as AppError;
  t.match(off.message, /whole minute/);
  t.throws(() => parseTime("arrival_time", "2024-02-15T08:00:00.5Z"));
});

t.test("an offset no time zone has is refused; ±14:00 is the widest", async (t) => {
  for (const bad of [
    "2024-04-02T11:15:00+99:99",
    "2024-04-02T11:15+24:00",
    "2024-04-02T11:15+05:61",
    "2024-04-02T11:15-14:01",
  ]) {
    const err = t.throws(() => parseTime("departure_time", bad)) as AppError;
    t.match(err, { code: "validation_error", message: "departure_time has an offset outside -14:00 to +14:00" }, bad);
    t.equal(err.details.field, "departure_time", bad);
  }
  t.equal(parseTime("x", "2024-04-02T14:00+14:00").toISOString(), "2024-04-02T00:00:00.000Z");
  t.equal(parseTime("x", "2024-04-02T00:00-12:00").toISOString(), "2024-04-02T12:00:00.000Z");
});
