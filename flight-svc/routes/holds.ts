import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ConfirmedBody,
  Errors,
  HoldBody,
  HoldParams,
  HoldViewBody,
  PlacedHoldBody,
  ReleasedBody,
} from "../inventory/schemas.js";

/** Seat holds: all legs or none, confirmed into PostgreSQL or released exactly once. */
export const holdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/flights/holds",
    { schema: { body: HoldBody, response: { 200: PlacedHoldBody, 201: PlacedHoldBody, ...Errors } } },
    async (request, reply) => {
      const b = request.body;
      const { replayed, ...hold } = await app.inventory.placeHold({
        flightIds: b.flight_ids,
        seats: b.seats,
        ttlSeconds: b.ttl_seconds,
        holdId: b.hold_id,
      });
      return reply.code(replayed ? 200 : 201).send(hold);
    },
  );

  app.get(
    "/api/flights/holds/:id",
    { schema: { params: HoldParams, response: { 200: HoldViewBody, ...Errors } } },
    async (request) => app.inventory.getHold(request.params.id),
  );

  app.post(
    "/api/flights/holds/:id/confirm",
    { schema: { params: HoldParams, response: { 200: ConfirmedBody, ...Errors } } },
    async (request) => app.inventory.confirmHold(request.params.id),
  );

  app.delete(
    "/api/flights/holds/:id",
    { schema: { params: HoldParams, response: { 200: ReleasedBody, ...Errors } } },
    async (request) => app.inventory.releaseHold(request.params.id),
  );
};
