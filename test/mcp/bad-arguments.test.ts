import t from "tap";
import type { ApiCall } from "../../mcp/api-client.js";
import { callTool, inMemoryClient } from "../helpers/mcp.js";

// A tool's bad argument is refused before any call, worded and named as the route refuses it
// (lib/errors.ts): the tools answered "date must have required property 'date'", "bogus must NOT
// have additional properties" and `seats.0.seat`, where the API says "date is required", "bogus
// is not allowed" and `seats[0].seat`, as docs/api.md and docs/mcp.md promise.

t.test("bad arguments are refused as the API refuses them, and nothing is called", async (t) => {
  const calls: ApiCall[] = [];
  const client = await inMemoryClient(t, async (_service, call) => {
    calls.push(call);
    return { status: 500, body: { error: "internal_error", message: "not expected" } };
  });

  const refusals: [string, Record<string, unknown>, string, string][] = [
    ["search_flights", { source: "DEL", destination: "BOM" }, "date", "date is required"],
    [
      "search_flights",
      { source: "DEL", destination: "BOM", date: "2026-12-06", bogus: 1 },
      "bogus",
      "bogus is not allowed",
    ],
    ["get_flight", {}, "flight_id", "flight_id is required"],
    ["cancel_booking", { booking_id: 3, reason: "ill" }, "reason", "reason is not allowed"],
    [
      "check_in",
      { booking_id: 3, seats: [{ passenger: "Asha Rao", flight_id: 1, seat: "1A", row: 1 }] },
      "seats[0].row",
      "seats[0].row is not allowed",
    ],
    ["check_in", { booking_id: 3, seats: [{ passenger: "Asha Rao", seat: "1A" }] }, "seats[0].flight_id", ""],
    ["change_booking", { booking_id: 3, flight_ids: [1, "2"], date: "2026-12-06" }, "flight_ids[1]", ""],
    ["list_subscriptions", { flight_id: 3 }, "flight_id", "flight_id is not allowed"],
    ["unsubscribe_flight", { flight_id: "3" }, "flight_id", ""],
    ["unsubscribe_flight", {}, "flight_id", "flight_id is required"],
    ["verify_boarding_pass", { barcode: 42 }, "barcode", ""],
    ["verify_boarding_pass", { barcode: "SB1.e30.AAAA", gate: "A1" }, "gate", "gate is not allowed"],
  ];
  for (const [tool, args, field, message] of refusals) {
    const answer = await callTool(client, tool, args);
    t.match(
      answer,
      { isError: true, body: { error: "validation_error", field } },
      `${tool} ${JSON.stringify(args)}: ${field}`,
    );
    if (message) t.equal(answer.body.message, message);
    else t.match(answer.body.message, new RegExp(`^${field.replace(/[[\]]/g, "\\$&")} `), "the message names it");
  }
  t.same(calls, [], "no API call was made");
});
