import type { FastifyInstance } from "fastify";
import { noteFailure } from "./access-log.js";
import { RETRY_AFTER_SECONDS } from "./errors.js";

export type ReadinessCheck = () => Promise<unknown>;

/**
 * What a check throws when its dependency answers but cannot serve the service (a Redis that
 * refuses writes): `/ready` says `state` of it rather than "unreachable".
 */
export class NotServing extends Error {
  constructor(
    readonly state: string,
    detail: string,
  ) {
    super(`${state}: ${detail}`);
    this.name = "NotServing";
  }
}

const CHECK_TIMEOUT_MS = 1_000;

// Instances serving their last requests before their port closes (SHUTDOWN_DRAIN_MS,
// lib/server.ts): a balancer that polls /ready (Kubernetes, HAProxy) stops sending them new ones.
const stopping = new WeakSet<FastifyInstance>();

/** From now on the instance's `/ready` answers 503 "stopping", whatever its dependencies say. */
export function markStopping(app: FastifyInstance): void {
  stopping.add(app);
}

function withTimeout(check: ReadinessCheck): Promise<unknown> {
  return Promise.race([
    check(),
    new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/** GET /health (the process is alive) and GET /ready (every dependency answers and serves). */
export function healthRoutes(app: FastifyInstance, service: string, checks: Record<string, ReadinessCheck>): void {
  const started = Date.now();
  app.get(
    "/health",
    {
      config: { access: "anyone" },
      schema: {
        response: {
          200: {
            type: "object",
            properties: { status: { type: "string" }, service: { type: "string" }, uptime_s: { type: "number" } },
          },
        },
      },
      logLevel: "warn",
    },
    async () => ({ status: "healthy", service, uptime_s: Math.round((Date.now() - started) / 1000) }),
  );
  app.get(
    "/ready",
    {
      config: { access: "anyone" },
      schema: {
        response: {
          "2xx": {
            type: "object",
            properties: {
              status: { type: "string" },
              service: { type: "string" },
              checks: { type: "object", additionalProperties: { type: "string" } },
            },
          },
          503: {
            type: "object",
            properties: {
              error: { type: "string" },
              message: { type: "string" },
              service: { type: "string" },
              checks: { type: "object", additionalProperties: { type: "string" } },
            },
          },
        },
      },
      logLevel: "warn",
    },
    async (request, reply) => {
      if (stopping.has(app)) {
        noteFailure(request, { code: "service_unavailable", reason: "stopping" });
        return reply
          .code(503)
          .header("retry-after", String(RETRY_AFTER_SECONDS))
          .send({ error: "service_unavailable", message: "Not ready: stopping.", service, checks: {} });
      }
      const names = Object.keys(checks);
      const results = await Promise.allSettled(names.map((n) => withTimeout(checks[n] as ReadinessCheck)));
      const status: Record<string, string> = {};
      // The dependencies that failed, by what the answer says of them.
      const down = new Map<string, string[]>();
      const reasons: string[] = [];
      results.forEach((res, i) => {
        const name = names[i] as string;
        status[name] = res.status === "fulfilled" ? "up" : "down";
        if (res.status === "rejected") {
          const state = res.reason instanceof NotServing ? res.reason.state : "unreachable";
          down.set(state, [...(down.get(state) ?? []), name]);
          reasons.push(`${name}: ${(res.reason as Error)?.message ?? String(res.reason)}`);
        }
      });
      if (down.size === 0) return { status: "ready", service, checks: status };
      // The answer goes out without the error handler: the line gets the code and what each check
      // met (for the operator, never the probe) here.
      noteFailure(request, { code: "service_unavailable", reason: reasons.join("; ") });
      return reply
        .code(503)
        .header("retry-after", String(RETRY_AFTER_SECONDS))
        .send({
          error: "service_unavailable",
          message: `Not ready: ${[...down].map(([state, which]) => `${which.join(", ")} ${state}`).join("; ")}.`,
          service,
          checks: status,
        });
    },
  );
}
