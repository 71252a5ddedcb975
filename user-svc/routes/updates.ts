import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { decodeJwt } from "jose";
import { logStreamEnded } from "../../lib/access-log.js";
import { bearerToken, type Caller } from "../../lib/auth/verify.js";
import { AppError } from "../../lib/errors.js";
import { countStream } from "../../lib/metrics.js";
import { REQUEST_ID_HEADER } from "../../lib/request-context.js";
import { takeOverForStream } from "../../lib/streams.js";
import type { UserConfig } from "../config.js";
import { Errors } from "../schemas.js";
import { pushAuthorization } from "../updates/caller.js";
import { UpdatesClient } from "../updates/client.js";
import { noteRefusedHandshake } from "../updates/handshake.js";
import { answerCommand, type CommandTarget } from "../updates/messages.js";
import { UpdatesHeaders, UpdatesQuery, UpdatesStream } from "../updates/schemas.js";
import { sseTransport, webSocketTransport } from "../updates/transports.js";

// A person's client sends a command now and then; this many unanswered is a flood.
export const MAX_WAITING_COMMANDS = 64;

type PushCaller = Caller & { expiresAtMs: number };

// setTimeout's longest delay; a token that outlives it is checked again then.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `end` when the connection's access token expires: the token was checked once, at the
 * upgrade, and a connection that outlived it kept a stolen or logged-out token's feed open for as
 * long as the socket stayed up. The client reconnects with a fresh token and its last event id.
 */
function endAtExpiry(expiresAtMs: number, end: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAtMs - Date.now();
    timer = left > 0 ? setTimeout(arm, Math.min(left, MAX_TIMER_MS)) : setTimeout(end, 0);
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

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
    handler: async (request, reply) => {
      const { userId, expiresAtMs } = callers.get(request) as PushCaller;
      const openedAt = performance.now();
      const res = reply.raw;
      takeOverForStream(request, reply);
      // A client can go while the hooks run (the token's signature is checked off the event
      // loop): its close was emitted before the listener below, and a stream opened now would
      // never end, holding one of the user's connections and a place in the hub for good.
      if (res.closed) {
        streamEnded(request, 200, openedAt);
        return;
      }
      res.writeHead(200, {
        // Hijacked, the reply sends none of the headers hooks gave it, the echoed request id among them.
        [REQUEST_ID_HEADER]: request.id,
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      // Node sends no body for a HEAD, nor the headers before the end: kept open like a GET, it
      // answered nothing and held one of the user's connections until the client gave up.
      if (request.method === "HEAD") {
        res.end();
        streamEnded(request, 200, openedAt);
        return;
      }
      res.write(": connected\n\n");
      const client = new UpdatesClient(
        userId,
        sseTransport(res, limits.sendBufferBytes, () =>
          request.log.warn({ user_id: userId }, "slow SSE client dropped"),
        ),
        resumeOf(request),
      );
      // Comments keep an idle SSE connection open through proxies that close silent ones.
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), limits.heartbeatMs);
      heartbeat.unref();
      const expiry = endAtExpiry(expiresAtMs, () => res.end());
      res.on("close", () => {
        clearInterval(heartbeat);
        expiry();
        hub.disconnect(client);
        streamEnded(request, 200, openedAt);
      });
      await hub.connect(client).catch((err) => {
        request.log.warn({ err: (err as Error).message }, "updates catch-up failed");
        res.destroy();
      });
    },
    wsHandler: (socket, request) => {
      const { userId, expiresAtMs } = callers.get(request) as PushCaller;
      const openedAt = performance.now();
      const client = new UpdatesClient(
        userId,
        webSocketTransport(socket, limits.sendBufferBytes, () =>
          request.log.warn({ user_id: userId }, "slow WebSocket client dropped"),
        ),
        resumeOf(request),
      );
      // A client gone without a close (a phone off the network) answers no ping: it is closed
      // rather than kept, holding one of the user's UPDATES_MAX_CONNECTIONS_PER_USER places.
      let answered = true;
      socket.on("pong", () => {
        answered = true;
      });
      const heartbeat = setInterval(() => {
        if (!answered) {
          request.log.info({ user_id: userId }, "WebSocket client closed: no answer to a ping");
          socket.terminate();
          return;
        }
        answered = false;
        socket.ping();
      }, limits.heartbeatMs);
      heartbeat.unref();
      const expiry = endAtExpiry(expiresAtMs, () => socket.close(1008, "access token expired"));
      socket.on("close", () => {
        clearInterval(heartbeat);
        expiry();
        hub.disconnect(client);
        streamEnded(request, 101, openedAt);
      });
      const target: CommandTarget = {
        subscribe: async (flightId) => {
          await app.flightLookup.mustExist(flightId, request.id);
          return (await app.subscriptions.add(userId, flightId, limits.maxSubscriptionsPerUser)).outcome;
        },
        unsubscribe: (flightId) => app.subscriptions.remove(userId, flightId),
        limit: limits.maxSubscriptionsPerUser,
      };
      // One command at a time, in the order sent: run side by side, an unsubscribe sent right
      // after a subscribe committed first and left the user subscribed. A client that sends far
      // faster than they are answered is closed rather than queued without end in memory.
      let previous = Promise.resolve();
      let waiting = 0;
      socket.on("message", (data) => {
        if (waiting >= MAX_WAITING_COMMANDS) {
          request.log.warn({ user_id: userId }, "WebSocket client closed: too many commands waiting");
          socket.close(1008, "too many commands waiting");
          return;
        }
        waiting++;
        const text = data.toString();
        previous = previous.then(async () => {
          client.reply(await answerCommand(text, target, request.log));
          waiting--;
        });
      });
      hub.connect(client).catch((err) => {
        request.log.warn({ err: (err as Error).message }, "updates catch-up failed");
        socket.close(1011, "catch-up failed");
      });
    },
  });
};
