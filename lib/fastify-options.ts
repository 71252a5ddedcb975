import type { FastifyServerOptions } from "fastify";
import { childLoggerFactory, loggerOptions } from "./logger.js";
import { requestIdOf } from "./request-context.js";

export interface AppOptions {
  logLevel?: string;
}

/** Fastify options every service shares: logging with redaction, strict validation, timeouts. */
export function fastifyOptions(service: string, logLevel = "info"): FastifyServerOptions {
  return {
    logger: loggerOptions(logLevel, service),
    bodyLimit: 64 * 1024,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    genReqId: requestIdOf,
    childLoggerFactory,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false, useDefaults: true } },
  };
}
