import type autocannon from "autocannon";
import { seatLabels } from "../../contracts/flight-svc/seat-layout.js";
import type { Account } from "../accounts.js";
import type { LoadTarget } from "../load/run-load.js";
import type { Rng } from "../rng.js";
import { trafficTarget } from "./targets.js";
import type { ScenarioEnv } from "./types.js";

// Check-in requests on bookings made up front: a seat asked for (often one someone else holds),
// a seat left to flight-svc, or now and then the booking cancelled under the check-ins. When the
// bookings are changed meanwhile, a seat is asked for on the flight the booking was last moved to.

export interface CheckInBooking {
  id: number;
  flightId: number;
  totalSeats: number;
  account: Account;
}

type Ctx = { kind?: "check-in" | "choose" | "cancel" };

const authorized = (a: Account): Record<string, string> => (a.authorization ? { authorization: a.authorization } : {});

export class CheckInTraffic {
  readonly outcomes: Record<string, number> = {};
  private readonly cancelled = new Set<number>();

  constructor(
    private readonly rng: Rng,
    private readonly bookings: readonly CheckInBooking[],
    private readonly cancelShare: number,
    private readonly flightNow: (bookingId: number) => number | undefined = () => undefined,
  ) {
    if (bookings.length === 0) throw new Error("check-in traffic needs at least one booking");
  }

  target(env: ScenarioEnv, connections: number): LoadTarget {
    return trafficTarget<Ctx>(
      env,
      "check-in",
      connections,
      (r, c) => this.next(r, c),
      (s, b, c) => this.answer(s, b, c),
    );
  }

  private next(req: autocannon.Request, ctx: Ctx): autocannon.Request {
    const b = this.rng.pick(this.bookings);
    const headers = { "content-type": "application/json", ...authorized(b.account) };
    if (!this.cancelled.has(b.id) && this.rng.chance(this.cancelShare)) {
      this.cancelled.add(b.id);
      ctx.kind = "cancel";
      return { ...req, method: "PUT", path: `/api/bookings/${b.id}/cancel`, headers: authorized(b.account), body: "" };
    }
    const path = `/api/bookings/${b.id}/check-in`;
    if (this.rng.chance(0.5)) {
      ctx.kind = "check-in";
      return { ...req, method: "POST", path, headers, body: "{}" };
    }
    ctx.kind = "choose";
    const seat = this.rng.pick(seatLabels(b.totalSeats));
    const body = JSON.stringify({
      seats: [{ passenger: "Passenger 1", flight_id: this.flightNow(b.id) ?? b.flightId, seat }],
    });
    return { ...req, method: "POST", path, headers, body };
  }

  /** e.g. "check-in 200", "choose seat_taken", "cancel cancelled", "check-in conflict" (cancelled before). */
  private answer(status: number, body: string, ctx: Ctx): void {
    let parsed: { error?: string; status?: string } = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      // Not JSON: counted by status code.
    }
    const what = status === 200 && ctx.kind !== "cancel" ? "200" : (parsed.status ?? parsed.error ?? String(status));
    const key = `${ctx.kind ?? "check-in"} ${what}`;
    this.outcomes[key] = (this.outcomes[key] ?? 0) + 1;
  }
}
