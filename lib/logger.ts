import type { FastifyServerOptions } from "fastify";
import { currentRequestId } from "./request-context.js";

// Passenger names and emails must never reach a log line, wherever they appear in an object.
export const REDACT_PATHS = [
  "passengers",
  "*.passengers",
  "*.*.passengers",
  "req.body",
  "body.passengers",
  "name",
  "email",
  "*.name",
  "*.email",
  "*.*.name",
  "*.*.email",
  // postgres.js errors may carry the statement's parameters (a booking insert holds passengers).
  "err.parameters",
  "*.err.parameters",
];

// Fastify binds reqId to a request's own logger; pino children inherit this mark through their
// prototype, so the mixin below never writes reqId twice on one line.
const BOUND = Symbol("skybook.reqIdBound");

/** Request loggers as Fastify makes them, marked as already carrying reqId. */
export const childLoggerFactory: NonNullable<FastifyServerOptions["childLoggerFactory"]> = (logger, bindings, opts) => {
  const child = logger.child(bindings, opts);
  Object.defineProperty(child, BOUND, { value: true });
  return child;
};

// Lines written on behalf of a request through another logger (the saga's, the upstream
// clients') get the request's id from its async context.
function stampRequestId(_obj: object, _level: number, logger: object): object {
  if ((logger as Record<symbol, unknown>)[BOUND]) return {};
  const reqId = currentRequestId();
  return reqId ? { reqId } : {};
}

export function loggerOptions(level: string, service: string): FastifyServerOptions["logger"] {
  if (level === "silent") return false;
  return {
    level,
    // pid: which worker wrote the line when a service runs several (lib/workers.ts).
    base: { service, pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    mixin: stampRequestId,
  };
}
