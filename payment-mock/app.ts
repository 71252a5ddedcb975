import Fastify, { type FastifyInstance } from "fastify";
import { installErrorHandler } from "../lib/errors.js";
import { fastifyOptions, type LogStream } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { installJsonNewline } from "../lib/json-newline.js";
import { observabilityPlugin } from "../lib/observability.js";
import { installStrictInput } from "../lib/strict-input.js";
import type { PaymentConfig } from "./config.js";
import { paymentExamples } from "./openapi-examples.js";
import { paymentsPlugin } from "./plugin.js";
import { configRoutes } from "./routes/config.js";
import { paymentRoutes } from "./routes/payments.js";
import { processRoutes } from "./routes/process.js";

export interface PaymentAppOptions {
  config: PaymentConfig;
  logStream?: LogStream;
}

// payment-mock keeps its payments in memory: it has no dependency to be ready for.
export async function buildApp({ config, logStream }: PaymentAppOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions("payment-mock", config, logStream));
  installErrorHandler(app);
  installJsonNewline(app);
  installStrictInput(app);
  await app.register(observabilityPlugin, {
    service: "payment-mock",
    description: "A configurable payment provider: outcomes by configured rates or forced, lookups, refunds.",
    examples: paymentExamples,
    metrics: config.metrics,
  });
  healthRoutes(app, "payment-mock", {});

  await app.register(paymentsPlugin, { config: config.payment });

  await app.register(processRoutes);
  await app.register(paymentRoutes);
  await app.register(configRoutes);
  return app;
}
