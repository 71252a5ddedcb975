import type { Api, ApiAnswer } from "./api-client.js";

// booking-svc answers a repeated Idempotency-Key with the first call's answer, also after the
// booking moved on: a booking confirmed and since cancelled replays "confirmed", a change since
// undone by a later change replays "completed" on flights the booking is no longer on. The tools
// derive the key from their arguments (idempotency-key.ts), so an assistant that books a trip,
// cancels it and books it again, or changes A → B → A → B, with the same arguments got that old
// answer as a success while nothing happened. A replayed success is therefore checked against the
// booking as it stands: a retry of a lost answer still gets it; a repeat of a superseded one is
// refused (409 conflict) saying what happened and that a new request_id makes it again.

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON
type Body = Record<string, any>;

const sameLegs = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function superseded(tool: "book" | "change_booking", replay: Body, now: Body): Body | null {
  const id = replay.booking_id;
  if (tool === "book") {
    if (replay.status !== "confirmed" || now.status === "confirmed") return null;
    return {
      error: "conflict",
      message:
        `book was called with these arguments before: it made booking ${id}, which is now ${now.status}, ` +
        "and nothing was booked this time. To book the same trip again, call book with a new request_id.",
      booking_id: id,
      status: now.status,
    };
  }
  if (replay.change_status !== "completed") return null;
  if (sameLegs(replay.flight_ids, now.flight_ids) && replay.date === now.date && now.status === "confirmed")
    return null;
  return {
    error: "conflict",
    message:
      `change_booking was called with these arguments before (change ${replay.change_id} of booking ${id}, to ` +
      `flights ${replay.flight_ids} on ${replay.date}); the booking has moved on since and is now ${now.status} ` +
      `on flights ${now.flight_ids} on ${now.date}, and nothing was changed this time. To make this change ` +
      "again, call change_booking with a new request_id.",
    booking_id: id,
    change_id: replay.change_id,
    status: now.status,
    flight_ids: now.flight_ids,
    date: now.date,
  };
}

/**
 * A replayed failure (a declined payment, seats sold out) is the first call's: nothing was tried
 * now, and the same arguments will get it again for as long as booking-svc keeps the key. Said so,
 * with `replayed: true`, or "try again" meets the same decline without a payment being attempted.
 */
function replayedFailure(tool: string, answer: ApiAnswer): ApiAnswer {
  const body: Body = answer.body ?? {};
  const said = typeof body.message === "string" ? `${body.message} ` : "";
  return {
    status: answer.status,
    body: {
      ...body,
      message:
        `${said}This is the answer to an earlier ${tool} call with the same arguments: nothing was tried now. ` +
        `To try again, call ${tool} with a new request_id.`,
      replayed: true,
    },
  };
}

/**
 * The answer to give for `answer`: itself; a conflict when it replays a success the booking has
 * moved on from; a replayed failure marked as one.
 */
export async function checkReplay(api: Api, token: string, tool: string, answer: ApiAnswer): Promise<ApiAnswer> {
  if (!answer.replayed || (tool !== "book" && tool !== "change_booking")) return answer;
  if (answer.status >= 400) return replayedFailure(tool, answer);
  if (answer.status !== 200) return answer;
  const id = answer.body?.booking_id;
  if (!Number.isSafeInteger(id)) return answer;
  const now = await api("booking", { method: "GET", path: `/api/bookings/${id}`, token });
  // The booking as it stands cannot be read: the replay is the best answer there is.
  if (now.status !== 200) return answer;
  const refusal = superseded(tool, answer.body, now.body);
  return refusal ? { status: 409, body: refusal } : answer;
}
