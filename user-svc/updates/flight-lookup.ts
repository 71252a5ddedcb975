// Whether a flight exists, asked of flight-svc (GET /api/flights/:id, contracts/flight-svc/
// flights.ts): users_db holds no flights, and a subscription to one that does not exist would
// be accepted and never hear anything.
import type { Static } from "@sinclair/typebox";
import fp from "fastify-plugin";
import { Pool } from "undici";
import type { FlightReadRefusal } from "../../contracts/flight-svc/flights.js";
import { DependencyDown } from "../../lib/dependency-down.js";
import { AppError } from "../../lib/errors.js";
import { REQUEST_ID_HEADER } from "../../lib/request-context.js";

declare module "fastify" {
  interface FastifyInstance {
    flightLookup: FlightLookup;
  }
}

// Subscriptions are made one at a time, by people: a few connections serve them.
const CONNECTIONS = 8;

export class FlightLookup {
  private readonly pool: Pool;
  private readonly prefix: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    const url = new URL(baseUrl);
    this.prefix = url.pathname.replace(/\/$/, "");
    this.pool = new Pool(url.origin, {
      connections: CONNECTIONS,
      keepAliveTimeout: 30_000,
      connect: { timeout: Math.min(timeoutMs, 5_000) },
    });
  }

  /**
   * Resolves when flight-svc has the flight; throws flight_not_found when it has not, and
   * DependencyDown (503) when it does not say: down, too slow, or answering something else.
   */
  async mustExist(flightId: number, requestId: string): Promise<void> {
    let status: number;
    let body: unknown;
    try {
      const res = await this.pool.request({
        path: `${this.prefix}/api/flights/${flightId}`,
        method: "GET",
        headers: { accept: "application/json", [REQUEST_ID_HEADER]: requestId },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      status = res.statusCode;
      body = await res.body.json().catch(() => null);
    } catch (err) {
      throw new DependencyDown("flight-svc", (err as Error).message);
    }
    if (status === 200) return;
    // A 404 of another kind (no such route) means FLIGHT_SERVICE_URL names something else.
    if (status === 404 && (body as Static<typeof FlightReadRefusal> | null)?.error === "flight_not_found") {
      throw new AppError("flight_not_found", undefined, { flight_id: flightId });
    }
    throw new DependencyDown("flight-svc", `GET /api/flights/${flightId} answered ${status}`);
  }

  close(): Promise<void> {
    return this.pool.close();
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
