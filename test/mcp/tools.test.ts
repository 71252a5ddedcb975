import { McpError } from "@modelcontextprotocol/sdk/types.js";
import t, { type Test } from "tap";
import { request } from "undici";
import { startAuth } from "../helpers/auth.js";
import { callTool, connect, mcpEnv, startMcpHttp, type Transport, userSvcBeside } from "../helpers/mcp.js";
import { startSystem } from "../helpers/system.js";

// An assistant's session over each transport, against the real services with real tokens: what
// the tools do is what the REST API shows, a retried book call books once, and another user's
// booking is absent through tools and resources alike.

const DATE = "2024-02-15";
const TOOL_NAMES = [
  "book",
  "cancel_booking",
  "change_booking",
  "check_in",
  "get_boarding_passes",
  "get_booking",
  "get_flight",
  "get_seatmap",
  "list_bookings",
  "list_subscriptions",
  "loyalty_balance",
  "search_flights",
  "subscribe_flight",
  "unsubscribe_flight",
  "verify_boarding_pass",
];

async function scenario(t: Test, transport: Transport) {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ source: "DEL", destination: "BOM", total: 10, price: 4200 }], { auth });
  const [f] = sys.flightIds as [number];
  const ada = await auth.customer("ada");
  const bob = await auth.customer("bob");
  const users = await userSvcBeside(t, sys, auth);
  const env = { ...mcpEnv(sys, auth), USER_SERVICE_URL: users.url };
  const client =
    transport === "http"
      ? await connect(t, { transport, http: await startMcpHttp(t, env), token: ada.token })
      : await connect(t, { transport, env, token: ada.token });

  const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
  t.strictSame(names, transport === "stdio" ? ["login", ...TOOL_NAMES].sort() : TOOL_NAMES, "the tools");

  const found = await callTool(client, "search_flights", { source: "DEL", destination: "BOM", date: DATE });
  t.match(found, { isError: false, body: { count: 1, paths: [{ flights: [{ id: f, available_seats: 10 }] }] } });

  const trip = { flight_id: f, seats: 2, date: DATE };
  const booked = await callTool(client, "book", trip);
  t.match(booked, { isError: false, body: { status: "confirmed", total_amount: 8400 } });
  const id = booked.body.booking_id as number;
  t.match(await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers), {
    status: 200,
    body: { booking_id: id, user_id: ada.userId, status: "confirmed", seats: 2, flight_ids: [f] },
  });

  const retried = await callTool(client, "book", { date: DATE, seats: 2, flight_id: f });
  t.match(retried, { isError: false, body: { booking_id: id, status: "confirmed" } }, "the retry is the first booking");
  const listed = await sys.bookingCall("GET", "/api/bookings", undefined, ada.headers);
  t.strictSame(
    listed.body.bookings.map((b: { booking_id: number }) => b.booking_id),
    [id],
    "one booking",
  );
  t.match(await callTool(client, "get_flight", { flight_id: f }), { body: { available_seats: 8 } }, "two seats gone");

  const again = await callTool(client, "book", { ...trip, seats: 1, request_id: "second" });
  const again2 = await callTool(client, "book", { ...trip, seats: 1, request_id: "second" });
  t.not(again.body.booking_id, id, "a new request_id is a new booking");
  t.equal(again2.body.booking_id, again.body.booking_id, "repeated with its request_id, it is the same one");

  t.match(await callTool(client, "list_bookings"), {
    body: { bookings: [{ booking_id: again.body.booking_id }, { booking_id: id }] },
  });
  t.match(await callTool(client, "get_booking", { booking_id: id }), { body: { booking_id: id, user_id: ada.userId } });

  const theirs = await sys.bookingCall("POST", "/api/bookings", { flight_id: f, seats: 1, date: DATE }, bob.headers);
  const bobs = theirs.body.booking_id as number;
  const absent = {
    isError: true,
    body: { error: "booking_not_found", message: `Booking ${bobs} was not found.`, booking_id: bobs },
  };
  t.match(await callTool(client, "get_booking", { booking_id: bobs }), absent, "another user's booking is absent");
  t.match(await callTool(client, "cancel_booking", { booking_id: bobs }), absent, "and cannot be cancelled");
  t.match(await sys.bookingCall("GET", `/api/bookings/${bobs}`, undefined, bob.headers), {
    body: { status: "confirmed" },
  });

  t.match(await callTool(client, "book", { ...trip, date: "2024-02-30" }), {
    isError: true,
    body: { error: "validation_error", field: "date", message: /^date must be a calendar date/ },
  });
  t.match(await callTool(client, "book", { ...trip, seats: 11, request_id: "too-many" }), {
    isError: true,
    body: { error: "validation_error", field: "seats" },
  });

  t.match(await callTool(client, "cancel_booking", { booking_id: id }), {
    isError: false,
    body: { booking_id: id, status: "cancelled" },
  });
  t.match(await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers), {
    body: { status: "cancelled" },
  });
  t.match(await callTool(client, "subscribe_flight", { flight_id: f }), {
    isError: false,
    body: { flight_id: f, source: String },
  });

  const templates = (await client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate).sort();
  t.strictSame(templates, ["skybook://bookings/{id}", "skybook://flights/{id}"]);
  const resources = (await client.listResources()).resources.map((r) => r.uri);
  t.strictSame(resources, [`skybook://bookings/${again.body.booking_id}`, `skybook://bookings/${id}`]);
  const textOf = async (uri: string) => {
    const [content] = (await client.readResource({ uri })).contents;
    return JSON.parse(content && "text" in content ? content.text : "null");
  };
  t.match(await textOf(`skybook://bookings/${id}`), { booking_id: id, status: "cancelled" });
  t.match(await textOf(`skybook://flights/${f}`), { id: f, available_seats: 8 });
  await t.rejects(client.readResource({ uri: `skybook://bookings/${bobs}` }), { code: -32002 });
  const missing = await client.readResource({ uri: "skybook://trips/1" }).catch((e: unknown) => e);
  t.ok(missing instanceof McpError && missing.code === -32002, "an unknown resource is not found");
}

t.test("over Streamable HTTP", (t) => scenario(t, "http"));
t.test("over stdio", (t) => scenario(t, "stdio"));

t.test("stdio without a token: the login tool signs in", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const ada = await auth.customer("ada");
  const client = await connect(t, { transport: "stdio", env: mcpEnv(sys, auth), token: "" });
  // The assistant sees the tools, not docs/mcp.md: a refusal for want of a token says what to do.
  t.match(await callTool(client, "list_bookings"), {
    isError: true,
    body: { error: "unauthorized", message: /Sign in with the login tool, then call this tool again\.$/ },
  });
  await t.rejects(callTool(client, "book_hotel"), { code: -32602, message: /No tool named book_hotel/ });
  t.match(await callTool(client, "login", { username: "ada", password: "wrong" }), {
    isError: true,
    body: { error: "invalid_credentials" },
  });
  const login = await callTool(client, "login", { username: "ada", password: "correct horse battery" });
  t.match(login, { isError: false, body: { user_id: ada.userId } });
  t.notOk("access_token" in login.body, "the token stays in the server");
  t.match(await callTool(client, "list_bookings"), { isError: false, body: { bookings: [] } });
});

t.test("HTTP: a token verified like the services' is required", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const http = await startMcpHttp(t, mcpEnv(sys, auth));
  const post = async (headers: Record<string, string>) => {
    const res = await request(http.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    return { status: res.statusCode, headers: res.headers, body: await res.body.json() };
  };
  t.match(await post({}), {
    status: 401,
    headers: { "www-authenticate": /^Bearer/ },
    body: { error: "unauthorized", message: "A valid Bearer access token is required." },
  });
  // RFC 6750: a token that does not stand is invalid_token, so the client knows to get a new one.
  t.match(await post({ authorization: "Bearer abc.def.ghi" }), {
    status: 401,
    headers: { "www-authenticate": /^Bearer realm="skybook", error="invalid_token", error_description="[^"]+"$/ },
    body: { error: "unauthorized" },
  });
  t.notMatch((await post({})).headers["www-authenticate"], /error=/, "no token, no error code");
  const ada = await auth.customer("ada");
  t.match(await post(ada.headers), { status: 200, body: { result: { tools: Array } } });
  const get = await request(http.url, { method: "GET", headers: ada.headers });
  t.match(
    { status: get.statusCode, body: await get.body.json() },
    { status: 405, body: { error: "method_not_allowed" } },
  );
});
