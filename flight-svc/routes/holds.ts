import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  HoldConfirmed,
  HoldParams,
  HoldPlaced,
  HoldReleased,
  HoldRequest,
  HoldView,
} from "../../contracts/flight-svc/holds.js";
import { checkHoldId } from "../inventory/hold-ids.js";
import { Errors } from "../inventory/schemas.js";

const SERVICE = { access: "service" } as const;

/** Seat holds: all legs or none, confirmed into PostgreSQL or released exactly once; booking-svc's alone. */
export const holdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/flights/holds",
    { config: SERVICE, schema: { body: HoldRequest, response: { 200: HoldPlaced, 201: HoldPlaced, ...Errors } } },
    async (request, reply) => {
      const b = request.body;
      // With AUTH_MODE=off there is no caller: the gateway in front has decided.
      if (b.hold_id !== undefined) checkHoldId(b.hold_id, (request.caller?.role ?? "service") === "service");
      const { replayed, ...hold } = await app.inventory.placeHold({
        flightIds: b.flight_ids,
        seats: b.seats,
        ttlSeconds: b.ttl_seconds,
        holdId: b.hold_id,
        date: b.date,
      });
      return reply.code(replayed ? 200 : 201).send(hold);
    },
  );

  app.get(
    "/api/flights/holds/:id",
    { config: SERVICE, schema: { params: HoldParams, response: { 200: HoldView, ...Errors } } },
    async (request) => app.inventory.getHold(request.params.id),
  );

  app.post(
    "/api/flights/holds/:id/confirm",
    { config: SERVICE, schema: { params: HoldParams, response: { 200: HoldConfirmed, ...Errors } } },
    async (request) => app.inventory.confirmHold(request.params.id),
  );

  app.delete(
    "/api/flights/holds/:id",
    { config: SERVICE, schema: { params: HoldParams, response: { 200: HoldReleased, ...Errors } } },
    async (request) => app.inventory.releaseHold(request.params.id),
  );
};
