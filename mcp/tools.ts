import type { ApiCall, Service } from "./api-client.js";
import type { ToolName } from "./schemas.js";

// Each tool is one call of the public REST API: which service, which route, which arguments go
// where. Nothing else happens in a tool; the API's own rules (ownership, idempotency, validation)
// are what an assistant meets.

// biome-ignore lint/suspicious/noExplicitAny: arguments already checked against the tool's input schema
type Args = Record<string, any>;

export interface ToolSpec {
  title: string;
  description: string;
  /** true: the call changes a booking, so it carries an Idempotency-Key derived from the call. */
  keyed?: boolean;
  /**
   * MCP's annotations, which a host reads to decide what to ask its user before a call: whether
   * the tool changes anything, whether it may undo or replace what is there (a cancellation, a
   * removed subscription, a seat given up), and whether a repeat with the same arguments changes
   * nothing more (what an assistant needs to know to retry).
   */
  hints: { readOnly: boolean; destructive: boolean; idempotent: boolean };
  /** The arguments are the route's query string: integers are taken as decimal text too (`cursor: "2"`). */
  query?: boolean;
  request(args: Args): { service: Service; call: ApiCall };
  /** The result of a route that answers 204 without a body, whose text would otherwise be `{}`. */
  noContent?(args: Args): Record<string, unknown>;
}

const withoutRequestId = ({ request_id: _ignored, ...rest }: Args) => rest;
const bookingPath = (args: Args, tail = "") => `/api/bookings/${args.booking_id}${tail}`;

export const TOOLS: Record<Exclude<ToolName, "login">, ToolSpec> = {
  search_flights: {
    title: "Search flights",
    description:
      "Itineraries from source to destination (IATA codes) departing on a UTC date, direct and up to 3 stops, with live seat availability.",
    hints: { readOnly: true, destructive: false, idempotent: true },
    query: true,
    request: (args) => ({ service: "flight", call: { method: "GET", path: "/api/flights/search", query: args } }),
  },
  get_flight: {
    title: "Get a flight",
    description: "One flight with its times, price, status and available seats.",
    hints: { readOnly: true, destructive: false, idempotent: true },
    request: (args) => ({ service: "flight", call: { method: "GET", path: `/api/flights/${args.flight_id}` } }),
  },
  get_seatmap: {
    title: "Get a seat map",
    description: "A flight's rows and seat letters, each seat free or taken.",
    hints: { readOnly: true, destructive: false, idempotent: true },
    request: (args) => ({ service: "flight", call: { method: "GET", path: `/api/flights/${args.flight_id}/seatmap` } }),
  },
  book: {
    title: "Book flights",
    description:
      "Books one flight (flight_id) or an itinerary (flight_ids from search_flights) for the signed-in user and pays for it. A retry with the same arguments returns the first booking; give a new request_id to book the same trip again.",
    keyed: true,
    hints: { readOnly: false, destructive: true, idempotent: true },
    request: (args) => ({
      service: "booking",
      call: { method: "POST", path: "/api/bookings", body: withoutRequestId(args) },
    }),
  },
  get_booking: {
    title: "Get a booking",
    description: "One of the signed-in user's bookings.",
    hints: { readOnly: true, destructive: false, idempotent: true },
    request: (args) => ({ service: "booking", call: { method: "GET", path: bookingPath(args) } }),
  },
  list_bookings: {
    title: "List bookings",
    description: "The signed-in user's bookings, newest first; pass next_cursor as cursor for the next page.",
    hints: { readOnly: true, destructive: false, idempotent: true },
    query: true,
    request: (args) => ({ service: "booking", call: { method: "GET", path: "/api/bookings", query: args } }),
  },
  change_booking: {
    title: "Change a booking",
    description:
      "Moves a confirmed booking to other flights (flight_ids) on a date, paying the fare difference and the change fee (a cheaper trip is refunded). A retry with the same arguments returns the first change; give a new request_id to make the same change again.",
    keyed: true,
    hints: { readOnly: false, destructive: true, idempotent: true },
    request: ({ booking_id, flight_ids, date }) => ({
      service: "booking",
      call: { method: "POST", path: bookingPath({ booking_id }, "/change"), body: { flight_ids, date } },
    }),
  },
  cancel_booking: {
    title: "Cancel a booking",
    description: "Cancels a booking, gives its seats back and refunds it.",
    keyed: true,
    hints: { readOnly: false, destructive: true, idempotent: true },
    request: (args) => ({ service: "booking", call: { method: "PUT", path: bookingPath(args, "/cancel") } }),
  },
  check_in: {
    title: "Check in",
    description:
      'Checks a booking in while check-in is open (by default from 24 hours to 45 minutes before departure) and returns its boarding passes. Passengers are named as booked ("Passenger 1"… without names) or by passenger_number, their place in the booking from 1 (two passengers of one name only so); a passenger without a chosen seat keeps theirs or gets a free one. Checking in again changes only the seats asked for.',
    // A chosen seat gives up the one held, and the pass that named it stops being current.
    hints: { readOnly: false, destructive: true, idempotent: true },
    request: ({ booking_id, seats }) => ({
      service: "booking",
      call: { method: "POST", path: bookingPath({ booking_id }, "/check-in"), body: seats ? { seats } : {} },
    }),
  },
  get_boarding_passes: {
    title: "Get boarding passes",
    description: "The boarding passes of a checked-in booking.",
    hints: { readOnly: true, destructive: false, idempotent: true },
    request: (args) => ({ service: "booking", call: { method: "GET", path: bookingPath(args, "/boarding-passes") } }),
  },
  loyalty_balance: {
    title: "Loyalty balance",
    description:
      "The signed-in user's miles balance, tier and statement, newest entry first; pass next_cursor as cursor for the next page.",
    hints: { readOnly: true, destructive: false, idempotent: true },
    query: true,
    request: (args) => ({ service: "user", call: { method: "GET", path: "/api/loyalty/me", query: args } }),
  },
  subscribe_flight: {
    title: "Subscribe to a flight",
    description: "Live updates about a flight (delays, gate changes) for the signed-in user.",
    // A repeat answers the subscription the first one made.
    hints: { readOnly: false, destructive: false, idempotent: true },
    request: (args) => ({ service: "user", call: { method: "POST", path: "/api/subscriptions", body: args } }),
  },
  list_subscriptions: {
    title: "List flight subscriptions",
    description:
      'The flights the signed-in user gets live updates about: those they subscribed to (source "user") and those of their confirmed bookings (source "booking").',
    hints: { readOnly: true, destructive: false, idempotent: true },
    request: () => ({ service: "user", call: { method: "GET", path: "/api/subscriptions" } }),
  },
  unsubscribe_flight: {
    title: "Unsubscribe from a flight",
    description:
      "Stops the signed-in user's live updates about a flight (flight_id from list_subscriptions); a flight they have no subscription to is not_found.",
    // A repeat removes nothing more: it is not_found.
    hints: { readOnly: false, destructive: true, idempotent: true },
    request: ({ flight_id }) => ({
      service: "user",
      call: { method: "DELETE", path: `/api/subscriptions/${flight_id}` },
    }),
    noContent: ({ flight_id }) => ({ flight_id, subscribed: false }),
  },
  verify_boarding_pass: {
    title: "Verify a boarding pass",
    description:
      'Checks a boarding pass barcode ("SB1.…"): valid with the pass as it is now, or not, with the reason (malformed, bad_signature, or not_current after a seat change or a cancellation).',
    hints: { readOnly: true, destructive: false, idempotent: true },
    request: (args) => ({
      service: "booking",
      call: { method: "POST", path: "/api/boarding-passes/verify", body: args },
    }),
  },
};
