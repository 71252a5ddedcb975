import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import {
  OUTCOMES,
  ProcessHeaders,
  ProcessReply,
  ProcessRequest,
  TimeoutReply,
} from "../../contracts/payment-mock/payments.js";
import { AppError } from "../../lib/errors.js";
import { toCents } from "../../lib/money.js";
import { Errors } from "../schemas.js";
import type { ProcessResult } from "../service.js";
import type { ChargeRequest } from "../types.js";
import { processView, TIMEOUT_MESSAGE } from "../views.js";

/** The schema's "money" format has let only amounts with at most two decimals through. */
export function toCharge(body: ProcessRequest): ChargeRequest {
  const amountCents = toCents(body.amount) as number;
  return { bookingId: body.booking_id, userId: body.user_id, amountCents, paymentType: body.payment_type };
}

function reply(res: FastifyReply, result: ProcessResult) {
  if (result.replayed) res.header("idempotent-replayed", "true");
  if (result.kind === "timeout") throw new AppError("payment_timeout", TIMEOUT_MESSAGE, { status: "timeout" });
  return processView(result.payment);
}

const SERVICE = { access: "service" } as const;

const schema = {
  body: ProcessRequest,
  headers: ProcessHeaders,
  response: { 200: ProcessReply, 408: TimeoutReply, ...Errors },
};

/** POST /api/payments/process and the original's forced-outcome endpoints, which take the same body. */
export const processRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post("/api/payments/process", { config: SERVICE, schema }, async (request, res) => {
    const { "idempotency-key": key, "x-mock-outcome": forced } = request.headers;
    return reply(res, await app.payments.process(toCharge(request.body), key ?? null, forced));
  });

  for (const outcome of OUTCOMES) {
    app.post(`/api/payments/simulate/${outcome}`, { config: SERVICE, schema }, async (request, res) => {
      const key = request.headers["idempotency-key"];
      return reply(res, await app.payments.process(toCharge(request.body), key ?? null, outcome));
    });
  }
};
