import fp from "fastify-plugin";
import { createLocalJWKSet } from "jose";
import { type TokenVerifier, verifierFrom } from "../lib/auth/verify.js";
import type { UserConfig } from "./config.js";
import { loadSigningKey, type SigningKey } from "./keys.js";
import { UserService } from "./service.js";

declare module "fastify" {
  interface FastifyInstance {
    users: UserService;
    signingKey: SigningKey;
    verifyToken: TokenVerifier;
  }
}

/** The signing key, the accounts service, and a verifier of user-svc's own tokens (no JWKS fetch). */
export const usersPlugin = fp<{ config: UserConfig }>(
  async (app, { config }) => {
    const key = await loadSigningKey(config.user.signingKeyFile, config.user.keyDir);
    app.decorate("signingKey", key);
    app.decorate("users", new UserService(app.sql, app.redis, key, config.user));
    app.decorate("verifyToken", verifierFrom(createLocalJWKSet({ keys: [key.publicJwk] }), config.user));
  },
  { name: "users", dependencies: ["redis", "postgres"] },
);
