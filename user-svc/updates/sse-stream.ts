import type { FastifyReply, FastifyRequest } from "fastify";
import { REQUEST_ID_HEADER } from "../../lib/request-context.js";
import { takeOverForStream } from "../../lib/streams.js";
import { UpdatesClient } from "./client.js";
import { endAtExpiry, type StreamOpening } from "./stream-opening.js";
import { sseTransport } from "./transports.js";

/** GET /api/updates as Server-Sent Events: the response is the stream until either side ends it. */
export async function serveSse(request: FastifyRequest, reply: FastifyReply, o: StreamOpening): Promise<void> {
  const { limits, hub } = o;
  const res = reply.raw;
  takeOverForStream(request, reply);
  // A client can go while the hooks run (the token's signature is checked off the event
  // loop): its close was emitted before the listener below, and a stream opened now would
  // never end, holding one of the user's connections and a place in the hub for good.
  if (res.closed) {
    o.ended(200);
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
    o.ended(200);
    return;
  }
  res.write(": connected\n\n");
  const client = new UpdatesClient(
    o.userId,
    sseTransport(res, limits.sendBufferBytes, () => request.log.warn({ user_id: o.userId }, "slow SSE client dropped")),
    o.resumeFrom,
  );
  // Comments keep an idle SSE connection open through proxies that close silent ones.
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), limits.heartbeatMs);
  heartbeat.unref();
  const expiry = endAtExpiry(o.expiresAtMs, () => res.end());
  res.on("close", () => {
    clearInterval(heartbeat);
    expiry();
    hub.disconnect(client);
    o.ended(200);
  });
  await hub.connect(client).catch((err) => {
    request.log.warn({ err: (err as Error).message }, "updates catch-up failed");
    res.destroy();
  });
}
