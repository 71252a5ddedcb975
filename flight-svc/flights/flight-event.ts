import type { FlightEventKind, FlightState } from "../../contracts/events/stream.js";
import type { FlightRow } from "../search/flight-record.js";

const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");

const stateOf = (row: FlightRow): FlightState => ({
  status: row.status as FlightState["status"],
  departure_time: iso(row.departure_time),
  arrival_time: iso(row.arrival_time),
});

/**
 * What a change means to travellers: a new status or new times is an event, a new price or seat
 * count is not. A cancellation wins over a retiming in the same change; a later time is a delay.
 */
export function flightEventOf(
  before: FlightRow,
  after: FlightRow,
): { kind: FlightEventKind; before: FlightState; after: FlightState } | null {
  const b = stateOf(before);
  const a = stateOf(after);
  const retimed = a.departure_time !== b.departure_time || a.arrival_time !== b.arrival_time;
  if (!retimed && a.status === b.status) return null;
  let kind: FlightEventKind = "status_changed";
  if (a.status === "cancelled" && b.status !== "cancelled") kind = "cancelled";
  else if (after.departure_time > before.departure_time || after.arrival_time > before.arrival_time) kind = "delayed";
  else if (retimed) kind = "retimed";
  return { kind, before: b, after: a };
}
