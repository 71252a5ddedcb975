import { builtOrExit, configOrExit, listenWithGracefulShutdown } from "../lib/server.js";
import { runWorkers } from "../lib/workers.js";
import { buildApp } from "./app.js";
import { loadUserConfig } from "./config.js";

const config = configOrExit("user-svc", loadUserConfig);
await runWorkers("user-svc", { count: config.user.workers, shutdownTimeoutMs: config.shutdownTimeoutMs }, async () => {
  const app = await builtOrExit("user-svc", () => buildApp({ config }));
  await listenWithGracefulShutdown(app, {
    host: config.host,
    port: config.user.port,
    timeoutMs: config.shutdownTimeoutMs,
    drainMs: config.shutdownDrainMs,
  });
});
