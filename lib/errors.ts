import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { TSchema } from "@sinclair/typebox";
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { ErrorReply } from "../contracts/errors.js";
import { noteFailure } from "./access-log.js";
import { DEPENDENCY_NAMES, unavailableDependency } from "./dependency-down.js";
import { FORMAT_MESSAGES } from "./input-schemas.js";
import { RouteResources } from "./route-resources.js";

// The error catalogue: every error a client can see has a machine code, an HTTP status and a
// default sentence. Handlers throw AppError; the one handler below turns anything into
// `{error, message, ...details}` and never leaks a stack trace or SQL.

export const CATALOGUE = {
  validation_error: { status: 400, message: "The request is invalid." },
  bad_request: { status: 400, message: "The request is not valid HTTP." },
  not_found: { status: 404, message: "The resource was not found." },
  method_not_allowed: { status: 405, message: "The method is not allowed on this resource." },
  request_timeout: { status: 408, message: "The request was not received in time." },
  flight_not_found: { status: 404, message: "The flight was not found." },
  hold_not_found: { status: 404, message: "The hold was not found." },
  booking_not_found: { status: 404, message: "The booking was not found." },
  payment_not_found: { status: 404, message: "The payment was not found." },
  payment_refunded: { status: 409, message: "The payment is refunded in full; nothing is left to refund." },
  conflict: { status: 409, message: "The request conflicts with the current state." },
  not_enough_seats: { status: 409, message: "Not enough seats are available." },
  hold_expired: { status: 409, message: "The hold has expired or was released." },
  hold_released: { status: 409, message: "The hold was released." },
  request_in_progress: { status: 409, message: "A request with this Idempotency-Key is still in progress." },
  idempotency_key_reused: {
    status: 422,
    message: "This Idempotency-Key was used with a different request body.",
  },
  seat_taken: { status: 409, message: "The seat is taken." },
  checkin_not_open: { status: 409, message: "Check-in for this flight is not open yet." },
  checkin_closed: { status: 409, message: "Check-in for this flight has closed." },
  not_checked_in: { status: 409, message: "The booking has no seats on this flight to check in." },
  payment_declined: { status: 402, message: "The payment was declined." },
  payment_not_completed: { status: 402, message: "The payment did not complete; nothing was charged." },
  insufficient_miles: { status: 402, message: "The account has too few miles for this; nothing was taken." },
  flight_cancelled: { status: 409, message: "The flight is cancelled." },
  booking_not_changeable: { status: 409, message: "Only a confirmed booking can be changed." },
  flight_departed: { status: 409, message: "The flight has already departed." },
  change_in_progress: { status: 409, message: "A change of this booking is in progress." },
  payment_timeout: { status: 408, message: "The payment provider did not answer in time." },
  payload_too_large: { status: 413, message: "The request body is too large." },
  uri_too_long: { status: 414, message: "A part of the URL is too long." },
  unsupported_media_type: { status: 415, message: "The request body must be JSON." },
  headers_too_large: { status: 431, message: "The request headers are too large." },
  service_unavailable: { status: 503, message: "A dependency is unavailable." },
  upstream_error: { status: 502, message: "An upstream service failed." },
  upstream_timeout: { status: 504, message: "An upstream service did not answer in time." },
  unauthorized: { status: 401, message: "A valid Bearer access token is required." },
  forbidden: { status: 403, message: "This token's role may not do this." },
  invalid_credentials: { status: 401, message: "The username or password is wrong." },
  invalid_refresh_token: { status: 401, message: "The refresh token is not valid." },
  username_taken: { status: 409, message: "The username is taken." },
  email_taken: { status: 409, message: "The email is already registered." },
  rate_limited: { status: 429, message: "Too many attempts; try again later." },
  internal_error: { status: 500, message: "Something went wrong on our side." },
} as const;

export type ErrorCode = keyof typeof CATALOGUE;

/** What a 503 tells clients to wait before trying again: about how long a dependency takes to come back. */
export const RETRY_AFTER_SECONDS = 2;

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    // A refusal (4xx) is an answer, not a fault: no line ever shows its stack (failureFields), and
    // capturing one was about a twentieth of flight-svc's CPU on a refused hold. A 5xx keeps it.
    const limit = Error.stackTraceLimit;
    if (CATALOGUE[code].status < 500) Error.stackTraceLimit = 0;
    try {
      super(message ?? CATALOGUE[code].message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = "AppError";
    this.statusCode = CATALOGUE[code].status;
  }
}

/** At most `max` characters of something a client sent, for quoting it in an answer or a log. */
export function excerpt(text: string, max = 64): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export function validationError(field: string, message: string): AppError {
  return new AppError("validation_error", message, { field });
}

/**
 * Every route's 4xx/5xx response schema: the error shape of contracts/errors.ts, typed as any
 * schema so that a handler's reply type stays its success body (errors are thrown, not returned).
 */
export const ErrorBody: TSchema = ErrorReply;

export interface ValidationItem {
  keyword?: string;
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

// Turns Ajv's first complaint into the name of the offending field, e.g. "seats" or
// "flight_ids[2]", so clients see which input to fix.
export function fieldOf(item: ValidationItem | undefined): string {
  if (!item) return "";
  const missing = item.params?.missingProperty ?? item.params?.additionalProperty;
  const path = (item.instancePath ?? "")
    .split("/")
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "");
  if (typeof missing === "string") return excerpt(path ? `${path}.${missing}` : missing);
  return excerpt(path);
}

// Ajv speaks of the parent object for a missing or unknown property; the field itself is named.
export function detailOf(item: ValidationItem | undefined): string {
  if (item?.params?.missingProperty !== undefined) return "is required";
  if (item?.params?.additionalProperty !== undefined) return "is not allowed";
  const format = item?.keyword === "format" ? FORMAT_MESSAGES[String(item.params?.format)] : undefined;
  return format ?? item?.message ?? "is invalid";
}

// Fastify's own client errors by status; anything else of theirs is a malformed body.
const FRAMEWORK_CODES: Record<number, ErrorCode> = {
  408: "request_timeout",
  413: "payload_too_large",
  414: "uri_too_long",
  415: "unsupported_media_type",
  431: "headers_too_large",
};

export function toErrorBody(err: unknown): { status: number; body: Record<string, unknown> } {
  if (err instanceof AppError) {
    return { status: err.statusCode, body: { error: err.code, message: err.message, ...err.details } };
  }
  const down = unavailableDependency(err);
  if (down) {
    const what = down === "unknown" ? "A dependency" : DEPENDENCY_NAMES[down];
    return {
      status: 503,
      body: { error: "service_unavailable", message: `${what} is unavailable; try again shortly.` },
    };
  }
  const fe = err as FastifyError;
  if (fe?.validation) {
    const item = fe.validation[0] as ValidationItem | undefined;
    const field = fieldOf(item);
    const where = fe.validationContext ?? "request";
    const message = `${field || where} ${detailOf(item)}`;
    return { status: 400, body: { error: "validation_error", message, field: field || where } };
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  const code = FRAMEWORK_CODES[status];
  if (code) return { status, body: { error: code, message: CATALOGUE[code].message } };
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, empty body): say what was wrong, nothing internal.
    return { status: 400, body: { error: "validation_error", message: excerpt(fe.message, 200), field: "body" } };
  }
  return { status: 500, body: { error: "internal_error", message: CATALOGUE.internal_error.message } };
}

/** What a failure's log line says: its code, and an outage's reason (no stack) or a bug's error. */
function failureFields(err: unknown, status: number, body: Record<string, unknown>): Record<string, unknown> {
  if (status === 503) return { code: body.error, reason: (err as Error).message };
  if (status >= 500) return { code: body.error, err };
  return { code: body.error };
}

/**
 * The line a failed item of a batch leaves (`extra` names it; a request's failure is on its one
 * request line instead, access-log.ts): an outage at info without a stack (the gate logs it once,
 * as a warning), a bug at error, a refusal at info.
 */
export function logFailure(
  log: FastifyBaseLogger,
  err: unknown,
  status: number,
  body: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): void {
  const fields = { ...extra, ...failureFields(err, status, body) };
  if (status === 503) log.info(fields, "request refused: a dependency is unavailable");
  else if (status >= 500) log.error(fields, "request failed");
  else log.info({ ...fields, status }, "request rejected");
}

/**
 * Node hands a CONNECT (a tunnel, asked of a proxy) to the server's `connect` event rather than to
 * a route, and with no listener closed the socket without a word. No service is a proxy: 405 in
 * the catalogue shape, with an empty Allow, as no method applies to a host:port target.
 */
export function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  endWithError(
    socket,
    405,
    { error: "method_not_allowed", message: "CONNECT is not allowed: this is not a proxy." },
    {
      Allow: "",
    },
  );
}

/**
 * Answers on a socket that Node or ws took from the HTTP server (a CONNECT, a WebSocket handshake
 * ws cannot complete), where no reply object exists: the catalogue's body, then the socket closes.
 */
export function endWithError(
  socket: Duplex,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const text = `${JSON.stringify(body)}\n`;
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.on("error", () => {});
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join("")}Content-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** 405 for a method the resource at `path` has no route for; Allow lists those it has. */
function refuseMethod(reply: FastifyReply, method: string, allowed: string[]): void {
  noteFailure(reply.request, { code: "method_not_allowed" });
  void reply.code(405).header("allow", allowed.join(", "));
  void reply.send({
    error: "method_not_allowed",
    message: `${excerpt(method, 16)} is not allowed here; use ${allowed.join(", ")}.`,
  });
}

/**
 * The error handler, and for a URL no route matches: 405 with Allow when another method has a
 * route there (and for a CONNECT), else 404. Both quote only a short excerpt of what the client
 * sent. A route of a literal path is that path's resource: a request another method's parameter
 * route caught there (GET /api/flights/validate as /api/flights/:id) is a 405 too.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.server.on("connect", refuseConnect);
  const resources = new RouteResources(app);
  // Callback style: every request passes here, and an async hook costs each one a promise.
  app.addHook("onRequest", (request, reply, done) => {
    const pattern = request.routeOptions.url;
    // Only a parameter can have caught a literal segment: static routes cost nothing here.
    if (pattern === undefined || !pattern.includes(":")) return done();
    const path = request.url.split("?")[0] as string;
    if (resources.patternOf(path) === pattern) return done();
    refuseMethod(reply, request.method, resources.allowedAt(path));
  });
  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toErrorBody(err);
    // A client that left before the answer gets no request line (the response never finishes):
    // the failure is written on a line of its own then. Only the response tells: Node destroys a
    // request stream once its body is read, while the client still waits.
    if (reply.raw.destroyed) logFailure(request.log, err, status, body);
    else noteFailure(request, failureFields(err, status, body));
    // An outage is not a bug: the client learns when to come back. A limit says when it clears,
    // in the header HTTP clients read as well as in the body.
    if (status === 503) void reply.header("retry-after", String(RETRY_AFTER_SECONDS));
    else if (typeof body.retry_after === "number") void reply.header("retry-after", String(body.retry_after));
    void reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] as string;
    const allowed = resources.allowedAt(path).filter((method) => app.findRoute({ method, url: path }) !== null);
    if (allowed.length > 0) {
      refuseMethod(reply, request.method, allowed);
      return;
    }
    noteFailure(request, { code: "not_found" });
    void reply
      .code(404)
      .send({ error: "not_found", message: `No route for ${excerpt(request.method, 16)} ${excerpt(path)}.` });
  });
}
