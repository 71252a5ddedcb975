import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { AppError } from "../../lib/errors.js";
import type { UserConfig } from "../config.js";
import { Errors } from "../schemas.js";
import { SubscriptionBody, SubscriptionList, SubscriptionParams, SubscriptionView } from "../updates/schemas.js";
import { noSubscription } from "../updates/subscriptions-repo.js";

/** The caller's flight subscriptions: theirs and those their confirmed bookings made. */
export const subscriptionRoutes: FastifyPluginAsyncTypebox<{ config: UserConfig }> = async (app, { config }) => {
  const limit = config.updates.maxSubscriptionsPerUser;
  // user-svc always asks for a token (app.ts), so the access hook has set the caller.
  const callerOf = (request: FastifyRequest) => {
    if (!request.caller) throw new AppError("unauthorized");
    return request.caller.userId;
  };

  app.get(
    "/api/subscriptions",
    {
      config: { access: "customer" },
      schema: { response: { 200: SubscriptionList, ...Errors } },
    },
    async (request) => ({ subscriptions: await app.subscriptions.list(callerOf(request)) }),
  );

  app.post(
    "/api/subscriptions",
    {
      config: { access: "customer" },
      schema: {
        body: SubscriptionBody,
        response: { 200: SubscriptionView, 201: SubscriptionView, ...Errors },
      },
    },
    async (request, reply) => {
      const userId = callerOf(request);
      const { flight_id } = request.body;
      await app.flightLookup.mustExist(flight_id, request.id);
      const made = await app.subscriptions.add(userId, flight_id, limit);
      if (made.outcome === "limit") {
        throw new AppError("conflict", `At most ${limit} subscriptions per user.`, { field: "flight_id" });
      }
      reply.code(made.outcome === "added" ? 201 : 200);
      return made.subscription;
    },
  );

  app.delete(
    "/api/subscriptions/:flight_id",
    {
      config: { access: "customer" },
      schema: { params: SubscriptionParams, response: { 204: Type.Null(), ...Errors } },
    },
    async (request, reply) => {
      const userId = callerOf(request);
      if (!(await app.subscriptions.remove(userId, request.params.flight_id))) {
        throw noSubscription(request.params.flight_id);
      }
      reply.code(204).send(null);
    },
  );
};
