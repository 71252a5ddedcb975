import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { PaymentStats } from "../../contracts/payment-mock/admin.js";
import {
  KeyParams,
  PaymentIdParams,
  PaymentRecord,
  RefundReply,
  RefundRequest,
} from "../../contracts/payment-mock/payments.js";
import { IdempotencyHeaders } from "../../lib/input-schemas.js";
import { toCents } from "../../lib/money.js";
import { Errors } from "../schemas.js";
import { paymentView, refundView } from "../views.js";

const SERVICE = { access: "service" } as const;
const ADMIN = { access: "admin" } as const;

/** Lookups and refunds (booking-svc's), totals and reset (an admin's). */
export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/payments/:payment_id",
    { config: SERVICE, schema: { params: PaymentIdParams, response: { 200: PaymentRecord, ...Errors } } },
    async (request) => paymentView(app.payments.get(request.params.payment_id)),
  );

  app.get(
    "/api/payments/by-key/:key",
    { config: SERVICE, schema: { params: KeyParams, response: { 200: PaymentRecord, ...Errors } } },
    async (request) => paymentView(app.payments.getByKey(request.params.key)),
  );

  app.post(
    "/api/payments/refund",
    {
      config: SERVICE,
      schema: { body: RefundRequest, headers: IdempotencyHeaders, response: { 200: RefundReply, ...Errors } },
    },
    async (request, res) => {
      const { payment_id: paymentId, amount } = request.body;
      // The schema's "money" format has let only amounts with at most two decimals through.
      const amountCents = amount === undefined ? undefined : (toCents(amount) as number);
      const key = request.headers["idempotency-key"] ?? null;
      const { refund, replayed } = app.payments.refund(paymentId, amountCents, key);
      if (replayed) res.header("idempotent-replayed", "true");
      return refundView(refund);
    },
  );

  app.get("/api/payments/stats", { config: ADMIN, schema: { response: { 200: PaymentStats } } }, async () =>
    app.payments.statsJson(),
  );

  app.post(
    "/api/payments/reset",
    { config: ADMIN, schema: { response: { 204: Type.Null() } } },
    async (_request, res) => {
      app.payments.reset();
      return res.code(204).send(null);
    },
  );
};
