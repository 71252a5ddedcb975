import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { Errors, LoginBody, RefreshBody, RegisterBody, Registered, TokenPairReply } from "../schemas.js";

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/auth/register",
    { schema: { body: RegisterBody, response: { 201: Registered, ...Errors } } },
    async (request, reply) => {
      const user = await app.users.register(request.body);
      reply.code(201);
      return { user_id: user.id, username: user.username, email: user.email };
    },
  );

  app.post(
    "/api/auth/login",
    { schema: { body: LoginBody, response: { 200: TokenPairReply, ...Errors } } },
    async (request) => app.users.login(request.body.username, request.body.password, request.ip),
  );

  app.post(
    "/api/auth/refresh",
    { schema: { body: RefreshBody, response: { 200: TokenPairReply, ...Errors } } },
    async (request) => app.users.refresh(request.body.refresh_token),
  );

  app.post(
    "/api/auth/logout",
    { schema: { body: RefreshBody, response: { 204: Type.Null(), ...Errors } } },
    async (request, reply) => {
      await app.users.logout(request.body.refresh_token);
      reply.code(204).send(null);
    },
  );
};
