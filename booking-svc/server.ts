import { configOrExit, listenWithGracefulShutdown } from "../lib/server.js";
import { buildApp } from "./app.js";
import { loadBookingConfig } from "./config.js";

const config = configOrExit("booking-svc", loadBookingConfig);
const app = await buildApp({ config });
await listenWithGracefulShutdown(app, {
  host: config.host,
  port: config.booking.port,
  timeoutMs: config.shutdownTimeoutMs,
});
