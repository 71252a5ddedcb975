import fp from "fastify-plugin";
import type { PaymentConfig } from "./config.js";
import { registerPaymentMetrics } from "./metrics.js";
import { PaymentService } from "./service.js";
import { settingsFromConfig, settingsToJson } from "./settings.js";

declare module "fastify" {
  interface FastifyInstance {
    payments: PaymentService;
  }
}

export interface PaymentsPluginOptions {
  config: PaymentConfig["payment"];
}

/** The in-memory payment provider as `app.payments`. */
export const paymentsPlugin = fp<PaymentsPluginOptions>(
  async (app, opts) => {
    const service = new PaymentService(settingsFromConfig(opts.config), opts.config.maxStored);
    registerPaymentMetrics(app.metrics, service);
    app.decorate("payments", service);
    app.addHook("onReady", async () => {
      app.log.info(
        { settings: settingsToJson(service.currentSettings), seed_in_use: service.seedInUse },
        "payment-mock settings",
      );
    });
    // preClose runs before the server waits for open requests: answer the waiting ones now.
    app.addHook("preClose", async () => service.close());
  },
  { name: "payments", fastify: "5.x", dependencies: ["metrics"] },
);
