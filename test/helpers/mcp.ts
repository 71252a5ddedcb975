import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { projectPath } from "../../lib/paths.js";
import type { Api } from "../../mcp/api-client.js";
import { loadMcpConfig } from "../../mcp/config.js";
import { type McpHttp, startHttp } from "../../mcp/http.js";
import { createMcpServer } from "../../mcp/server.js";
import { Session } from "../../mcp/session.js";
import type { Auth } from "./auth.js";
import type { System } from "./system.js";
import { build as buildUser } from "./user-svc.js";

// The MCP server in front of a test system, driven by the SDK's own Client: over Streamable HTTP
// (in this process, port 0) or over stdio (skybook-mcp as a child process, as an assistant starts it).

export type Transport = "http" | "stdio";

/** Settings that point the MCP server at the test system's services. */
export function mcpEnv(sys: System, auth: Auth): Record<string, string> {
  return {
    FLIGHT_SERVICE_URL: sys.flightUrl,
    BOOKING_SERVICE_URL: sys.bookingUrl,
    USER_SERVICE_URL: auth.url,
    MCP_PORT: "0",
  };
}

/**
 * The MCP server's user-svc: user-svc asks flight-svc whether a flight exists before subscribing
 * to it, and the test's user-svc started before flight-svc, so the MCP server talks to a second
 * one, with the same signing key, that knows the system's flight-svc.
 */
export async function userSvcBeside(t: { teardown: (fn: () => unknown) => void }, sys: System, auth: Auth) {
  return buildUser(t, {
    listen: true,
    reset: false,
    env: { AUTH_KEY_DIR: auth.config.user.keyDir, FLIGHT_SERVICE_URL: sys.flightUrl },
  });
}

/** The MCP HTTP server on a free port, closed on teardown. */
export async function startMcpHttp(t: { teardown: (fn: () => unknown) => void }, env: Record<string, string>) {
  const http = await startHttp(loadMcpConfig(env));
  t.teardown(() => http.close());
  return http;
}

/** A connected client acting with `token` (HTTP: its Bearer header; stdio: SKYBOOK_TOKEN, "" for none). */
export async function connect(
  t: { teardown: (fn: () => unknown) => void },
  how:
    | { transport: "http"; http: McpHttp; token: string }
    | { transport: "stdio"; env: Record<string, string>; token: string },
): Promise<Client> {
  const client = new Client({ name: "skybook-test", version: "1.0.0" });
  if (how.transport === "http") {
    const headers = { authorization: `Bearer ${how.token}` };
    await client.connect(new StreamableHTTPClientTransport(new URL(how.http.url), { requestInit: { headers } }));
  } else {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--import", "tsx", projectPath("mcp", "main.ts")],
      cwd: projectPath(),
      env: { ...(process.env as Record<string, string>), ...how.env, SKYBOOK_TOKEN: how.token },
      stderr: "inherit",
    });
    await client.connect(transport);
  }
  t.teardown(() => client.close());
  return client;
}

/** A tool call's result; `body` is the structured result, or the API's error object of a tool error. */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content[0]?.type === "text" ? result.content[0].text : "null";
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the tool answered
  const body: any = result.isError ? JSON.parse(text) : result.structuredContent;
  return { isError: result.isError === true, body };
}

/**
 * The SDK's Client connected in memory to an MCP server signed in as user 7, whose every call to
 * the API goes to `api` (no service runs); closed on teardown. `login`: with stdio's login tool.
 */
export async function inMemoryClient(
  t: { teardown: (fn: () => unknown) => void },
  api: Api,
  login = false,
): Promise<Client> {
  const server = createMcpServer({ api, session: new Session("token", 7), login });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "skybook-test", version: "1.0.0" });
  await client.connect(clientSide);
  t.teardown(() => client.close());
  return client;
}
