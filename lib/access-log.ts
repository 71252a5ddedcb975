import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

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

/**
 * Fastify's request lines, one per logged request instead of two per request: nothing when a
 * request arrives, one line when it completes if `accessLogLevel` says so. Request loggers
 * carry the request id. Fastify's other lines (errors, aborted streams) stay as they are.
 */
export class AccessLogController extends LogController {
  constructor(private readonly settings: AccessLogSettings) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const elapsed = reply.elapsedTime;
    const decision = error
      ? { level: "error" as const, why: "response failed" }
      : accessLogLevel(reply.statusCode, elapsed, this.settings);
    if (!decision) return;
    reply.log[decision.level](
      {
        req: { method: request.method, url: request.url },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(elapsed * 100) / 100,
        why: decision.why,
        ...(error ? { err: error } : {}),
      },
      "request completed",
    );
  }
}
