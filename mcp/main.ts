#!/usr/bin/env node
// skybook-mcp: the MCP server over stdio (what a desktop assistant starts), or with --http over
// Streamable HTTP on MCP_PORT. stdout belongs to the protocol: everything else goes to stderr.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { configOrExit } from "../lib/server.js";
import { createApi } from "./api-client.js";
import { loadMcpConfig } from "./config.js";
import { ListenError, startHttp } from "./http.js";
import { createMcpServer } from "./server.js";
import { Session } from "./session.js";

async function main() {
  // A typo of --http would otherwise start the stdio server and wait there in silence.
  const unknown = process.argv.slice(2).find((a) => a !== "--http");
  if (unknown !== undefined) {
    process.stderr.write(`skybook-mcp: unknown argument ${unknown}; usage: skybook-mcp [--http]\n`);
    process.exit(2);
  }
  // A bad setting exits 2 as the services' do: a restart would meet the same setting.
  const config = configOrExit("skybook-mcp", () => loadMcpConfig());
  if (process.argv.includes("--http")) {
    const http = await startHttp(config);
    process.stderr.write(`skybook-mcp: MCP over HTTP at ${http.url}\n`);
    const stop = () => void http.close().then(() => process.exit(0));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    return;
  }
  const server = createMcpServer({ api: createApi(config.api), session: Session.fromToken(config.token), login: true });
  await server.connect(new StdioServerTransport());
}

main().catch((err: unknown) => {
  process.stderr.write(`skybook-mcp: ${err instanceof Error ? err.message : String(err)}\n`);
  // A taken port or a foreign HOST exits 2 as a service's does: a restart meets the same wall.
  process.exit(err instanceof ListenError ? 2 : 1);
});
