import { configOrExit, listenWithGracefulShutdown } from "../lib/server.js";
import { runWorkers } from "../lib/workers.js";
import { buildApp } from "./app.js";
import { loadPaymentConfig } from "./config.js";

const config = configOrExit("payment-mock", loadPaymentConfig);
await runWorkers(
  "payment-mock",
  { count: config.payment.workers, shutdownTimeoutMs: config.shutdownTimeoutMs },
  async () => {
    const app = await buildApp({ config });
    await listenWithGracefulShutdown(app, {
      host: config.host,
      port: config.payment.port,
      timeoutMs: config.shutdownTimeoutMs,
      drainMs: config.shutdownDrainMs,
    });
  },
);
