import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { createLocalJWKSet } from "jose";
import { verifierFrom } from "../lib/auth/verify.js";
import type { LogStream } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { postgresPlugin } from "../lib/postgres-plugin.js";
import { redisPlugin } from "../lib/redis-plugin.js";
import { redisWritable } from "../lib/redis-readiness.js";
import { createServiceApp } from "../lib/service-app.js";
import type { UserConfig } from "./config.js";
import { loadSigningKey } from "./keys.js";
import { userExamples } from "./openapi-examples.js";
import { usersPlugin } from "./plugin.js";
import { authRoutes } from "./routes/auth.js";
import { loyaltyRoutes } from "./routes/loyalty.js";
import { loyaltyServiceRoutes } from "./routes/loyalty-service.js";
import { subscriptionRoutes } from "./routes/subscriptions.js";
import { updatesRoutes } from "./routes/updates.js";
import { userRoutes } from "./routes/users.js";
import { flightLookupPlugin } from "./updates/flight-lookup.js";
import { updatesPlugin } from "./updates/plugin.js";

export interface UserAppOptions {
  config: UserConfig;
  logStream?: LogStream;
}

// user-svc's one call to another service (flight-svc, whether a flight exists) is handed its
// request's id, and it logs a request's lines through the request's logger, so it runs without
// the async request context (lib/request-id-plugin.ts), as flight-svc and payment-mock do: on
// Node 20 the first context entered turns on async hooks for all of the process's work, its
// events-stream consumer included.
export async function buildApp({ config, logStream }: UserAppOptions): Promise<FastifyInstance> {
  const key = await loadSigningKey(config.user.signingKeyFile, config.user.keyDir, config.user.verifyKeyFiles);
  // user-svc verifies with its own key, not its JWKS over HTTP, and asks for a token on its
  // guarded routes (a user's own account, miles and updates; booking-svc's calls) whatever
  // AUTH_MODE says: without one there is no user to answer for.
  const verifier = verifierFrom(createLocalJWKSet({ keys: key.keySet }), config.user);
  const app = (
    await createServiceApp(
      "user-svc",
      { ...config, auth: { ...config.auth, mode: "required" } },
      {
        description:
          "Accounts and tokens: register, log in, refresh and log out; the public keys that verify access tokens; loyalty miles.",
        examples: userExamples,
      },
      { logStream, verifier, requestContext: false },
    )
  ).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(redisPlugin, { url: config.redisUrl, clusterNodes: config.redisClusterNodes });
  await app.register(postgresPlugin, { url: config.usersDatabaseUrl, max: config.dbPoolSize });
  await app.register(flightLookupPlugin, {
    url: config.updates.flightServiceUrl,
    timeoutMs: config.updates.flightTimeoutMs,
  });
  await app.register(usersPlugin, { config, key });
  await app.register(updatesPlugin, { eventsRetentionHours: config.eventsRetentionHours });

  healthRoutes(app, "user-svc", {
    redis: redisWritable(app.redis, "user-svc"),
    postgres: () => app.sql`SELECT 1`,
  });
  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(loyaltyRoutes);
  await app.register(loyaltyServiceRoutes);
  await app.register(subscriptionRoutes, { config });
  await app.register(updatesRoutes, { config });
  return app;
}
