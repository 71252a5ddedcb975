import fp from "fastify-plugin";
import { readOrCreateServiceSecret } from "../lib/auth/service-secret.js";
import type { UserConfig } from "./config.js";
import type { SigningKey } from "./keys.js";
import { UserService } from "./service.js";

declare module "fastify" {
  interface FastifyInstance {
    users: UserService;
    signingKey: SigningKey;
  }
}

/** The signing key (loaded by app.ts, which verifies with it too) and the accounts service. */
export const usersPlugin = fp<{ config: UserConfig; key: SigningKey }>(
  async (app, { config, key }) => {
    app.decorate("signingKey", key);
    const secret = await readOrCreateServiceSecret(config.auth);
    app.decorate("users", new UserService(app.sql, app.redis, key, config.user, secret));
  },
  { name: "users", dependencies: ["redis", "postgres"] },
);
