import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  DebitBody,
  DebitRefusal,
  EarnBatch,
  EarnBatchResults,
  EarnBody,
  EntryParams,
  EntryReply,
  KeyParams,
  PartRefundBody,
  PartRefundRefusal,
  RefundRefusal,
} from "../../contracts/user-svc/loyalty.js";
import { logFailure } from "../../lib/errors.js";
import { Errors } from "../schemas.js";

/**
 * booking-svc's calls (its service token only): miles earned by a flown leg (or a batch of legs), a booking paid in
 * miles, the lookup of that debit after a crash, and its refund, in parts (a cheaper change) or
 * whatever is left (a cancellation). Each is idempotent by its key.
 */
export const loyaltyServiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/loyalty/earn",
    { config: { access: "service" }, schema: { body: EarnBody, response: { 200: EntryReply, ...Errors } } },
    async (request) => app.ledger.earn(request.body),
  );

  app.post(
    "/api/loyalty/earn/batch",
    { config: { access: "service" }, schema: { body: EarnBatch, response: { 200: EarnBatchResults, ...Errors } } },
    async (request) => {
      const { items } = request.body;
      const results = await app.ledger.earnBatch(items, (err, { status, body }, i) =>
        logFailure(request.log, err, status, body, {
          booking_id: items[i]?.booking_id,
          flight_id: items[i]?.flight_id,
        }),
      );
      return { results };
    },
  );

  app.post(
    "/api/loyalty/debit",
    {
      config: { access: "service" },
      schema: { body: DebitBody, response: { 200: EntryReply, 402: DebitRefusal, ...Errors } },
    },
    async (request) => {
      const { user_id, booking_id, key, miles } = request.body;
      return app.ledger.debit(user_id, booking_id, key, miles);
    },
  );

  app.get(
    "/api/loyalty/debits/:key",
    { config: { access: "service" }, schema: { params: KeyParams, response: { 200: EntryReply, ...Errors } } },
    async (request) => app.ledger.debitByKey(request.params.key),
  );

  app.post(
    "/api/loyalty/entries/:id/refund",
    {
      config: { access: "service" },
      schema: { params: EntryParams, response: { 200: EntryReply, 404: RefundRefusal, ...Errors } },
    },
    async (request) => app.ledger.refund(request.params.id),
  );

  app.post(
    "/api/loyalty/entries/:id/refunds",
    {
      config: { access: "service" },
      schema: {
        params: EntryParams,
        body: PartRefundBody,
        response: { 200: EntryReply, 404: PartRefundRefusal, 409: PartRefundRefusal, ...Errors },
      },
    },
    async (request) => app.ledger.refundPart(request.params.id, request.body.key, request.body.miles),
  );
};
