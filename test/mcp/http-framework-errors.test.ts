import t from "tap";
import { startMcpHttp } from "../helpers/mcp.js";
import { head, rawRequest } from "../helpers/raw-http.js";

// What Node answers before the MCP server's handler runs comes out in the catalogue shape, as the
// services' framework errors do: before, a malformed request got a bare 400 with no body and a
// CONNECT a closed socket.

t.test("malformed HTTP, oversized headers and CONNECT are answered in the catalogue shape", async (t) => {
  const http = await startMcpHttp(t, { MCP_PORT: "0" });
  const port = Number(new URL(http.url).port);
  const cases = [
    ["a control character in a header", head("POST", "/mcp", { "mcp-session-id": "bogus\u0001" }), 400, "bad_request"],
    ["headers too large", head("POST", "/mcp", { "x-filler": "x".repeat(20_000) }), 431, "headers_too_large"],
    ["CONNECT", head("CONNECT", "127.0.0.1:443"), 405, "method_not_allowed"],
  ] as const;
  for (const [name, request, status, error] of cases) {
    const reply = await rawRequest(port, request);
    t.equal(reply.status, status, name);
    t.ok(reply.text.endsWith("}\n"), `${name}: a JSON body ending with a newline`);
    t.match(reply.json, { error, message: String }, name);
  }
  t.equal((await rawRequest(port, head("GET", "/health"))).status, 200, "the server keeps answering");
});
