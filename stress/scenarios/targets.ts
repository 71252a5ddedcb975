import type autocannon from "autocannon";
import type { LoadTarget } from "../load/run-load.js";
import { type SearchQuery, searchPath } from "../route-mix.js";
import type { BookingTraffic } from "./booking-traffic.js";
import type { ScenarioEnv } from "./types.js";

type Ctx = Parameters<BookingTraffic["book"]>[1];

const COUNT = /"count":(\d+)/;

/** Every load target's name, as the report shows it and `--slo TARGET:STAT=MS` names it. */
export const TARGETS = ["search", "booking", "booking+cancel", "check-in", "change"] as const;
export type TargetName = (typeof TARGETS)[number];

/** Searches on flight-svc, each one drawn afresh from `next`. */
export function searchTarget(
  env: ScenarioEnv,
  connections: number,
  next: () => SearchQuery,
  outcomes: Record<string, number>,
): LoadTarget {
  const count = (k: string) => {
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  };
  return {
    name: "search",
    url: env.services.urls.flight,
    connections,
    request: {
      setupRequest: (req) => ({ ...req, method: "GET", path: searchPath(next()) }),
      onResponse: (status, body) => {
        // The count sits at the end of the body: a regex spares parsing every itinerary.
        if (status === 200) {
          const n = Number((COUNT.exec(body.slice(-40)) ?? COUNT.exec(body))?.[1] ?? 0);
          count(n > 0 ? "search found" : "search empty");
        } else count(`search ${status}`);
      },
    },
  };
}

/**
 * Bookings (and, with `cancelShare`, cancellations of confirmed ones) on booking-svc. The
 * context carries what a request was, from its setup to its answer.
 */
export function bookingTarget(
  env: ScenarioEnv,
  connections: number,
  traffic: BookingTraffic,
  cancelShare = 0,
): LoadTarget {
  return {
    name: cancelShare > 0 ? "booking+cancel" : "booking",
    url: env.services.urls.booking,
    connections,
    request: {
      setupRequest: (req: autocannon.Request, ctx: object) => {
        const c = ctx as Ctx;
        if (cancelShare > 0 && env.rng.chance(cancelShare)) {
          const cancel = traffic.cancel(req, c);
          if (cancel) return cancel;
        }
        return traffic.book(req, c);
      },
      onResponse: (status, body, ctx, headers) => traffic.answer(status, body, ctx as Ctx, headers),
    },
  };
}

/**
 * Requests on booking-svc that a traffic generator builds (`next`) and whose answers it counts
 * (`answer`); the context carries what a request was, from its setup to its answer.
 */
export function trafficTarget<C extends object>(
  env: ScenarioEnv,
  name: TargetName,
  connections: number,
  next: (req: autocannon.Request, ctx: C) => autocannon.Request,
  answer: (status: number, body: string, ctx: C) => void,
): LoadTarget {
  return {
    name,
    url: env.services.urls.booking,
    connections,
    request: {
      setupRequest: (req: autocannon.Request, ctx: object) => next(req, ctx as C),
      onResponse: (status, body, ctx) => answer(status, body, ctx as C),
    },
  };
}
