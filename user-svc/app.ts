import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { LogStream } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { postgresPlugin } from "../lib/postgres-plugin.js";
import { redisPlugin } from "../lib/redis-plugin.js";
import { createServiceApp } from "../lib/service-app.js";
import type { UserConfig } from "./config.js";
import { userExamples } from "./openapi-examples.js";
import { usersPlugin } from "./plugin.js";
import { authRoutes } from "./routes/auth.js";
import { subscriptionRoutes } from "./routes/subscriptions.js";
import { updatesRoutes } from "./routes/updates.js";
import { userRoutes } from "./routes/users.js";
import { updatesPlugin } from "./updates/plugin.js";

export interface UserAppOptions {
  config: UserConfig;
  logStream?: LogStream;
}

export async function buildApp({ config, logStream }: UserAppOptions): Promise<FastifyInstance> {
  const app = (
    await createServiceApp(
      "user-svc",
      config,
      {
        description:
          "Accounts and tokens: register, log in, refresh and log out; the public keys that verify access tokens.",
        examples: userExamples,
      },
      logStream,
    )
  ).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(redisPlugin, { url: config.redisUrl });
  await app.register(postgresPlugin, { url: config.usersDatabaseUrl, max: config.dbPoolSize });
  await app.register(usersPlugin, { config });
  await app.register(updatesPlugin);

  healthRoutes(app, "user-svc", {
    redis: () => app.redis.ping(),
    postgres: () => app.sql`SELECT 1`,
  });
  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(subscriptionRoutes, { config });
  await app.register(updatesRoutes, { config });
  return app;
}
