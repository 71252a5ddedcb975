import type { FastifyServerOptions } from "fastify";
import { childLoggerFactory, loggerOptions } from "./logger.js";
import { requestIdOf } from "./request-context.js";

export interface AppOptions {
  logLevel?: string;
}

/** Where log lines go instead of stdout (tests read them back). */
export type LogStream = { write(line: string): void };

/** Fastify options every service shares: logging with redaction, strict validation, timeouts. */
export function fastifyOptions(service: string, logLevel = "info", logStream?: LogStream): FastifyServerOptions {
  const logger = loggerOptions(logLevel, service);
  return {
    logger: logStream && typeof logger === "object" ? { ...logger, stream: logStream } : logger,
    bodyLimit: 64 * 1024,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    genReqId: requestIdOf,
    childLoggerFactory,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false, useDefaults: true } },
  };
}
