import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Flight, FlightParams } from "../../contracts/flight-svc/flights.js";
import { IdempotencyHeaders } from "../../lib/input-schemas.js";
import { FlightCreate, FlightPatch, FlightPatchConflict } from "../flights/schemas.js";
import { Errors } from "../search/schemas.js";

/** One flight: read (with live seats), add, change; changes reach the search index at once. */
export const flightRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/flights/:id",
    { config: { access: "anyone" }, schema: { params: FlightParams, response: { 200: Flight, ...Errors } } },
    (request) => app.flights.get(request.params.id),
  );

  app.post(
    "/api/flights",
    {
      config: { access: "admin" },
      schema: { body: FlightCreate, headers: IdempotencyHeaders, response: { 201: Flight, ...Errors } },
    },
    async (request, reply) => {
      const key = request.headers["idempotency-key"];
      // Keys are per caller: one admin's key never replays another's flight.
      const keyed = key === undefined ? undefined : { caller: String(request.caller?.userId ?? ""), key };
      const { flight, replayed } = await app.flights.create(request.body, request.log, keyed);
      if (replayed) void reply.header("idempotent-replayed", "true");
      return reply.code(201).send(flight);
    },
  );

  app.patch(
    "/api/flights/:id",
    {
      config: { access: "admin" },
      schema: {
        params: FlightParams,
        body: FlightPatch,
        response: { 200: Flight, 409: FlightPatchConflict, ...Errors },
      },
    },
    (request) => app.flights.update(request.params.id, request.body, request.log),
  );
};
