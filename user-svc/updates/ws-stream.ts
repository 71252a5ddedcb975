import type { FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import { UpdatesClient } from "./client.js";
import { answerCommand, type CommandTarget } from "./messages.js";
import { endAtExpiry, type StreamOpening } from "./stream-opening.js";
import { webSocketTransport } from "./transports.js";

// A person's client sends a command now and then; this many unanswered is a flood.
export const MAX_WAITING_COMMANDS = 64;

/**
 * GET /api/updates as a WebSocket: updates and notices out, subscribe and unsubscribe commands
 * in (answered through `target`), until either side closes it.
 */
export function serveWebSocket(
  socket: WebSocket,
  request: FastifyRequest,
  o: StreamOpening,
  target: CommandTarget,
): void {
  const { limits, hub, userId } = o;
  const client = new UpdatesClient(
    userId,
    webSocketTransport(socket, limits.sendBufferBytes, () =>
      request.log.warn({ user_id: userId }, "slow WebSocket client dropped"),
    ),
    o.resumeFrom,
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
  const expiry = endAtExpiry(o.expiresAtMs, () => socket.close(1008, "access token expired"));
  socket.on("close", () => {
    clearInterval(heartbeat);
    expiry();
    hub.disconnect(client);
    o.ended(101);
  });
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
}
