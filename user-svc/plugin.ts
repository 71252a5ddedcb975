import fp from "fastify-plugin";
import { readOrCreateServiceSecret } from "../lib/auth/service-secret.js";
import type { UserConfig } from "./config.js";
import type { SigningKey } from "./keys.js";
import { Ledger } from "./loyalty/ledger.js";
import { refreshSweep } from "./refresh-sweep.js";
import { UserService } from "./service.js";
import { UsersRepo } from "./users-repo.js";

declare module "fastify" {
  interface FastifyInstance {
    users: UserService;
    signingKey: SigningKey;
    ledger: Ledger;
  }
}

/**
 * The signing key (loaded by app.ts, which verifies with it too), the accounts service, the miles
 * ledger and the sweep of spent refresh tokens.
 */
export const usersPlugin = fp<{ config: UserConfig; key: SigningKey }>(
  async (app, { config, key }) => {
    app.decorate("signingKey", key);
    const secret = await readOrCreateServiceSecret(config.auth);
    app.decorate("users", new UserService(app.sql, app.redis, key, config.user, secret));
    app.decorate("ledger", new Ledger(app.sql));
    const sweep = refreshSweep(new UsersRepo(app.sql), app.log);
    app.addHook("onReady", async () => sweep.start());
    app.addHook("preClose", () => sweep.stop());
  },
  { name: "users", dependencies: ["redis", "postgres"] },
);
