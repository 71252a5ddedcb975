import type { FastifyInstance } from "fastify";
import type { LogStream } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { createServiceApp } from "../lib/service-app.js";
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

// payment-mock keeps its payments in memory: it has no dependency to be ready for. It calls no
// other service and logs through its requests' loggers, so it runs without the async request
// context, whose async hooks cost it about a quarter of its CPU per charge on Node 20.
export async function buildApp({ config, logStream }: PaymentAppOptions): Promise<FastifyInstance> {
  const app = await createServiceApp(
    "payment-mock",
    config,
    {
      description: "A configurable payment provider: outcomes by configured rates or forced, lookups, refunds.",
      examples: paymentExamples,
    },
    { logStream, requestContext: false },
  );
  healthRoutes(app, "payment-mock", {});

  await app.register(paymentsPlugin, { config: config.payment });

  await app.register(processRoutes);
  await app.register(paymentRoutes);
  await app.register(configRoutes);
  return app;
}
