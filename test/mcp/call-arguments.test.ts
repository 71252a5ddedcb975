import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import t from "tap";
import { createMcpServer } from "../../mcp/server.js";
import { Session } from "../../mcp/session.js";

// tools/call with `arguments` that are no object (an array, a string) was answered -32603, an
// internal error, with zod's issues as its text: the SDK parsed the request with the handler's
// schema before anything else. It is a bad parameter: -32602 (invalid params) naming arguments.

t.test("tools/call with arguments that are no object is invalid params, not an internal error", async (t) => {
  const server = createMcpServer({
    api: async () => ({ status: 500, body: { error: "internal_error", message: "not expected" } }),
    session: new Session("token", 7),
    login: false,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  t.teardown(() => clientSide.close());
  const answers = new Map<unknown, JSONRPCMessage>();
  clientSide.onmessage = (m) => {
    if ("id" in m) answers.set(m.id, m);
  };
  await clientSide.start();
  const send = (message: JSONRPCMessage) => clientSide.send(message);
  await send({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });
  await send({ jsonrpc: "2.0", method: "notifications/initialized" });
  const bad = [[1], "x", 7, null];
  for (const [i, args] of bad.entries()) {
    await send({
      jsonrpc: "2.0",
      id: i + 1,
      method: "tools/call",
      params: { name: "get_flight", arguments: args as unknown as Record<string, unknown> },
    });
  }
  await send({ jsonrpc: "2.0", id: 99, method: "tools/call", params: { name: "get_flight", arguments: {} } });
  for (let waited = 0; !answers.has(99) && waited < 100; waited++) await new Promise((r) => setTimeout(r, 10));

  for (const [i, args] of bad.entries()) {
    const answer = answers.get(i + 1) as { error?: { code: number; message: string } };
    t.equal(answer?.error?.code, -32602, `arguments ${JSON.stringify(args)}: invalid params`);
    t.match(answer?.error?.message, /Invalid tools\/call request.*arguments/s, "naming arguments");
  }
  t.match(
    answers.get(99),
    { result: { isError: true, content: [{ text: /"field":"flight_id"/ }] } },
    "an object is checked as before",
  );
});
