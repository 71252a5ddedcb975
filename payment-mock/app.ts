import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "../lib/config.js";
import { installErrorHandler } from "../lib/errors.js";
import { fastifyOptions } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { installJsonNewline } from "../lib/json-newline.js";
import { installStrictInput } from "../lib/strict-input.js";
import { paymentsPlugin } from "./plugin.js";
import { configRoutes } from "./routes/config.js";
import { paymentRoutes } from "./routes/payments.js";
import { processRoutes } from "./routes/process.js";

export interface PaymentAppOptions {
  config: Config;
}

// payment-mock keeps its payments in memory: it has no dependency to be ready for.
export async function buildApp({ config }: PaymentAppOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions("payment-mock", config));
  installErrorHandler(app);
  installJsonNewline(app);
  installStrictInput(app);
  healthRoutes(app, "payment-mock", {});

  await app.register(paymentsPlugin, { config: config.payment });

  await app.register(processRoutes);
  await app.register(paymentRoutes);
  await app.register(configRoutes);
  return app;
}
