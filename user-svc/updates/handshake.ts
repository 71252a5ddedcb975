import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyReply } from "fastify";
import { type AccessLogSettings, logAnsweredAside } from "../../lib/access-log.js";
import { endWithError } from "../../lib/errors.js";
import { countAnsweredAside } from "../../lib/metrics.js";
import { REQUEST_ID_HEADER, requestIdOf } from "../../lib/request-context.js";

// ws answers a WebSocket handshake it cannot complete (a bad Sec-WebSocket-Key, -Version,
// -Protocol or -Extensions header) with its own text/html 400, after the route has passed the
// request: here it is a catalogue validation error naming the header, as every other refusal.

const HEADER = /Sec-WebSocket-[A-Za-z]+|Upgrade/;
const STATUS = 400;
const CODE = "validation_error";

/** The `wsClientError` listener of the service's WebSocket server. */
export function refuseHandshake(err: Error, socket: Duplex, req: IncomingMessage): void {
  const field = HEADER.exec(err.message)?.[0].toLowerCase() ?? "upgrade";
  // RFC 6455 4.4: a version the server does not speak is answered with the versions it does.
  const versions: Record<string, string> =
    field === "sec-websocket-version" ? { "Sec-WebSocket-Version": "13, 8" } : {};
  endWithError(
    socket,
    STATUS,
    { error: CODE, message: `${err.message}.`, field },
    { ...versions, [REQUEST_ID_HEADER]: requestIdOf(req) },
  );
}

/**
 * Counts and logs the refusal of a handshake whose request the route passed (`reply`): no stream
 * starts, so neither a stream's end nor Fastify's hooks, which the route took over from, see it.
 */
export function noteRefusedHandshake(reply: FastifyReply, settings: AccessLogSettings): void {
  logAnsweredAside(reply, STATUS, { code: CODE }, settings);
  countAnsweredAside(reply, STATUS);
}
