// The events stream every service shares: flight-svc appends flight changes (from its outbox),
// booking-svc appends booking notices, user-svc pushes both to travellers and booking-svc's
// disruption consumer reads the flight changes. One stream gives one order, so a client resumes
// from one event id; its key and its dedupe keys share the `{events}` hash tag (one Cluster slot).

export const EVENTS_STREAM = "skybook:events:{events}";
/**
 * After a read that found some events but fewer than it asked for, how long a reader waits
 * before the next. Under load a notice comes with every booking; read as they came, each one or
 * two cost every reader a stream read and what follows it (user-svc's subscriptions statement,
 * booking-svc's XACK), round trips whose cost outweighs the work. Read a moment later they come
 * in runs that share them. An event is handled this much later at most.
 */
export const STREAM_GATHER_MS = 20;
/** The marker of an append already made, per producer's own id. */
export const appendedKey = (dedupeId: string) => `skybook:events:{events}:once:${dedupeId}`;

export type FlightEventKind = "cancelled" | "delayed" | "retimed" | "status_changed";

/** The part of a flight an event compares. */
export interface FlightState {
  status: "scheduled" | "delayed" | "cancelled";
  departure_time: string;
  arrival_time: string;
}

export interface FlightEventBody {
  flight_id: number;
  kind: FlightEventKind;
  before: FlightState;
  after: FlightState;
  at: string;
}

export type NoticeKind = "booking_confirmed" | "booking_cancelled" | "connection_at_risk";

export interface NoticeBody {
  user_id: number;
  booking_id: number;
  /**
   * The booking as names that outlive bookings_db call it: `<id>-<nonce>`, or `<id>` for a booking
   * from before hold nonces; absent from a notice of a booking-svc before it (read as `<id>`).
   * Two bookings that got the same id (bookings_db restored or reset) have different refs.
   */
  booking_ref?: string;
  kind: NoticeKind;
  flight_ids: number[];
  reason: string | null;
  at: string;
}

export type StreamEvent =
  | { id: string; type: "flight"; body: FlightEventBody }
  | { id: string; type: "notice"; body: NoticeBody };

/** An entry as XRANGE/XREAD return it; null for one this version does not know. */
export function parseEntry(id: string, fields: string[]): StreamEvent | null {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const type = map.get("type");
  const body = map.get("body");
  if (body === undefined) return null;
  if (type === "flight") return { id, type, body: JSON.parse(body) as FlightEventBody };
  if (type === "notice") return { id, type, body: JSON.parse(body) as NoticeBody };
  return null;
}

/** Orders two stream ids ("ms-seq"): negative, zero or positive. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(Number) as [number, number];
  const [bm, bs] = b.split("-").map(Number) as [number, number];
  return am === bm ? as - bs : am - bm;
}

export const STREAM_ID = /^\d{1,15}-\d{1,15}$/;
