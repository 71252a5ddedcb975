import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Flight, FlightParams } from "../../contracts/flight-svc/flights.js";
import { AppError } from "../../lib/errors.js";
import type { FlightRow } from "../search/flight-record.js";
import { findFlight, insertFlight, updateFlight } from "../search/flights-repo.js";
import { flightOfRow } from "../search/render.js";
import { Errors, FlightCreate, FlightPatch } from "../search/schemas.js";

/** One flight: read (with live seats), add, change; changes reach the search index at once. */
export const flightRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const withSeats = async (row: FlightRow) => {
    const [free] = await app.inventory.availableSeats([Number(row.id)]);
    return flightOfRow(row, free ?? 0);
  };

  app.get(
    "/api/flights/:id",
    { schema: { params: FlightParams, response: { 200: Flight, ...Errors } } },
    async (request) => {
      const row = await findFlight(app.sql, request.params.id);
      if (!row) throw new AppError("flight_not_found", undefined, { flight_id: request.params.id });
      return withSeats(row);
    },
  );

  app.post(
    "/api/flights",
    { schema: { body: FlightCreate, response: { 201: Flight, ...Errors } } },
    async (request, reply) => {
      const row = await insertFlight(app.sql, request.body);
      await app.flightSearch.applied(row);
      return reply.code(201).send(await withSeats(row));
    },
  );

  app.patch(
    "/api/flights/:id",
    { schema: { params: FlightParams, body: FlightPatch, response: { 200: Flight, ...Errors } } },
    async (request) => {
      const row = await updateFlight(app.sql, request.params.id, request.body, app.inventory.adjustTotalSeats);
      await app.flightSearch.applied(row);
      return withSeats(row);
    },
  );
};
