import type { FastifyServerOptions } from "fastify";

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

export function loggerOptions(level: string, service: string): FastifyServerOptions["logger"] {
  if (level === "silent") return false;
  return { level, base: { service }, redact: { paths: REDACT_PATHS, censor: "[redacted]" } };
}
