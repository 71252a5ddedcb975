import t from "tap";
import { inMemoryClient } from "../helpers/mcp.js";

// A host reads a tool's annotations to decide what to ask its user before a call, and an
// assistant reads idempotentHint to know whether a retry is safe. They followed the Idempotency-Key
// flag instead of what each tool does: unsubscribe_flight (it removes a subscription) said it was
// not destructive, and it, subscribe_flight and check_in that a repeat is not safe, though each
// answers a repeat without changing anything more; no tool said its world is Skybook's API alone
// (openWorldHint, true when left out), and login had no annotations at all. login then said a
// repeat changes nothing more, though each call counts toward user-svc's login limit (a host
// retrying it can lock the user out for the window) and stores another refresh token.

const read = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const undoes = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
const adds = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const signsIn = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

t.test("every tool's annotations say what it does", async (t) => {
  const client = await inMemoryClient(
    t,
    async () => ({ status: 500, body: { error: "internal_error", message: "not expected" } }),
    true,
  );
  const { tools } = await client.listTools();
  t.same(Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations])), {
    login: signsIn,
    search_flights: read,
    get_flight: read,
    get_seatmap: read,
    book: undoes,
    get_booking: read,
    list_bookings: read,
    change_booking: undoes,
    cancel_booking: undoes,
    check_in: undoes,
    get_boarding_passes: read,
    loyalty_balance: read,
    subscribe_flight: adds,
    list_subscriptions: read,
    unsubscribe_flight: undoes,
    verify_boarding_pass: read,
  });
});
