import { type FastifyReply, type FastifyRequest, LogController } from "fastify";
import { isStream } from "./streams.js";

// Per-request log lines cost as much as the work on a cached search: a successful fast request
// writes none unless access logs are on. Failures and slow requests always get their line (at a
// level LOG_LEVEL can still filter); rates come from /metrics, not from counting lines.

export interface AccessLogSettings {
  /** Every request gets its line. */
  accessLog: boolean;
  /** A request that takes at least this long gets its line at warn. */
  logSlowMs: number;
}

/** Why a request is logged and at which level, or null when it is not. */
export function accessLogLevel(
  status: number,
  elapsedMs: number,
  s: AccessLogSettings,
): { level: "error" | "warn" | "info"; why: string } | null {
  if (status >= 500) return { level: "error", why: "server error" };
  if (elapsedMs >= s.logSlowMs) return { level: "warn", why: "slow" };
  if (status >= 400) return { level: "info", why: "client error" };
  return s.accessLog ? { level: "info", why: "access log" } : null;
}

// What the error handler found wrong with a request (errors.ts, failureFields), written on the
// request's one line rather than on a line of its own.
const failures = new WeakMap<FastifyRequest, Record<string, unknown>>();

/** The failure a request's line names: its error code, an outage's reason or a bug's error. */
export function noteFailure(request: FastifyRequest, fields: Record<string, unknown>): void {
  failures.set(request, fields);
}

/**
 * Fastify's request lines, one per logged request instead of two per request: nothing when a
 * request arrives, one line when it completes if `accessLogLevel` says so, with the failure the
 * error handler noted. Request loggers carry the request id. Fastify's other lines (aborted
 * streams) stay as they are; a stream's line is its own (logStreamEnded).
 */
export class AccessLogController extends LogController {
  constructor(private readonly settings: AccessLogSettings) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (isStream(request)) return;
    const elapsed = reply.elapsedTime;
    const decision = error
      ? { level: "error" as const, why: "response failed" }
      : accessLogLevel(reply.statusCode, elapsed, this.settings);
    if (!decision) return;
    writeLine(request, reply.statusCode, elapsed, decision, {
      ...failures.get(request),
      ...(error ? { err: error } : {}),
    });
  }
}

function writeLine(
  request: FastifyRequest,
  status: number,
  elapsedMs: number,
  decision: { level: "error" | "warn" | "info"; why: string },
  failure: Record<string, unknown>,
): void {
  request.log[decision.level](
    {
      req: { method: request.method, url: request.url },
      res: { statusCode: status },
      responseTime: Math.round(elapsedMs * 100) / 100,
      why: decision.why,
      ...failure,
    },
    "request completed",
  );
}

/**
 * The line of a request answered outside Fastify after its route took it over (a WebSocket
 * handshake ws refused), which Fastify never completes: the same line requestCompleted writes.
 */
export function logAnsweredAside(
  reply: FastifyReply,
  status: number,
  failure: Record<string, unknown>,
  settings: AccessLogSettings,
): void {
  const decision = accessLogLevel(status, reply.elapsedTime, settings);
  if (decision) writeLine(reply.request, status, reply.elapsedTime, decision, failure);
}

/**
 * The line of a stream that took over its response (SSE, a WebSocket), which Fastify never
 * completes: with ACCESS_LOG=on, one when it ends, with how long it lasted. Never "slow": a
 * stream is meant to last.
 */
export function logStreamEnded(
  request: FastifyRequest,
  status: number,
  openedAt: number,
  settings: AccessLogSettings,
): void {
  if (!settings.accessLog) return;
  request.log.info(
    {
      req: { method: request.method, url: request.url },
      res: { statusCode: status },
      responseTime: Math.round((performance.now() - openedAt) * 100) / 100,
      why: "access log",
    },
    "stream ended",
  );
}
