import type { Redis } from "ioredis";
import {
  EVENTS_STREAM,
  type NoticeBody,
  type NoticeKind,
  parseEntry,
  type StreamEvent,
} from "../../contracts/events/stream.js";

// The events stream as tests read it: every entry this version knows, in stream order.

type FlightEvent = StreamEvent & { type: "flight" };

export async function streamEvents(redis: Pick<Redis, "xrange">): Promise<StreamEvent[]> {
  const entries = (await redis.xrange(EVENTS_STREAM, "-", "+")) as [string, string[]][];
  return entries.map(([id, fields]) => parseEntry(id, fields)).filter((e): e is StreamEvent => e !== null);
}

/** The notices of one kind, of one booking when `bookingId` is given. */
export async function streamNotices(
  redis: Pick<Redis, "xrange">,
  kind: NoticeKind,
  bookingId?: number,
): Promise<NoticeBody[]> {
  return (await streamEvents(redis)).flatMap((e) =>
    e.type === "notice" && e.body.kind === kind && (bookingId === undefined || e.body.booking_id === bookingId)
      ? [e.body]
      : [],
  );
}

/** The first event of one flight, of one kind when `kind` is given; undefined when there is none yet. */
export async function flightEventIn(
  redis: Pick<Redis, "xrange">,
  flightId: number,
  kind?: FlightEvent["body"]["kind"],
): Promise<FlightEvent | undefined> {
  return (await streamEvents(redis)).find(
    (e): e is FlightEvent =>
      e.type === "flight" && e.body.flight_id === flightId && (kind === undefined || e.body.kind === kind),
  );
}
