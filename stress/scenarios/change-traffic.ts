import type autocannon from "autocannon";
import type { Account } from "../accounts.js";
import type { LoadTarget } from "../load/run-load.js";
import type { Rng } from "../rng.js";
import { trafficTarget } from "./targets.js";
import type { ScenarioEnv } from "./types.js";

/** A confirmed booking the scenario moves between the flights of its route. */
export interface Changeable {
  id: number;
  account: Account;
  /** The flights of the booking's route on its date: a change picks another one of them. */
  route: number[];
  date: string;
}

type Ctx = { booking?: Changeable };

/**
 * Changes of confirmed bookings to another flight of the same route, many at once and often of
 * the same booking (a second change while one runs gets 409 change_in_progress), counted by
 * what the answers said.
 */
export class ChangeTraffic {
  readonly outcomes: Record<string, number> = {};
  /** Where each booking was last moved to, as far as the answers tell. */
  private readonly at = new Map<number, number>();

  constructor(
    private readonly rng: Rng,
    private readonly bookings: Changeable[],
    private readonly flightOf: Map<number, number>,
  ) {
    if (bookings.length === 0) throw new Error("change traffic needs at least one confirmed booking");
  }

  target(env: ScenarioEnv, connections: number): LoadTarget {
    return trafficTarget<Ctx>(
      env,
      "change",
      connections,
      (r, c) => this.change(r, c),
      (s, b, c) => this.answer(s, b, c),
    );
  }

  /** The flight the booking is on as far as the answers tell (other traffic on it follows it there). */
  flightNow(bookingId: number): number | undefined {
    return this.at.get(bookingId) ?? this.flightOf.get(bookingId);
  }

  private change(req: autocannon.Request, ctx: Ctx): autocannon.Request {
    const b = this.rng.pick(this.bookings);
    const now = this.flightNow(b.id);
    const to = this.rng.pick(b.route.filter((f) => f !== now));
    ctx.booking = b;
    return {
      ...req,
      method: "POST",
      path: `/api/bookings/${b.id}/change`,
      headers: { "content-type": "application/json", authorization: b.account.authorization },
      body: JSON.stringify({ flight_ids: [to], date: b.date }),
    };
  }

  private answer(status: number, body: string, ctx: Ctx): void {
    let parsed: { change_status?: string; error?: string; flight_ids?: number[] } = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      // Not JSON: counted by status code below.
    }
    let what = parsed.change_status ?? parsed.error ?? String(status);
    if (parsed.change_status && parsed.error) what += `: ${parsed.error}`;
    this.outcomes[`change ${what}`] = (this.outcomes[`change ${what}`] ?? 0) + 1;
    const now = parsed.flight_ids?.[0];
    if (ctx.booking && typeof now === "number") this.at.set(ctx.booking.id, now);
  }
}
