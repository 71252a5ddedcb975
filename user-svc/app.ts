import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import { installErrorHandler } from "../lib/errors.js";
import { fastifyOptions, type LogStream } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { installJsonNewline } from "../lib/json-newline.js";
import { observabilityPlugin } from "../lib/observability.js";
import { postgresPlugin } from "../lib/postgres-plugin.js";
import { redisPlugin } from "../lib/redis-plugin.js";
import { installStrictInput } from "../lib/strict-input.js";
import type { UserConfig } from "./config.js";
import { userExamples } from "./openapi-examples.js";
import { usersPlugin } from "./plugin.js";
import { authRoutes } from "./routes/auth.js";
import { userRoutes } from "./routes/users.js";

export interface UserAppOptions {
  config: UserConfig;
  logStream?: LogStream;
}

export async function buildApp({ config, logStream }: UserAppOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions("user-svc", config, logStream)).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  installJsonNewline(app);
  installStrictInput(app);
  await app.register(observabilityPlugin, {
    service: "user-svc",
    description:
      "Accounts and tokens: register, log in, refresh and log out; the public keys that verify access tokens.",
    examples: userExamples,
    metrics: config.metrics,
  });

  await app.register(redisPlugin, { url: config.redisUrl });
  await app.register(postgresPlugin, { url: config.usersDatabaseUrl, max: config.dbPoolSize });
  await app.register(usersPlugin, { config });

  healthRoutes(app, "user-svc", {
    redis: () => app.redis.ping(),
    postgres: () => app.sql`SELECT 1`,
  });
  await app.register(authRoutes);
  await app.register(userRoutes);
  return app;
}
