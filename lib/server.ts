import type { FastifyInstance } from "fastify";
import { type Config, ConfigError, loadConfig } from "./config.js";

/** Reads the config or stops the process with a message naming the bad variables. */
export function configOrExit(service: string): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${service}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/**
 * Listens, then on SIGTERM/SIGINT stops accepting connections, lets in-flight requests finish
 * (app.close closes the Redis and PostgreSQL pools through their onClose hooks) and exits.
 * A second signal or the timeout forces the exit.
 */
export async function listenWithGracefulShutdown(
  app: FastifyInstance,
  opts: { host: string; port: number; timeoutMs: number },
): Promise<void> {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    app.log.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      app.log.error("shutdown timed out, exiting");
      process.exit(1);
    }, opts.timeoutMs);
    timer.unref();
    // Fastify closes idle keep-alive connections once, when close starts; a connection whose
    // request finishes later would otherwise stay open for the whole keep-alive timeout.
    setInterval(() => app.server.closeIdleConnections(), 100).unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  try {
    await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    app.log.error({ err }, "could not listen");
    process.exit(1);
  }
}
