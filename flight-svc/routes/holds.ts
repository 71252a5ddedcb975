import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  HoldConfirmed,
  HoldParams,
  HoldPlaced,
  HoldReleased,
  HoldRequest,
  HoldView,
  SERVICE_TOKEN_HEADER,
} from "../../contracts/flight-svc/holds.js";
import { checkHoldId } from "../inventory/hold-ids.js";
import { Errors } from "../inventory/schemas.js";

export interface HoldRouteOptions {
  /** What booking-svc sends in SERVICE_TOKEN_HEADER to hold under its reserved ids. */
  serviceToken: string;
}

/** Seat holds: all legs or none, confirmed into PostgreSQL or released exactly once. */
export const holdRoutes: FastifyPluginAsyncTypebox<HoldRouteOptions> = async (app, opts) => {
  app.post(
    "/api/flights/holds",
    { schema: { body: HoldRequest, response: { 200: HoldPlaced, 201: HoldPlaced, ...Errors } } },
    async (request, reply) => {
      const b = request.body;
      if (b.hold_id !== undefined) {
        const credential = request.headers[SERVICE_TOKEN_HEADER];
        checkHoldId(b.hold_id, typeof credential === "string" ? credential : undefined, opts.serviceToken);
      }
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
    { schema: { params: HoldParams, response: { 200: HoldView, ...Errors } } },
    async (request) => app.inventory.getHold(request.params.id),
  );

  app.post(
    "/api/flights/holds/:id/confirm",
    { schema: { params: HoldParams, response: { 200: HoldConfirmed, ...Errors } } },
    async (request) => app.inventory.confirmHold(request.params.id),
  );

  app.delete(
    "/api/flights/holds/:id",
    { schema: { params: HoldParams, response: { 200: HoldReleased, ...Errors } } },
    async (request) => app.inventory.releaseHold(request.params.id),
  );
};
