import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";
import { AppError, toErrorBody } from "./errors.js";
import { loggerOptions } from "./logger.js";

// Fastify rejects a malformed URL (a bad %-escape, an over-long parameter) before routing, where
// neither the error handler nor the onSend hooks run: the catalogue shape and the trailing
// newline every other body has are given here.
function answerFrameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(new AppError("validation_error", err.message, { field: "url" }));
  void reply
    .code(status)
    .type("application/json; charset=utf-8")
    .send(`${JSON.stringify(body)}\n`);
}

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
    frameworkErrors: answerFrameworkError,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false, useDefaults: true } },
  };
}
