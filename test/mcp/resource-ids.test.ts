import { McpError } from "@modelcontextprotocol/sdk/types.js";
import t from "tap";
import type { ApiCall } from "../../mcp/api-client.js";
import { inMemoryClient } from "../helpers/mcp.js";

// A resource that does not exist is -32002 (docs/mcp.md). An id of 16 digits past 2^53 - 1
// (skybook://bookings/9007199254740993) was sent to the API, whose 400 about a field `id` came
// back as -32600 (invalid request), while one digit more was not found: no id is that large.

t.test("a resource id past 2^53 - 1 is not found, without an API call", async (t) => {
  const calls: ApiCall[] = [];
  const client = await inMemoryClient(t, async (_service, call) => {
    calls.push(call);
    return { status: 404, body: { error: "booking_not_found", message: "Booking was not found." } };
  });

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
