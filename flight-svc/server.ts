import { configOrExit, listenWithGracefulShutdown } from "../lib/server.js";
import { runWorkers } from "../lib/workers.js";
import { buildApp } from "./app.js";
import { loadFlightConfig } from "./config.js";

const config = configOrExit("flight-svc", loadFlightConfig);
await runWorkers(
  "flight-svc",
  { count: config.flight.workers, shutdownTimeoutMs: config.shutdownTimeoutMs },
  async () => {
    const app = await buildApp({ config });
    await listenWithGracefulShutdown(app, {
      host: config.host,
      port: config.flight.port,
      timeoutMs: config.shutdownTimeoutMs,
      drainMs: config.shutdownDrainMs,
    });
  },
);
