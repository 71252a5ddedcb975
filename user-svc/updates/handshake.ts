import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { REQUEST_ID_HEADER, requestIdOf } from "../../lib/request-context.js";

// ws answers a WebSocket handshake it cannot complete (a bad Sec-WebSocket-Key, -Version,
// -Protocol or -Extensions header) with its own text/html 400, after the route has passed the
// request: here it is a catalogue validation error naming the header, as every other refusal.

const HEADER = /Sec-WebSocket-[A-Za-z]+|Upgrade/;

/** The `wsClientError` listener of the service's WebSocket server. */
export function refuseHandshake(err: Error, socket: Duplex, req: IncomingMessage): void {
  const field = HEADER.exec(err.message)?.[0].toLowerCase() ?? "upgrade";
  const body = `${JSON.stringify({ error: "validation_error", message: `${err.message}.`, field })}\n`;
  // RFC 6455 4.4: a version the server does not speak is answered with the versions it does.
  const versions = field === "sec-websocket-version" ? "Sec-WebSocket-Version: 13, 8\r\n" : "";
  socket.on("error", () => {});
  socket.end(
    `HTTP/1.1 400 ${STATUS_CODES[400]}\r\nContent-Type: application/json; charset=utf-8\r\n${versions}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${requestIdOf(req)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
