import { configOrExit, listenWithGracefulShutdown } from "../lib/server.js";
import { buildApp } from "./app.js";

const config = configOrExit("flight-svc");
const app = await buildApp({ config });
await listenWithGracefulShutdown(app, {
  host: config.host,
  port: config.flight.port,
  timeoutMs: config.shutdownTimeoutMs,
});
