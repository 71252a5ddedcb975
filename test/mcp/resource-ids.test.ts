import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import t from "tap";
import type { ApiCall } from "../../mcp/api-client.js";
import { createMcpServer } from "../../mcp/server.js";
import { Session } from "../../mcp/session.js";

// A resource that does not exist is -32002 (docs/mcp.md). An id of 16 digits past 2^53 - 1
// (skybook://bookings/9007199254740993) was sent to the API, whose 400 about a field `id` came
// back as -32600 (invalid request), while one digit more was not found: no id is that large.

t.test("a resource id past 2^53 - 1 is not found, without an API call", async (t) => {
  const calls: ApiCall[] = [];
  const server = createMcpServer({
    api: async (_service, call) => {
      calls.push(call);
      return { status: 404, body: { error: "booking_not_found", message: "Booking was not found." } };
    },
    session: new Session("token", 7),
    login: false,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "skybook-test", version: "1.0.0" });
  await client.connect(clientSide);
  t.teardown(() => client.close());

  for (const uri of ["skybook://bookings/9007199254740993", "skybook://flights/9999999999999999"]) {
    const err = await client.readResource({ uri }).catch((e: unknown) => e);
    t.ok(err instanceof McpError && err.code === -32002, `${uri} is not found`);
    t.match((err as McpError).message, `No resource at ${uri}.`);
  }
  t.same(calls, [], "nothing was asked of the API");

  const last = await client.readResource({ uri: "skybook://bookings/9007199254740991" }).catch((e: unknown) => e);
  t.ok(last instanceof McpError && last.code === -32002, "the largest id is asked for");
  t.equal(calls.length, 1);
});
