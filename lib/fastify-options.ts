import { createServer } from "node:http";
import type { FastifyServerOptions } from "fastify";
import { AccessLogController } from "./access-log.js";
import { clientError, routerError } from "./framework-errors.js";
import { inputFormats } from "./input-schemas.js";
import { childLoggerFactory, loggerOptions } from "./logger.js";
import { requestIdOf } from "./request-context.js";
import type { ServerConfig } from "./server-config.js";

type HttpLimits = ServerConfig["http"];

/** Where log lines go instead of stdout (tests read them back). */
export type LogStream = { write(line: string): void };

/**
 * The HTTP server with its limits: a client that is slow to send its headers or its request is
 * answered 408 and cut off (an idle connection that sends nothing counts as slow headers), an
 * idle keep-alive connection is closed after its timeout, connections over the cap are closed
 * as they arrive.
 */
function limitedServer(limits: HttpLimits) {
  return (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        // Node looks for overdue requests every 30 s by default: a slow client would get up to that much extra.
        connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
        // Node's own 400 for a missing Host has an empty body; strict-input.ts answers it instead.
        requireHostHeader: false,
      },
      handler,
    );
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    server.maxConnections = limits.maxConnections;
    return server;
  };
}

/**
 * Fastify options every service shares: logging with redaction and request ids, exact input
 * types (no coercion: query strings and path parameters are converted by strict-input.ts),
 * catalogue errors from the router and the HTTP parser, and the server's limits.
 */
export function fastifyOptions(
  service: string,
  config: Pick<ServerConfig, "logLevel" | "accessLog" | "logSlowMs" | "http" | "trustedProxies">,
  logStream?: LogStream,
): FastifyServerOptions {
  const logger = loggerOptions(config.logLevel, service);
  return {
    logger: logStream && typeof logger === "object" ? { ...logger, stream: logStream } : logger,
    bodyLimit: 64 * 1024,
    serverFactory: limitedServer(config.http),
    return503OnClosing: true,
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // Idempotency keys (255 characters) are path parameters of payment lookups.
    routerOptions: { maxParamLength: 256 },
    frameworkErrors: routerError,
    clientErrorHandler: clientError,
    genReqId: requestIdOf,
    // One line per failed, slow or (ACCESS_LOG=on) every request, not two per request.
    logController: new AccessLogController(config),
    childLoggerFactory,
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, useDefaults: true },
      plugins: [inputFormats],
    },
  };
}
