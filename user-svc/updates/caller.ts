import type { FastifyRequest } from "fastify";
import { bearerToken } from "../../lib/auth/verify.js";

/** The subprotocol a browser's WebSocket offers to carry its token: `bearer.<token>`. */
export const TOKEN_PROTOCOL_PREFIX = "bearer.";
/** The subprotocol the server answers with (never the one that holds the token). */
export const UPDATES_PROTOCOL = "skybook.updates";

/**
 * The access token of a push request: the Authorization header, else (browsers cannot set
 * headers on a WebSocket or an EventSource) the `access_token` query parameter or a
 * `bearer.<token>` WebSocket subprotocol.
 */
export function pushToken(request: FastifyRequest): string {
  const { authorization } = request.headers;
  if (authorization !== undefined) return bearerToken(authorization);
  const query = (request.query as { access_token?: string }).access_token;
  if (query !== undefined) return bearerToken(`Bearer ${query}`);
  const offered = String(request.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return bearerToken(offered === undefined ? undefined : `Bearer ${offered.slice(TOKEN_PROTOCOL_PREFIX.length)}`);
}
