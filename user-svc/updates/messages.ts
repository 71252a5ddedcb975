import type { FastifyBaseLogger } from "fastify";
import type { StreamEvent } from "../../contracts/events/stream.js";
import { excerpt, logFailure, toErrorBody } from "../../lib/errors.js";
import { noSubscription } from "./subscriptions-repo.js";

/** What a client is sent for an event of the stream: an update of a flight or a booking notice. */
export function messageOf(ev: StreamEvent): Record<string, unknown> {
  if (ev.type === "flight") {
    const { flight_id, kind, before, after, at } = ev.body;
    return { type: "update", event_id: ev.id, flight_id, kind, before, after, at };
  }
  const { booking_id, kind, reason, flight_ids, at } = ev.body;
  return { type: "notice", event_id: ev.id, booking_id, kind, reason, flight_ids, at };
}

/**
 * Sent once, before a resume's replay, when events after `resume_from` were trimmed from the
 * stream: the replay starts at `oldest_event_id` (null: the stream holds none) and what came
 * between is gone, so the client reloads its flights' state. No event id: not a place to resume from.
 */
export function eventsMissed(resumeFrom: string, oldest: string | null): Record<string, unknown> {
  return { type: "events_missed", resume_from: resumeFrom, oldest_event_id: oldest };
}

export type ClientCommand = { type: "subscribe" | "unsubscribe"; flight_id: number };

const COMMAND_FIELDS = new Set(["type", "flight_id"]);

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
  // Refused as the REST routes refuse one: a misspelt option is not dropped unseen.
  const unknown = Object.keys(value).find((k) => !COMMAND_FIELDS.has(k));
  if (unknown !== undefined) return { field: excerpt(unknown), message: `${excerpt(unknown)} is not allowed` };
  const { type, flight_id } = value as Record<string, unknown>;
  if (type !== "subscribe" && type !== "unsubscribe") {
    return { field: "type", message: 'type must be "subscribe" or "unsubscribe".' };
  }
  if (typeof flight_id !== "number" || !Number.isSafeInteger(flight_id) || flight_id < 1) {
    return { field: "flight_id", message: "flight_id must be a positive integer." };
  }
  return { type, flight_id };
}

/** What a client's commands change: its own subscriptions. */
export interface CommandTarget {
  /** "limit" when the user already has `limit` subscriptions. */
  subscribe(flightId: number): Promise<"added" | "exists" | "limit">;
  /** false when the user had no subscription to the flight. */
  unsubscribe(flightId: number): Promise<boolean>;
  limit: number;
}

/** The answer to a client's message, once what it asks for is done; never rejects. */
export async function answerCommand(
  text: string,
  target: CommandTarget,
  log: FastifyBaseLogger,
): Promise<Record<string, unknown>> {
  const command = parseCommand(text);
  if ("field" in command) {
    return { type: "error", error: "validation_error", message: command.message, field: command.field };
  }
  const { flight_id } = command;
  try {
    if (command.type === "unsubscribe") {
      // As DELETE /api/subscriptions/:flight_id answers 404: a client that thought it was
      // subscribed (another device removed it) learns that it was not.
      if (!(await target.unsubscribe(flight_id))) throw noSubscription(flight_id);
      return { type: "unsubscribed", flight_id };
    }
    if ((await target.subscribe(flight_id)) !== "limit") return { type: "subscribed", flight_id };
    return {
      type: "error",
      error: "conflict",
      message: `At most ${target.limit} subscriptions per user.`,
      field: "flight_id",
    };
  } catch (err) {
    // As a request would be answered and logged: an unknown flight, flight-svc or users_db away.
    const { status, body } = toErrorBody(err);
    logFailure(log, err, status, body, { command: command.type, flight_id });
    return { type: "error", ...body };
  }
}
