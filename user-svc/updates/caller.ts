import type { FastifyRequest } from "fastify";

/** The subprotocol a browser's WebSocket offers to carry its token: `bearer.<token>`. */
export const TOKEN_PROTOCOL_PREFIX = "bearer.";
/** The subprotocol the server answers with (never the one that holds the token). */
export const UPDATES_PROTOCOL = "skybook.updates";

/**
 * The Authorization of a push request: the header, else (browsers cannot set headers on a
 * WebSocket or an EventSource) the `access_token` query parameter or a `bearer.<token>`
 * WebSocket subprotocol, in the header's form.
 */
export function pushAuthorization(request: FastifyRequest): string | undefined {
  const { authorization } = request.headers;
  if (authorization !== undefined) return authorization;
  const query = (request.query as { access_token?: string }).access_token;
  if (query !== undefined) return `Bearer ${query}`;
  const offered = String(request.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return offered === undefined ? undefined : `Bearer ${offered.slice(TOKEN_PROTOCOL_PREFIX.length)}`;
}
