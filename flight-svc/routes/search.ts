import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { validationError } from "../../lib/errors.js";
import { dayStartMinutes } from "../search/flight-record.js";
import { MetricsBody } from "../search/metrics.js";
import { searchJson } from "../search/render.js";
import { Errors, SearchQuery, SearchResponse } from "../search/schemas.js";

/** GET /api/flights/search: itineraries with live seats; /metrics: the search counters. */
export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/flights/search",
    {
      config: { access: "anyone" },
      schema: { querystring: SearchQuery, response: { 200: SearchResponse, ...Errors } },
    },
    async (request, reply) => {
      const q = request.query;
      const source = q.source.toUpperCase();
      const destination = q.destination.toUpperCase();
      if (source === destination) throw validationError("destination", "destination must differ from source");
      const dayStart = dayStartMinutes(q.date);
      if (dayStart === null) throw validationError("date", "date must be a calendar date (YYYY-MM-DD)");
      const selection = await app.flightSearch.search({
        source,
        destination,
        date: q.date,
        dayStart,
        seats: q.seats,
        sortBy: q.sort_by,
        maxStops: q.max_stops,
        limit: q.limit,
      });
      return reply.type("application/json; charset=utf-8").send(searchJson(selection));
    },
  );

  app.get(
    "/api/flights/search/metrics",
    { config: { access: "anyone" }, schema: { response: { 200: MetricsBody } }, logLevel: "warn" },
    async () => app.flightSearch.metrics(),
  );
};
