import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { bearerToken, createTokenVerifier, type TokenVerifier } from "../lib/auth/verify.js";
import { AppError, refuseConnect } from "../lib/errors.js";
import { refuseUnparsed } from "../lib/framework-errors.js";
import { type Api, createApi } from "./api-client.js";
import { batchHandler, isBatch, refuseBatch } from "./batch.js";
import type { McpConfig } from "./config.js";
import { createMcpServer } from "./server.js";
import { Session } from "./session.js";

// MCP over Streamable HTTP at POST /mcp, stateless: every request brings its Bearer token, which
// is verified from user-svc's JWKS as the services verify it, and gets a server acting as that
// token's user. No MCP session is kept, so any number of instances can sit behind a balancer.

const PATH = "/mcp";

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}

/**
 * The challenge of RFC 6750 section 3: a request that brought a Bearer token (expired, forged, for
 * no user) is told `invalid_token`, so a client knows to get a fresh one; one without any is not
 * told an error code, as the RFC asks. The messages are lib/auth/verify.ts's, none with a quote.
 */
function challenge(req: IncomingMessage, message: string): string {
  if (!/^Bearer /i.test(req.headers.authorization ?? "")) return 'Bearer realm="skybook"';
  return `Bearer realm="skybook", error="invalid_token", error_description="${message}"`;
}

function refuse(req: IncomingMessage, res: ServerResponse, err: unknown) {
  const e = err instanceof AppError ? err : new AppError("internal_error");
  const headers: Record<string, string> =
    e.code === "unauthorized" ? { "www-authenticate": challenge(req, e.message) } : {};
  send(res, e.statusCode, { error: e.code, message: e.message }, headers);
}

async function handle(req: IncomingMessage, res: ServerResponse, api: Api, verify: TokenVerifier) {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path === "/health" && req.method === "GET") return send(res, 200, { status: "healthy" });
  if (path !== PATH) return send(res, 404, { error: "not_found", message: `Nothing at ${path}; MCP is at ${PATH}.` });
  // Stateless: there is no session stream to open (GET) or end (DELETE).
  if (req.method !== "POST") {
    return send(res, 405, { error: "method_not_allowed", message: `${PATH} takes POST only.` }, { allow: "POST" });
  }
  const token = bearerToken(req.headers.authorization);
  const caller = await verify(token);
  const batch = await isBatch(req);
  if (batch && refuseBatch(req, res)) return;
  const server = createMcpServer({ api, session: new Session(token, caller.userId), login: false });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  const answer = batch ? batchHandler(transport) : (request: Request) => transport.handleRequest(request);
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  // The SDK's Node transport is this one behind this adapter; used directly, a batch's answer
  // can be read before it is sent.
  await getRequestListener(answer, { overrideGlobalObjects: false })(req, res);
}

/** An address it cannot listen on (a taken port, a HOST not this machine's): a setting to change. */
export class ListenError extends Error {
  override name = "ListenError";
}

export interface McpHttp {
  url: string;
  close(): Promise<void>;
}

/** Listens on config.host:config.port (0: a free port) until closed. */
export async function startHttp(config: McpConfig): Promise<McpHttp> {
  const api = createApi(config.api);
  const verify = createTokenVerifier({
    jwksUrl: new URL("/.well-known/jwks.json", config.auth.userServiceUrl).href,
    ...config.auth,
  });
  const http = createServer((req, res) => {
    handle(req, res, api, verify).catch((err) => {
      if (res.headersSent) res.destroy();
      else refuse(req, res, err);
    });
  });
  // Requests Node refuses before the handler (malformed HTTP, headers too large) or hands to an
  // event of its own (CONNECT) are answered in the catalogue shape, as the services answer them.
  http.on("clientError", refuseUnparsed);
  http.on("connect", refuseConnect);
  await new Promise<void>((resolve, reject) => {
    http.once("error", (err) =>
      reject(new ListenError(`could not listen on HOST=${config.host}, MCP_PORT=${config.port}: ${err.message}`)),
    );
    http.listen(config.port, config.host, resolve);
  });
  const { port } = http.address() as { port: number };
  return {
    url: `http://${config.host}:${port}${PATH}`,
    // Calls in flight finish (a booking is not cut off half-way); idle keep-alive connections go now.
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      }),
  };
}
