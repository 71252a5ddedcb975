import { configOrExit, listenWithGracefulShutdown } from "../lib/server.js";
import { runWorkers } from "../lib/workers.js";
import { buildApp } from "./app.js";
import { loadBookingConfig } from "./config.js";

const config = configOrExit("booking-svc", loadBookingConfig);
await runWorkers(
  "booking-svc",
  { count: config.booking.workers, shutdownTimeoutMs: config.shutdownTimeoutMs },
  async () => {
    const app = await buildApp({ config });
    await listenWithGracefulShutdown(app, {
      host: config.host,
      port: config.booking.port,
      timeoutMs: config.shutdownTimeoutMs,
      drainMs: config.shutdownDrainMs,
    });
  },
);
