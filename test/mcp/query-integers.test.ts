import t from "tap";
import type { ApiCall } from "../../mcp/api-client.js";
import { callTool, inMemoryClient } from "../helpers/mcp.js";

// list_bookings answers next_cursor as a string ("2", as GET /api/bookings does) and says to pass it
// back as cursor, but its schema's cursor is an integer: the string was refused as "cursor must be
// integer", so an assistant could not read a second page. A query's integers come as text to the
// route, and the tools whose arguments are a query take them so too, in the route's words.

t.test("a query tool takes an integer as decimal text, as its route does", async (t) => {
  const calls: ApiCall[] = [];
  const client = await inMemoryClient(t, async (_service, call) => {
    calls.push(call);
    return { status: 200, body: { bookings: [], next_cursor: null } };
  });

  t.same(await callTool(client, "list_bookings", { cursor: "2" }), {
    isError: false,
    body: { bookings: [], next_cursor: null },
  });
  t.same(calls.at(-1)?.query, { limit: 20, cursor: 2 }, "next_cursor as it came is the next page's cursor");
  await callTool(client, "list_bookings", { cursor: 2, limit: "5" });
  t.same(calls.at(-1)?.query, { limit: 5, cursor: 2 }, "and a number as before");

  const before = calls.length;
  for (const [args, field, message] of [
    [{ cursor: "abc" }, "cursor", "cursor must be an integer in decimal digits, such as 42"],
    [{ cursor: "-1" }, "cursor", "cursor must be an integer in decimal digits, such as 42"],
    [{ cursor: "9007199254740993" }, "cursor", "cursor must be <= 9007199254740991"],
    [{ cursor: "0" }, "cursor", "cursor must be >= 1"],
  ] as const) {
    t.same(
      await callTool(client, "list_bookings", args),
      { isError: true, body: { error: "validation_error", field, message } },
      JSON.stringify(args),
    );
  }
  t.same(
    await callTool(client, "search_flights", { source: "DEL", destination: "BOM", date: "2026-12-06", seats: "1e1" }),
    {
      isError: true,
      body: {
        error: "validation_error",
        field: "seats",
        message: "seats must be an integer in decimal digits, such as 42",
      },
    },
  );
  t.equal(calls.length, before, "no API call for a refused argument");

  t.match(
    await callTool(client, "get_booking", { booking_id: "2" }),
    { isError: true, body: { field: "booking_id", message: "booking_id must be integer" } },
    "a path id stays a JSON integer",
  );
});
