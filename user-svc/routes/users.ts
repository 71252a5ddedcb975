import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { bearerToken } from "../../lib/auth/verify.js";
import { Account, BearerHeaders, Errors, Jwks } from "../schemas.js";
import { accountView } from "../service.js";

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/users/me",
    { schema: { headers: BearerHeaders, response: { 200: Account, ...Errors } } },
    async (request) => {
      const caller = await app.verifyToken(bearerToken(request.headers.authorization));
      return accountView(await app.users.account(caller.userId));
    },
  );

  // Public keys only; verifiers cache this, so a short cache header lets rotations spread.
  app.get("/.well-known/jwks.json", { schema: { response: { 200: Jwks } } }, async (_request, reply) => {
    reply.header("cache-control", "public, max-age=300");
    return { keys: [app.signingKey.publicJwk] };
  });
};
