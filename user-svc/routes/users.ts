import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { AppError } from "../../lib/errors.js";
import { Account, Errors, Jwks } from "../schemas.js";
import { accountView } from "../service.js";

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A customer's or an admin's own account (user-svc asks for the token whatever AUTH_MODE says).
  app.get(
    "/api/users/me",
    { config: { access: "customer" }, schema: { response: { 200: Account, ...Errors } } },
    async (request) => {
      if (!request.caller) throw new AppError("unauthorized");
      const { userId } = request.caller;
      const [account, tier] = await Promise.all([app.users.account(userId), app.ledger.tier(userId)]);
      return { ...accountView(account), tier };
    },
  );

  // Public keys only; verifiers cache this, so a short cache header lets rotations spread.
  app.get(
    "/.well-known/jwks.json",
    { config: { access: "anyone" }, schema: { response: { 200: Jwks } } },
    async (_request, reply) => {
      reply.header("cache-control", "public, max-age=300");
      return { keys: app.signingKey.keySet };
    },
  );
};
