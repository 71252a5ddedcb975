// Whether a flight exists, asked of flight-svc (GET /api/flights/:id, contracts/flight-svc/
// flights.ts): users_db holds no flights, and a subscription to one that does not exist would
// be accepted and never hear anything.
import type { Static } from "@sinclair/typebox";
import fp from "fastify-plugin";
import type { FlightReadRefusal } from "../../contracts/flight-svc/flights.js";
import { DependencyDown } from "../../lib/dependency-down.js";
import { AppError } from "../../lib/errors.js";
import { REQUEST_ID_HEADER } from "../../lib/request-context.js";
import { type Reply, Upstream } from "../../lib/upstream.js";

declare module "fastify" {
  interface FastifyInstance {
    flightLookup: FlightLookup;
  }
}

// Subscriptions are made one at a time, by people: a few connections serve them.
const CONNECTIONS = 8;

export class FlightLookup {
  private readonly up: Upstream;

  constructor(baseUrl: string, timeoutMs: number) {
    this.up = new Upstream("flight-svc", baseUrl, timeoutMs, CONNECTIONS);
  }

  /**
   * Resolves when flight-svc has the flight; throws flight_not_found when it has not, and
   * DependencyDown (503) when it does not say: down, too slow, or answering something else.
   */
  async mustExist(flightId: number, requestId: string): Promise<void> {
    const path = `/api/flights/${flightId}`;
    let reply: Reply<Static<typeof FlightReadRefusal>>;
    try {
      // user-svc runs without a request context, so the request's id is handed over here.
      reply = await this.up.call("GET", path, { headers: { [REQUEST_ID_HEADER]: requestId } });
    } catch (err) {
      throw new DependencyDown("flight-svc", (err as Error).message);
    }
    if (reply.status === 200) return;
    // A 404 of another kind (no such route) means FLIGHT_SERVICE_URL names something else.
    if (reply.status === 404 && reply.body.error === "flight_not_found") {
      throw new AppError("flight_not_found", undefined, { flight_id: flightId });
    }
    throw new DependencyDown("flight-svc", `GET ${path} answered ${reply.status}`);
  }

  close(): Promise<void> {
    return this.up.close();
  }
}

/** flight-svc as user-svc asks it, closed with the app. */
export const flightLookupPlugin = fp<{ url: string; timeoutMs: number }>(
  async (app, { url, timeoutMs }) => {
    const lookup = new FlightLookup(url, timeoutMs);
    app.decorate("flightLookup", lookup);
    app.addHook("onClose", () => lookup.close());
  },
  { name: "flight-lookup" },
);
