import type { StreamEvent } from "../../contracts/events/stream.js";

/** What a client is sent for an event of the stream: an update of a flight or a booking notice. */
export function messageOf(ev: StreamEvent): Record<string, unknown> {
  if (ev.type === "flight") {
    const { flight_id, kind, before, after, at } = ev.body;
    return { type: "update", event_id: ev.id, flight_id, kind, before, after, at };
  }
  const { booking_id, kind, reason, flight_ids, at } = ev.body;
  return { type: "notice", event_id: ev.id, booking_id, kind, reason, flight_ids, at };
}

export type ClientCommand = { type: "subscribe" | "unsubscribe"; flight_id: number };

/** A client's message, or the field it got wrong. */
export function parseCommand(text: string): ClientCommand | { field: string; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { field: "message", message: "A message must be a JSON object." };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { field: "message", message: "A message must be a JSON object." };
  }
  const { type, flight_id } = value as Record<string, unknown>;
  if (type !== "subscribe" && type !== "unsubscribe") {
    return { field: "type", message: 'type must be "subscribe" or "unsubscribe".' };
  }
  if (typeof flight_id !== "number" || !Number.isSafeInteger(flight_id) || flight_id < 1) {
    return { field: "flight_id", message: "flight_id must be a positive integer." };
  }
  return { type, flight_id };
}
