import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import {
  ClientCredentialsBody,
  Errors,
  LoginBody,
  RefreshBody,
  RegisterBody,
  Registered,
  ServiceTokenReply,
  TokenPairReply,
} from "../schemas.js";

// Getting a token takes none.
const ANYONE = { access: "anyone" } as const;

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/auth/register",
    { config: ANYONE, schema: { body: RegisterBody, response: { 201: Registered, ...Errors } } },
    async (request, reply) => {
      const user = await app.users.register(request.body);
      reply.code(201);
      return { user_id: user.id, username: user.username, email: user.email };
    },
  );

  app.post(
    "/api/auth/login",
    { config: ANYONE, schema: { body: LoginBody, response: { 200: TokenPairReply, ...Errors } } },
    async (request) => app.users.login(request.body.username, request.body.password, request.ip),
  );

  // booking-svc's service token (client credentials); customers and admins log in instead.
  app.post(
    "/api/auth/token",
    { config: ANYONE, schema: { body: ClientCredentialsBody, response: { 200: ServiceTokenReply, ...Errors } } },
    async (request) => app.users.clientToken(request.body.client_id, request.body.client_secret),
  );

  app.post(
    "/api/auth/refresh",
    { config: ANYONE, schema: { body: RefreshBody, response: { 200: TokenPairReply, ...Errors } } },
    async (request) => app.users.refresh(request.body.refresh_token),
  );

  app.post(
    "/api/auth/logout",
    { config: ANYONE, schema: { body: RefreshBody, response: { 204: Type.Null(), ...Errors } } },
    async (request, reply) => {
      await app.users.logout(request.body.refresh_token);
      reply.code(204).send(null);
    },
  );
};
