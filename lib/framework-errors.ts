import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CATALOGUE, type ErrorCode } from "./errors.js";
import { countParserRefusal, countRouterRefusal } from "./metrics.js";
import { REQUEST_ID_HEADER } from "./request-context.js";

// Errors found before a route runs, where Fastify and Node would answer in their own shapes and
// quote the whole URL: the router's (a broken percent-encoding, an over-long path parameter) and
// the HTTP parser's (headers too large, a request not received in time, malformed HTTP). No
// onSend hook runs for these, so the body's final newline (json-newline.ts) is written here.

const ROUTER_CODES: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: "bad_request",
  FST_ERR_MAX_PARAM_LENGTH: "uri_too_long",
};

const BAD_URL_MESSAGE = "The URL is not valid: it has a broken percent-encoding.";

/** Fastify's `frameworkErrors` option: router failures as catalogue errors. */
export function routerError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const code = ROUTER_CODES[err.code] ?? "internal_error";
  request.log.info({ code, status: CATALOGUE[code].status }, "request rejected by the router");
  countRouterRefusal(request, reply, CATALOGUE[code].status);
  const message = err.code === "FST_ERR_BAD_URL" ? BAD_URL_MESSAGE : CATALOGUE[code].message;
  // The request-id hook never ran for this request: echo the id here.
  void reply
    .code(CATALOGUE[code].status)
    .header(REQUEST_ID_HEADER, request.id)
    .type("application/json; charset=utf-8")
    .send(`${JSON.stringify({ error: code, message })}\n`);
}

function parserCode(err: NodeJS.ErrnoException): ErrorCode {
  if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") return "request_timeout";
  if (err.code === "HPE_HEADER_OVERFLOW") return "headers_too_large";
  return "bad_request";
}

/**
 * Node found the request unreadable or too slow: the socket is answered in the catalogue shape
 * (when it can still be written) and closed. The answer carries a new request id (the caller's
 * header cannot be trusted from a request that did not parse). The code answered and that id, or
 * null for a socket already gone.
 */
export function refuseUnparsed(err: NodeJS.ErrnoException, socket: Socket): { code: ErrorCode; id: string } | null {
  if (err.code === "ECONNRESET" || socket.destroyed) return null;
  const code = parserCode(err);
  const id = randomUUID();
  const { status, message } = CATALOGUE[code];
  const body = `${JSON.stringify({ error: code, message })}\n`;
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
  return { code, id };
}

/** Fastify's `clientErrorHandler`: refuseUnparsed, logged and counted as the router's refusals are. */
export function clientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  const refused = refuseUnparsed(err, socket);
  if (refused === null) return;
  const { status } = CATALOGUE[refused.code];
  // The parser's reason, never the request: it may be the oversized headers themselves.
  this.log.info(
    { reqId: refused.id, code: refused.code, status, reason: err.code },
    "request rejected by the HTTP parser",
  );
  countParserRefusal(this, status);
}
