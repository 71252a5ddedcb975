import type { FastifyInstance } from "fastify";
import { ConfigError } from "./config-parse.js";
import { markStopping } from "./health.js";
import { onDrainRequest } from "./workers.js";

/** Reads the config with `load` or stops the process with a message naming the bad variables. */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    return exitIfConfigError(service, err);
  }
}

/**
 * Builds the app, or stops the process as configOrExit does when building finds a setting bad
 * (a key file that cannot be read): exit 2, which the supervisor does not restart into.
 */
export async function builtOrExit<T>(service: string, build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (err) {
    return exitIfConfigError(service, err);
  }
}

function exitIfConfigError(service: string, err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${service}: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

/**
 * Listens, then on SIGTERM/SIGINT stops accepting connections, lets in-flight requests finish
 * (app.close closes the Redis and PostgreSQL pools through their onClose hooks) and exits 0.
 * A second signal or the timeout forces the exit.
 *
 * With `drainMs` (SHUTDOWN_DRAIN_MS) it first serves on for that long, every answer with
 * `Connection: close`. A load balancer holds keep-alive connections to the instance: closed
 * under it, a request it had just sent on one is lost (nginx answers 502 for a write it may not
 * send again), and one that arrives once closing began would be refused 503. Serving on lets each
 * connection end after an answer; one left idle all along was closed by the balancer itself when
 * its keep-alive timeout is shorter. Only then does the port close, and a balancer sends what
 * comes next to another instance (a refused connection is safe to retry). Meanwhile `/ready`
 * answers 503, for balancers that poll it rather than wait for the port. A crash skips the wait.
 *
 * An address it cannot listen on (a port another program holds, a HOST that is not this
 * machine's) ends the process with exit 2, the supervisor's "bad configuration", since a
 * restart would meet the same wall.
 *
 * The last resort for what no handler caught (an uncaught exception, an unhandled rejection):
 * the process is in a state nobody planned for, so it logs the error, drains the same way and
 * exits 1, and its supervisor (scripts/supervise.sh, compose `restart:`) starts a fresh one. A
 * crash then costs a restart, not the requests in flight.
 */
const ADDRESS_SETTING_ERRORS = new Set(["EADDRINUSE", "EADDRNOTAVAIL", "ENOTFOUND"]);

export async function listenWithGracefulShutdown(
  app: FastifyInstance,
  opts: { host: string; port: number; timeoutMs: number; drainMs?: number },
): Promise<void> {
  let closing = false;
  let draining = false;
  // Before Fastify's listener, so the header is set before any handler answers.
  app.server.prependListener("request", (_req, res) => {
    if (draining) res.shouldKeepAlive = false;
  });
  // A crash while a graceful shutdown drains still makes the exit a failure.
  let exitCode = 0;
  const shutdown = (reason: string, code: 0 | 1) => {
    exitCode = Math.max(exitCode, code);
    if (closing) return;
    closing = true;
    app.log.info({ reason }, "shutting down");
    const timer = setTimeout(() => {
      app.log.error("shutdown timed out, exiting");
      process.exit(1);
    }, opts.timeoutMs);
    timer.unref();
    const drainMs = code === 0 ? (opts.drainMs ?? 0) : 0;
    draining = drainMs > 0;
    if (draining) markStopping(app);
    setTimeout(() => closeApp(), drainMs);
  };
  const closeApp = () => {
    // Fastify closes idle keep-alive connections once, when close starts; a connection whose
    // request finishes later would otherwise stay open for the whole keep-alive timeout.
    setInterval(() => app.server.closeIdleConnections(), 100).unref();
    app.close().then(
      () => process.exit(exitCode),
      (err) => {
        app.log.error({ err }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (closing) process.exit(1);
    shutdown(signal, 0);
  };
  const onCrash = (kind: string) => (err: unknown) => {
    app.log.fatal({ err }, `${kind}: draining and exiting`);
    shutdown(kind, 1);
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  onDrainRequest(() => shutdown("drain asked by the primary", 0));
  process.on("uncaughtException", onCrash("uncaught exception"));
  process.on("unhandledRejection", onCrash("unhandled rejection"));
  try {
    await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    app.log.error({ err }, `could not listen on HOST=${opts.host}, port ${opts.port}`);
    // A port another program holds, or a HOST no interface here has (or no name resolves to), is
    // a setting to change, not a crash: exit 2 tells the supervisor not to restart into the same
    // wall, and `make up` reports it at once.
    process.exit(ADDRESS_SETTING_ERRORS.has((err as NodeJS.ErrnoException).code ?? "") ? 2 : 1);
  }
}
