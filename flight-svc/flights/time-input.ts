import { validationError } from "../../lib/errors.js";
import { FIRST_DATE, LAST_DATE } from "../../lib/input-schemas.js";

const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * An API time (ISO 8601, no offset meaning UTC) as a Date, refusing impossible calendar values
 * (2024-02-30T10:00), offsets no time zone has, days outside the travel dates every service accepts, and times off the
 * whole minute: the timetable works in minutes.
 */
export function parseTime(field: string, value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!m) throw validationError(field, `${field} must be an ISO 8601 time such as 2024-02-15T08:00:00Z`);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as number[];
  const local = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  const valid =
    local.getUTCFullYear() === y &&
    local.getUTCMonth() === (mo as number) - 1 &&
    local.getUTCDate() === d &&
    local.getUTCHours() === h &&
    local.getUTCMinutes() === mi &&
    local.getUTCSeconds() === s;
  if (!valid) throw validationError(field, `${field} is not a valid time`);
  if (s !== 0 || (m[7] && Number(m[7]) !== 0)) throw validationError(field, `${field} must be on a whole minute`);
  const offset = m[8];
  let utc = local;
  if (offset && offset !== "Z" && offset !== "z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const [hours, mins] = [Number(offset.slice(1, 3)), Number(offset.slice(4, 6))];
    // Every time zone in use lies within ±14:00; +99:99 or +24:00 would move the flight by days.
    if (mins > 59 || hours * 60 + mins > MAX_OFFSET_MINUTES) {
      throw validationError(field, `${field} has an offset outside -14:00 to +14:00`);
    }
    const minutes = hours * 60 + mins;
    utc = new Date(local.getTime() - sign * minutes * 60_000);
  }
  const day = utc.toISOString().slice(0, 10);
  if (day < FIRST_DATE || day > LAST_DATE) {
    throw validationError(field, `${field} must fall between ${FIRST_DATE} and ${LAST_DATE} (UTC)`);
  }
  return utc;
}
