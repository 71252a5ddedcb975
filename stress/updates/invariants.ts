// The updates scenario's invariants (issue 19), as pure functions of what was observed.

export interface ObservedEvent {
  id: string;
  flightId: number;
}

export interface SubscriberLog {
  userId: number;
  flights: number[];
  /** The event ids of the updates received, in the order received. */
  received: string[];
}

export interface BookingOutcome {
  bookingId: number;
  status: string;
  cancelReason: string | null;
  flightIds: number[];
  totalAmount: number;
  /** What payment-mock holds for the booking's payment: 0 and 0 when there is none. */
  paid: number;
  refunded: number;
}

export interface Violation {
  invariant: string;
  detail: string;
}

/**
 * Every subscriber received every update of its flights after `from` exactly once, in stream
 * order: its received ids equal the expected ids.
 */
export function checkDelivery(events: ObservedEvent[], subscribers: SubscriberLog[]): Violation[] {
  const out: Violation[] = [];
  for (const s of subscribers) {
    const mine = new Set(s.flights);
    const expected = events.filter((e) => mine.has(e.flightId)).map((e) => e.id);
    if (expected.length === s.received.length && expected.every((id, i) => s.received[i] === id)) continue;
    const got = new Set(s.received);
    const missing = expected.filter((id) => !got.has(id)).length;
    const extra = s.received.length - (expected.length - missing);
    out.push({
      invariant: "every update of its flights exactly once, in order",
      detail: `user ${s.userId}: expected ${expected.length}, received ${s.received.length} (${missing} missing, ${extra} extra or out of order)`,
    });
  }
  return out;
}

/**
 * Every booking with a leg on a cancelled flight is no longer confirmed; one cancelled for it
 * was refunded its whole amount exactly once.
 */
export function checkDisruption(bookings: BookingOutcome[], cancelledFlights: Set<number>): Violation[] {
  const out: Violation[] = [];
  for (const b of bookings) {
    if (!b.flightIds.some((f) => cancelledFlights.has(f))) continue;
    if (b.status === "confirmed" || b.status === "pending") {
      out.push({
        invariant: "bookings on a cancelled flight cancelled",
        detail: `booking ${b.bookingId} is ${b.status}`,
      });
    }
    if (b.status === "cancelled" && (b.refunded !== b.paid || b.paid !== b.totalAmount)) {
      out.push({
        invariant: "refunded exactly once",
        detail: `booking ${b.bookingId}: paid ${b.paid}, refunded ${b.refunded}, amount ${b.totalAmount}`,
      });
    }
  }
  return out;
}

/** Money: what confirmed bookings hold equals payments minus refunds. */
export function checkMoney(bookings: BookingOutcome[]): Violation[] {
  const cents = (n: number) => Math.round(n * 100);
  const held = bookings.filter((b) => b.status === "confirmed").reduce((s, b) => s + cents(b.totalAmount), 0);
  const net = bookings.reduce((s, b) => s + cents(b.paid) - cents(b.refunded), 0);
  return held === net
    ? []
    : [
        {
          invariant: "money = payments − refunds",
          detail: `confirmed bookings ${held / 100}, net payments ${net / 100}`,
        },
      ];
}
