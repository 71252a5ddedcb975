import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { EntryReply } from "../../contracts/user-svc/loyalty.js";
import { AppError } from "../../lib/errors.js";
import { IdempotencyHeaders } from "../../lib/input-schemas.js";
import { AdjustBody, StatementQuery, StatementReply, UserParams } from "../loyalty/schemas.js";
import { Errors } from "../schemas.js";

/** A customer's balance, tier and statement; an admin's adjustment of anyone's miles. */
export const loyaltyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/loyalty/me",
    {
      config: { access: "customer" },
      schema: { querystring: StatementQuery, response: { 200: StatementReply, ...Errors } },
    },
    async (request) => {
      if (!request.caller) throw new AppError("unauthorized");
      const { limit, cursor } = request.query;
      return app.ledger.statement(request.caller.userId, limit, cursor ?? null);
    },
  );

  app.post(
    "/api/loyalty/:user_id/adjust",
    {
      config: { access: "admin" },
      schema: {
        params: UserParams,
        headers: IdempotencyHeaders,
        body: AdjustBody,
        response: { 201: EntryReply, ...Errors },
      },
    },
    async (request, reply) => {
      const { miles, reason } = request.body;
      const { replayed, ...answer } = await app.ledger.adjust(
        request.params.user_id,
        miles,
        reason,
        request.headers["idempotency-key"],
      );
      if (replayed) void reply.header("idempotent-replayed", "true");
      return reply.code(201).send(answer);
    },
  );
};
