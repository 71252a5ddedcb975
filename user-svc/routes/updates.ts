import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { decodeJwt } from "jose";
import { logStreamEnded } from "../../lib/access-log.js";
import { bearerToken, type Caller } from "../../lib/auth/verify.js";
import { AppError } from "../../lib/errors.js";
import { countStream } from "../../lib/metrics.js";
import type { UserConfig } from "../config.js";
import { Errors } from "../schemas.js";
import { pushAuthorization } from "../updates/caller.js";
import { noteRefusedHandshake } from "../updates/handshake.js";
import type { CommandTarget } from "../updates/messages.js";
import { UpdatesHeaders, UpdatesQuery, UpdatesStream } from "../updates/schemas.js";
import { serveSse } from "../updates/sse-stream.js";
import type { StreamOpening } from "../updates/stream-opening.js";
import { serveWebSocket } from "../updates/ws-stream.js";

type PushCaller = Caller & { expiresAtMs: number };

/**
 * GET /api/updates: a WebSocket (subscribe / unsubscribe in, updates and notices out) or, for a
 * plain GET, Server-Sent Events. Both resume after `resume_from` or `Last-Event-ID`.
 */
export const updatesRoutes: FastifyPluginAsyncTypebox<{ config: UserConfig }> = async (app, { config }) => {
  const limits = config.updates;
  const callers = new WeakMap<FastifyRequest, PushCaller>();
  const hub = app.updatesHub;
  // ws writes the 101 itself, without the headers hooks gave the reply: the echoed request id is
  // added to it here. A handshake it refuses instead is answered by refuseHandshake (plugin.ts).
  const upgrades = new WeakMap<IncomingMessage, FastifyReply>();
  app.websocketServer.on("headers", (headers: string[], raw: IncomingMessage) => {
    const reply = upgrades.get(raw);
    if (reply) headers.push(`X-Request-Id: ${reply.request.id}`);
  });
  app.websocketServer.on("wsClientError", (_err: Error, _socket: Duplex, raw: IncomingMessage) => {
    const reply = upgrades.get(raw);
    if (reply) noteRefusedHandshake(reply, config);
  });

  // Both answers take over the response, so Fastify neither counts nor logs them: done here once
  // the stream ends, as any request's line (ACCESS_LOG=on) and count (not its latency).
  const streamEnded = (request: FastifyRequest, status: number, openedAt: number) => {
    countStream(request, status);
    logStreamEnded(request, status, openedAt, config);
  };

  const resumeOf = (request: FastifyRequest): string | null => {
    const q = (request.query as { resume_from?: string }).resume_from;
    return q ?? (request.headers["last-event-id"] as string | undefined) ?? null;
  };

  const opening = (request: FastifyRequest): StreamOpening => {
    const { userId, expiresAtMs } = callers.get(request) as PushCaller;
    const openedAt = performance.now();
    return {
      userId,
      expiresAtMs,
      resumeFrom: resumeOf(request),
      limits,
      hub,
      ended: (status) => streamEnded(request, status, openedAt),
    };
  };

  app.route({
    method: "GET",
    url: "/api/updates",
    config: { access: "customer", authorizationOf: pushAuthorization },
    schema: { querystring: UpdatesQuery, headers: UpdatesHeaders, response: { 200: UpdatesStream, ...Errors } },
    preHandler: async (request, reply) => {
      // user-svc always asks for a token (app.ts), so the access hook has set the caller.
      const caller = request.caller as Caller;
      if (hub.connectionsOf(caller.userId) >= limits.maxConnectionsPerUser) {
        // A place held by a client gone without closing frees within two heartbeats (the ping it
        // did not answer); one closed frees at once, and one still in use never: a heartbeat is the hint.
        throw new AppError(
          "rate_limited",
          `At most ${limits.maxConnectionsPerUser} update connections per user are open at once.`,
          { retry_after: Math.ceil(limits.heartbeatMs / 1000) },
        );
      }
      // The access hook verified this token, exp included: decoding it again only reads its exp.
      const { exp } = decodeJwt(bearerToken(pushAuthorization(request)));
      callers.set(request, { ...caller, expiresAtMs: (exp as number) * 1000 });
      if (request.ws) upgrades.set(request.raw, reply);
    },
    handler: async (request, reply) => serveSse(request, reply, opening(request)),
    wsHandler: (socket, request) => {
      const { userId } = callers.get(request) as PushCaller;
      const target: CommandTarget = {
        subscribe: async (flightId) => {
          await app.flightLookup.mustExist(flightId, request.id);
          return (await app.subscriptions.add(userId, flightId, limits.maxSubscriptionsPerUser)).outcome;
        },
        unsubscribe: (flightId) => app.subscriptions.remove(userId, flightId),
        limit: limits.maxSubscriptionsPerUser,
      };
      serveWebSocket(socket, request, opening(request), target);
    },
  });
};
