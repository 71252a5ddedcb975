import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import {
  ConfirmBatch,
  ConfirmBatchResults,
  HandOverRequest,
  HoldBatch,
  HoldBatchResults,
  HoldConfirmed,
  HoldHandedOver,
  HoldParams,
  HoldPlaced,
  HoldReleased,
  HoldRequest,
  HoldView,
} from "../../contracts/flight-svc/holds.js";
import { logFailure, toErrorBody } from "../../lib/errors.js";
import { checkHoldId } from "../inventory/hold-ids.js";
import { Errors } from "../inventory/schemas.js";

const SERVICE = { access: "service" } as const;

/** Seat holds: all legs or none, confirmed into PostgreSQL or released exactly once; booking-svc's alone. */
export const holdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/flights/holds",
    { config: SERVICE, schema: { body: HoldRequest, response: { 200: HoldPlaced, 201: HoldPlaced, ...Errors } } },
    async (request, reply) => {
      const { status, body } = await place(app, request.body, byService(request.caller?.role));
      return reply.code(status).send(body);
    },
  );

  app.post(
    "/api/flights/holds/batch",
    { config: SERVICE, schema: { body: HoldBatch, response: { 200: HoldBatchResults, ...Errors } } },
    async (request) => {
      const service = byService(request.caller?.role);
      return eachAnswered(request.log, request.body.items, ({ hold }) => place(app, hold, service), placedHoldId);
    },
  );

  app.post(
    "/api/flights/holds/batch-confirm",
    { config: SERVICE, schema: { body: ConfirmBatch, response: { 200: ConfirmBatchResults, ...Errors } } },
    async (request) =>
      eachAnswered(
        request.log,
        request.body.items,
        async ({ hold_id }) => ({ status: 200, body: await app.inventory.confirmHold(hold_id) }),
        ({ hold_id }) => hold_id,
      ),
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

  app.post(
    "/api/flights/holds/:id/hand-over",
    {
      config: SERVICE,
      schema: { params: HoldParams, body: HandOverRequest, response: { 200: HoldHandedOver, ...Errors } },
    },
    async (request) =>
      app.inventory.handOverHold({
        from: request.params.id,
        to: request.body.to_hold_id,
        legs: request.body.flight_ids,
      }),
  );

  app.delete(
    "/api/flights/holds/:id",
    { config: SERVICE, schema: { params: HoldParams, response: { 200: HoldReleased, ...Errors } } },
    async (request) => app.inventory.releaseHold(request.params.id),
  );
};

// With AUTH_MODE=off there is no caller: the gateway in front has decided.
const byService = (role: string | undefined) => (role ?? "service") === "service";

/** One hold as POST /api/flights/holds answers it: 201 placed now, 200 placed already. */
async function place(app: FastifyInstance, b: HoldRequest, service: boolean) {
  if (b.hold_id !== undefined) checkHoldId(b.hold_id, service);
  const { replayed, ...hold } = await app.inventory.placeHold({
    flightIds: b.flight_ids,
    seats: b.seats,
    ttlSeconds: b.ttl_seconds,
    holdId: b.hold_id,
    date: b.date,
  });
  return { status: replayed ? 200 : 201, body: hold };
}

const placedHoldId = ({ hold }: { hold: HoldRequest }) => hold.hold_id;

/**
 * A batch's items run together, each as its single call would: its own status and body, a failure
 * logged as the error handler logs a failed request, with the request the item is for.
 */
async function eachAnswered<I extends { request_id?: string }>(
  log: FastifyBaseLogger,
  items: I[],
  run: (item: I) => Promise<{ status: number; body: unknown }>,
  holdIdOf: (item: I) => string | undefined,
) {
  const results = await Promise.all(
    items.map((item) =>
      run(item).catch((err: unknown) => {
        const { status, body } = toErrorBody(err);
        logFailure(log, err, status, body, { caller_reqId: item.request_id, hold_id: holdIdOf(item) });
        return { status, body };
      }),
    ),
  );
  return { results };
}
