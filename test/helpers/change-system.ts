import type { ChangeHooks } from "../../booking-svc/change/executor.js";
import { type Account, type Auth, startAuth } from "./auth.js";
import { bookedSeats } from "./flight-svc.js";
import { startSystem } from "./system.js";

// A system with real tokens and flights in the future (a change refuses departed legs): four
// DEL→BOM flights on 2030-03-01 at 5000, 7000, 4000 and a full one, and one that has departed.

export const DAY = "2030-03-01";
export const FEE = 250;

export async function changeSystem(
  t: { teardown: (fn: () => unknown) => void },
  hooks: ChangeHooks = {},
): Promise<{
  sys: Awaited<ReturnType<typeof startSystem>>;
  auth: Auth;
  ada: Account;
  admin: Account;
  f: { base: number; dearer: number; cheaper: number; full: number; departed: number };
}> {
  const auth = await startAuth(t);
  const sys = await startSystem(
    t,
    [
      { departure: `${DAY}T08:00:00Z`, total: 10, price: 5000 },
      { departure: `${DAY}T14:00:00Z`, total: 10, price: 7000 },
      { departure: `${DAY}T20:00:00Z`, total: 10, price: 4000 },
      { departure: `${DAY}T22:00:00Z`, total: 2, booked: 2, price: 6000 },
      { departure: "2024-02-15T08:00:00Z", total: 10, price: 5000 },
    ],
    { auth, sweeper: false, hooks, bookingEnv: { CHANGE_FEE: String(FEE) } },
  );
  const [base, dearer, cheaper, full, departed] = sys.flightIds as [number, number, number, number, number];
  return {
    sys,
    auth,
    ada: await auth.customer("ada"),
    admin: await auth.admin(),
    f: { base, dearer, cheaper, full, departed },
  };
}

type Sys = Awaited<ReturnType<typeof startSystem>>;

export async function book(sys: Sys, who: Account, flightId: number, seats = 2, date = DAY): Promise<number> {
  const r = await sys.bookingCall("POST", "/api/bookings", { flight_id: flightId, seats, date }, who.headers);
  if (r.status !== 200) throw new Error(`booking: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.booking_id as number;
}

/** payment-mock's money: charged − refunded over every payment, in cents. */
export async function netCents(sys: Sys, admin: Account): Promise<number> {
  const s = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin.headers)).body;
  return Math.round(s.success.amount * 100) - Math.round(s.refunds.amount * 100);
}

/** What confirmed bookings hold: their fares plus the fees of their completed changes, in cents. */
export async function heldCents(sys: Sys): Promise<number> {
  const [row] = await sys.bookingsSql<{ cents: string }[]>`
    SELECT COALESCE(sum(b.total_amount * 100 + COALESCE(
      (SELECT sum(c.fee * 100) FROM booking_changes c WHERE c.booking_id = b.id AND c.status = 'completed'), 0)), 0)::bigint AS cents
    FROM bookings b WHERE b.status = 'confirmed'`;
  return Number(row?.cents);
}

export const seatsOf = (sys: Sys, id: number) => bookedSeats(sys.flightsSql, id);

export const available = async (sys: Sys, id: number) => (await sys.flight.inventory.availableSeats([id]))[0] as number;
